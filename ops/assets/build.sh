#!/usr/bin/env bash
# Installs the front-end libraries from the npm registry (locked by package-lock.json)
# and copies the files the pages load into platform/web/static/vendor (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vendor="$root/platform/web/static/vendor"
stamp="$vendor/.lock-$(sha256sum "$here/package-lock.json" | cut -c1-16)"
if [[ -f "$stamp" ]]; then exit 0; fi
command -v npm >/dev/null || { echo "assets: npm is needed (Node.js)" >&2; exit 1; }
echo "assets: installing chart libraries from the npm registry"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
rm -rf "$vendor" && mkdir -p "$vendor"
cp "$here/node_modules/chart.js/dist/chart.umd.js" "$vendor/chart.umd.js"
cp "$here/node_modules/chart.js/LICENSE.md" "$vendor/chart.js.LICENSE.md"
touch "$stamp"
echo "assets: ready in $vendor"
