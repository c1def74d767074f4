// e-Stat regional statistics: the ranking drawn as a horizontal bar chart (Chart.js, served by the app).
(function () {
  "use strict";
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
  if (window.Chart) draw(); else window.addEventListener("load", draw);
})();
