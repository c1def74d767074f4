// Helpdesk page: draw the targets met / missed / pending from the figures the page carries.
(function () {
  "use strict";
  const source = document.getElementById("helpdesk-performance");
  const canvas = document.getElementById("chart-targets");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const perf = JSON.parse(source.textContent);
  const targets = [["first_response", "初回応答 / First response"], ["resolution", "解決 / Resolution"]];
  const series = [["met", "達成 / met", "#1f7a3a"], ["missed", "未達 / missed", "#b42318"], ["pending", "対応中 / pending", "#98a2b3"]];
  new Chart(canvas, {
    type: "bar",
    data: { labels: targets.map((t) => t[1]),
            datasets: series.map(([key, label, color]) => ({ label, backgroundColor: color, data: targets.map((t) => perf[t[0]][key]) })) },
    options: { animation: false, responsive: true, indexAxis: "y", plugins: { legend: { position: "bottom" } },
               scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  });
  document.getElementById("panel-targets").dataset.loaded = "true";
})();
