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
    const url = data.level === "pref" ? "/api/estat/geo/prefectures" : `/api/estat/geo/municipalities/${data.pref}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      svg.remove();
      legend.textContent = "この都道府県の市区町村境界データはありません（奈良県のみ収録） / municipal boundaries are shipped for Nara only";
      return;
    }
    const topo = await response.json();
    const features = topojson.feature(topo, Object.values(topo.objects)[0]).features;
    const rows = data.rows.filter((r) => r.value !== null);
    const byKey = new Map(rows.map((r) => [data.level === "pref" ? r.name : r.code, r]));
    const values = rows.map((r) => Number(r.value));
    const min = Math.min(...values), max = Math.max(...values);
    const scale = (v) => (max === min ? 1 : (v - min) / (max - min));
    const shade = (t) => `rgb(${Math.round(219 - t * 208)},${Math.round(233 - t * 141)},${Math.round(246 - t * 73)})`;
    const path = d3.geoPath(d3.geoMercator().fitSize([600, 560], { type: "FeatureCollection", features }));
    const ns = "http://www.w3.org/2000/svg";
    let shaded = 0;
    for (const f of features) {
      const key = data.level === "pref" ? f.properties.N03_001 : f.properties.N03_007;
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

  function drawAll() { drawSeries(); drawMap(drawRanking()); }
  if (window.Chart) drawAll(); else window.addEventListener("load", drawAll);
})();
