// 地域レポート: a bar chart of the area's cells (Chart.js) and its boundary on govstat's own tiles (MapLibre).
(function () {
  "use strict";
  const canvas = document.getElementById("report-chart");
  if (canvas && window.Chart) {
    const values = JSON.parse(canvas.dataset.values);
    canvas.chart = new Chart(canvas, {
      type: "bar",
      data: { labels: JSON.parse(canvas.dataset.labels), datasets: [{ label: canvas.dataset.unit, data: values, backgroundColor: "#fd8d3c" }] },
      options: { animation: false, plugins: { legend: { display: false } } },
    });
    canvas.dataset.drawn = "true";
  }
  const el = document.getElementById("report-map");
  if (!el || !window.maplibregl) return;
  maplibregl.setWorkerUrl(el.dataset.worker);
  const b = JSON.parse(el.dataset.bounds);
  const map = new maplibregl.Map({
    container: el,
    bounds: [[b[0], b[1]], [b[2], b[3]]],
    fitBoundsOptions: { padding: 30 },
    attributionControl: { compact: false, customAttribution: el.dataset.credit },
    style: {
      version: 8,
      sources: { areas: { type: "vector", tiles: [window.location.origin + el.dataset.tiles], maxzoom: 14 } },
      layers: [
        { id: "bg", type: "background", paint: { "background-color": "#eef3f7" } },
        { id: "fill", type: "fill", source: "areas", "source-layer": "areas",
          paint: { "fill-color": ["case", ["==", ["get", "code"], el.dataset.code], "#f03b20", "#fff7bc"], "fill-opacity": 0.8 } },
        { id: "edge", type: "line", source: "areas", "source-layer": "areas", paint: { "line-color": "#555", "line-width": 0.6 } },
      ],
    },
  });
  map.once("idle", () => { el.dataset.ready = "1"; });
})();
