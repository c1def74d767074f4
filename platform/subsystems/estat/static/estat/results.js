// Questionnaire results: counts per choice as horizontal bar charts (Chart.js, served by the app).
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const d = JSON.parse(canvas.dataset.chart);
      new Chart(canvas, { type: "bar", data: { labels: d.labels, datasets: [{ label: "回答数 / answers", data: d.counts,
        backgroundColor: "#0b5cad" }] }, options: { indexAxis: "y", animation: false, responsive: true,
        maintainAspectRatio: false, plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
      canvas.dataset.drawn = "true";
    });
  }
  if (window.Chart) draw(); else window.addEventListener("load", draw);
})();
