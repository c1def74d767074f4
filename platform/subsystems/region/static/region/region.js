// Regional statistics: the time series (line chart, recombined points drawn as diamonds) and the
// ranking (bar chart and a choropleth from the TopoJSON boundaries, projected with d3-geo).
(function () {
  "use strict";
  const COLORS = ["#0b5cad", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#f39c12"];

  function drawSeries() {
    const holder = document.getElementById("series-data");
    const canvas = document.getElementById("series-chart");
    if (!holder || !canvas) return;
    const data = JSON.parse(holder.textContent);
    const years = [...new Set(data.series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b);
    const datasets = data.series.map((s, n) => {
      const byYear = new Map(s.points.map((p) => [p.year, p]));
      const color = COLORS[n % COLORS.length];
      return {
        label: s.name,
        data: years.map((y) => (byYear.has(y) && byYear.get(y).value !== null ? Number(byYear.get(y).value) : null)),
        pointStyle: years.map((y) => (byYear.has(y) && byYear.get(y).recombined ? "rectRot" : "circle")),
        pointRadius: years.map((y) => (byYear.has(y) && byYear.get(y).recombined ? 7 : 3)),
        borderColor: color, backgroundColor: color, spanGaps: false,
      };
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: years, datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false,
                 scales: { y: { title: { display: true, text: data.unit } } } },
    });
    canvas.dataset.drawn = "true";
  }

  function drawRanking() {
    const holder = document.getElementById("ranking-data");
    const canvas = document.getElementById("ranking-chart");
    if (!holder || !canvas) return null;
    const data = JSON.parse(holder.textContent);
    const rows = data.rows.filter((r) => r.value !== null);
    canvas.parentElement.style.height = Math.max(300, rows.length * 18 + 80) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: rows.map((r) => `${r.rank}. ${r.name}`),
              datasets: [{ label: data.unit, data: rows.map((r) => Number(r.value)), backgroundColor: "#0b5cad" }] },
      options: { indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { legend: { display: false } }, scales: { y: { ticks: { autoSkip: false } } } },
    });
    canvas.dataset.drawn = "true";
    return data;
  }

  async function drawMap(data) {
    const svg = document.getElementById("region-map");
    const legend = document.getElementById("map-legend");
    if (!data || !svg || !window.d3 || !window.topojson) return;
    const url = "/api/estat/geo/prefectures";
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) { svg.remove(); return; }
    const topo = await response.json();
    const features = topojson.feature(topo, Object.values(topo.objects)[0]).features;
    const rows = data.rows.filter((r) => r.value !== null);
    const byKey = new Map(rows.map((r) => [r.name, r]));  // the prefectures' TopoJSON names them (N03_001)
    const values = rows.map((r) => Number(r.value));
    const min = Math.min(...values), max = Math.max(...values);
    const scale = (v) => (max === min ? 1 : (v - min) / (max - min));
    const shade = (t) => `rgb(${Math.round(219 - t * 208)},${Math.round(233 - t * 141)},${Math.round(246 - t * 73)})`;
    const path = d3.geoPath(d3.geoMercator().fitSize([600, 560], { type: "FeatureCollection", features }));
    const ns = "http://www.w3.org/2000/svg";
    let shaded = 0;
    for (const f of features) {
      const key = f.properties.N03_001;
      const row = byKey.get(key);
      const el = document.createElementNS(ns, "path");
      el.setAttribute("d", path(f) || "");
      el.setAttribute("fill", row ? shade(scale(Number(row.value))) : "#eeeeee");
      el.setAttribute("stroke", "#ffffff");
      el.setAttribute("stroke-width", "0.5");
      if (row) { el.dataset.code = row.code; shaded += 1; }
      const title = document.createElementNS(ns, "title");
      title.textContent = row ? `${row.rank}. ${row.name}: ${Number(row.value).toLocaleString()} ${data.unit}` : (key || "");
      el.appendChild(title);
      svg.appendChild(el);
    }
    svg.dataset.shaded = String(shaded);
    legend.textContent = `色が濃いほど大きい / darker = larger: ${min.toLocaleString()} 〜 ${max.toLocaleString()} ${data.unit}`;
  }

  // Municipalities of any prefecture: the GIS subsystem's vector tiles (MapLibre GL), coloured by the
  // ranking's values (a match on the area code), fitted to the prefecture's municipalities.
  function drawTiles(data) {
    const el = document.getElementById("region-gl");
    if (!data || !el || !window.maplibregl) return;
    maplibregl.setWorkerUrl(el.dataset.worker);
    const rows = data.rows.filter((r) => r.value !== null);
    const values = rows.map((r) => Number(r.value));
    const min = Math.min(...values), max = Math.max(...values);
    const t = (v) => (max === min ? 1 : (v - min) / (max - min));
    const shade = (v) => `rgb(${Math.round(219 - t(v) * 208)},${Math.round(233 - t(v) * 141)},${Math.round(246 - t(v) * 73)})`;
    const color = rows.length ? ["match", ["get", "code"], ...rows.flatMap((r) => [r.code, shade(Number(r.value))]), "#eeeeee"] : "#eeeeee";
    const map = new maplibregl.Map({
      container: el, bounds: [[128.5, 30.5], [146.0, 45.6]],
      attributionControl: { compact: false, customAttribution: el.dataset.credit },
      style: { version: 8,
        sources: { areas: { type: "vector", tiles: [window.location.origin + el.dataset.tiles], maxzoom: 14 } },
        layers: [
          { id: "bg", type: "background", paint: { "background-color": "#f4f6f8" } },
          { id: "fill", type: "fill", source: "areas", "source-layer": "areas", paint: { "fill-color": color, "fill-opacity": 0.9 } },
          { id: "edge", type: "line", source: "areas", "source-layer": "areas", paint: { "line-color": "#888", "line-width": 0.3 } },
        ] },
    });
    window.regionMap = map;
    const codes = new Set(data.rows.map((r) => r.code));
    map.once("idle", () => {
      let box = null;
      for (const f of map.querySourceFeatures("areas", { sourceLayer: "areas" })) {
        if (!codes.has(f.properties.code)) continue;
        const coords = f.geometry.coordinates.flat(f.geometry.type === "MultiPolygon" ? 2 : 1);
        for (const [x, y] of coords) box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
      }
      if (box) map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: 20, animate: false });
      map.once("idle", () => {
        const drawn = new Set(map.queryRenderedFeatures({ layers: ["fill"] }).map((f) => f.properties.code).filter((c) => codes.has(c)));
        el.dataset.shaded = String(drawn.size);
      });
    });
    document.getElementById("map-legend").textContent =
      `色が濃いほど大きい / darker = larger: ${min.toLocaleString()} 〜 ${max.toLocaleString()} ${data.unit}`;
  }

  function drawAll() { drawSeries(); const data = drawRanking(); drawMap(data); drawTiles(data); }
  if (window.Chart) drawAll(); else window.addEventListener("load", drawAll);
})();
