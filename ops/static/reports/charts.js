// Report and plan charts: the page embeds their data as JSON (#report-charts); Chart.js is served by the app.
(function () {
  "use strict";
  const palette = ["#0b5cad", "#b42318", "#1f7a3a", "#b54708", "#6941c6", "#0e7090", "#c11574", "#475467",
                   "#667085", "#e04f16", "#4e5ba6", "#099250", "#dd2590", "#7a5af8", "#155eef"];

  function draw(spec) {
    const el = document.getElementById(spec.canvas);
    if (!el) return;
    const datasets = spec.datasets.map((d, i) => Object.assign({ backgroundColor: palette[i % palette.length] }, d));
    el.chart = new Chart(el, {
      type: "bar",
      data: { labels: spec.labels, datasets },
      options: {
        animation: false, responsive: true,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true,
                  title: { display: !!spec.y, text: spec.y } } },
      },
    });
    el.dataset.drawn = "true";
  }

  // Forms marked data-json-post send their fields as JSON with the session's CSRF token, then follow
  // the answer's `location` (the issued version) or reload.
  async function postJSON(form, event) {
    event.preventDefault();
    const body = {};
    for (const [k, v] of new FormData(form)) {
      if (k === "_csrf" || v === "") continue;
      const el = form.elements[k];
      body[k] = el.type === "number" || el.dataset.type === "number" ? Number(v) : v;
    }
    const out = form.querySelector("output");
    const r = await fetch(form.action, { method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": form.dataset.csrf }, body: JSON.stringify(body) });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) { if (out) out.textContent = answer.detail || String(r.status); return; }
    window.location.assign(answer.id ? "/ops/reports/issued/" + answer.id : window.location.href);
  }

  function start() {
    const data = document.getElementById("report-charts");
    if (data) JSON.parse(data.textContent).forEach(draw);
    document.querySelectorAll("form[data-json-post]").forEach((f) => f.addEventListener("submit", (e) => postJSON(f, e)));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
