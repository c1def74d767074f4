#!/usr/bin/env bash
# Installs the front-end libraries (charts and maps) from the npm registry (locked by package-lock.json)
# and copies the files the pages load into platform/web/static/vendor (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vendor="$root/platform/web/static/vendor"
stamp="$vendor/.lock-$(sha256sum "$here/package-lock.json" | cut -c1-16)"
if [[ -f "$stamp" ]]; then exit 0; fi
command -v npm >/dev/null || { echo "assets: npm is needed (Node.js)" >&2; exit 1; }
echo "assets: installing chart and map libraries from the npm registry"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
rm -rf "$vendor" && mkdir -p "$vendor"
cp "$here/node_modules/chart.js/dist/chart.umd.js" "$vendor/chart.umd.js"
cp "$here/node_modules/chart.js/LICENSE.md" "$vendor/chart.js.LICENSE.md"
# maps: d3-geo (with the d3-array it needs) projects TopoJSON boundaries read by topojson-client
cp "$here/node_modules/d3-array/dist/d3-array.min.js" "$vendor/d3-array.min.js"
cp "$here/node_modules/d3-geo/dist/d3-geo.min.js" "$vendor/d3-geo.min.js"
cp "$here/node_modules/topojson-client/dist/topojson-client.min.js" "$vendor/topojson-client.min.js"
for pkg in d3-array d3-geo topojson-client; do cp "$here/node_modules/$pkg/LICENSE" "$vendor/$pkg.LICENSE"; done
# vector-tile maps (the GIS): MapLibre GL JS draws the tiles govstat makes with PostGIS. Its CSP build
# loads its worker from a file (maplibregl.setWorkerUrl), as the pages' script-src 'self' requires.
cp "$here/node_modules/maplibre-gl/dist/maplibre-gl-csp.js" "$vendor/maplibre-gl-csp.js"
cp "$here/node_modules/maplibre-gl/dist/maplibre-gl-csp-worker.js" "$vendor/maplibre-gl-csp-worker.js"
cp "$here/node_modules/maplibre-gl/dist/maplibre-gl.css" "$vendor/maplibre-gl.css"
cp "$here/node_modules/maplibre-gl/LICENSE.txt" "$vendor/maplibre-gl.LICENSE.txt"
touch "$stamp"
echo "assets: ready in $vendor"
