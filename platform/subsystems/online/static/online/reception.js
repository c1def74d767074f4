// Reception dashboard: response rate per area as a horizontal bar chart (Chart.js, served by the app).
(function () {
  "use strict";
  function draw() {
    const canvas = document.getElementById("reception-chart");
    if (!canvas) return;
    const d = JSON.parse(canvas.dataset.chart);
    new Chart(canvas, { type: "bar", data: { labels: d.labels, datasets: [{ label: "回収率 % / response rate", data: d.rates,
      backgroundColor: "#0b5cad" }] }, options: { indexAxis: "y", animation: false, responsive: true,
      maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 100 } } } });
    canvas.dataset.drawn = "true";
  }
  if (window.Chart) draw(); else window.addEventListener("load", draw);
})();
