// e-Stat regional statistics: the ranking drawn as a horizontal bar chart (Chart.js, served by the app).
(function () {
  "use strict";
  // The table picker submits its form when changed (no inline handler: the CSP runs no inline script).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) =>
    select.addEventListener("change", () => select.form.submit()));
  const holder = document.getElementById("regional-data");
  const canvas = document.getElementById("regional-chart");
  if (!holder || !canvas) return;
  const data = JSON.parse(holder.textContent);
  function draw() {
    const rows = data.rows.filter((r) => r.value !== null);
    canvas.parentElement.style.height = Math.max(300, rows.length * 20 + 80) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: rows.map((r) => `${r.rank}. ${r.name}`),
              datasets: [{ label: data.unit ? `値 / value (${data.unit})` : "値 / value", data: rows.map((r) => r.value),
                           backgroundColor: "#0b5cad" }] },
      options: { indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
                 plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } },
    });
    canvas.dataset.drawn = "true";
  }
  // The same ranking as a choropleth: boundaries (TopoJSON) projected with d3-geo, shaded by value.
  async function drawMap() {
    const svg = document.getElementById("regional-map");
    const legend = document.getElementById("map-legend");
    if (!svg || !window.d3 || !window.topojson) return;
    const url = data.view === "pref" ? "/api/estat/geo/prefectures"
      : `/api/estat/geo/municipalities/${String(data.pref || "").slice(0, 2)}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      svg.remove();
      legend.textContent = "この都道府県の市区町村境界データはありません（奈良県のみ収録） / municipal boundaries are shipped for Nara only";
      return;
    }
    const topo = await response.json();
    const features = topojson.feature(topo, Object.values(topo.objects)[0]).features;
    const rows = data.rows.filter((r) => r.value !== null);
    const byKey = new Map(rows.map((r) => [data.view === "pref" ? r.name : r.code, r]));
    const values = rows.map((r) => r.value);
    const min = Math.min(...values), max = Math.max(...values);
    const useLog = min > 0 && max / min > 20;  // populations span orders of magnitude
    const scale = (v) => {
      if (max === min) return 1;
      return useLog ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
    };
    const shade = (t) => `rgb(${Math.round(219 - t * 208)},${Math.round(233 - t * 141)},${Math.round(246 - t * 73)})`;
    const path = d3.geoPath(d3.geoMercator().fitSize([600, 560], { type: "FeatureCollection", features }));
    const ns = "http://www.w3.org/2000/svg";
    let shaded = 0;
    for (const f of features) {
      const key = data.view === "pref" ? f.properties.N03_001 : f.properties.N03_007;
      const row = byKey.get(key);
      const el = document.createElementNS(ns, "path");
      el.setAttribute("d", path(f) || "");
      el.setAttribute("fill", row ? shade(scale(row.value)) : "#eeeeee");
      el.setAttribute("stroke", "#ffffff");
      el.setAttribute("stroke-width", "0.5");
      if (row) { el.dataset.code = row.code; shaded += 1; }
      const title = document.createElementNS(ns, "title");
      title.textContent = row ? `${row.rank}. ${row.name}: ${row.text}${data.unit ? " " + data.unit : ""}` : (key || "");
      el.appendChild(title);
      svg.appendChild(el);
    }
    svg.dataset.shaded = String(shaded);
    legend.textContent = `色が濃いほど大きい / darker = larger (${useLog ? "対数目盛 / log scale" : "線形 / linear"}): `
      + `${min.toLocaleString()} 〜 ${max.toLocaleString()}${data.unit ? " " + data.unit : ""}`;
  }

  function drawAll() { draw(); drawMap(); }
  if (window.Chart) drawAll(); else window.addEventListener("load", drawAll);
})();
