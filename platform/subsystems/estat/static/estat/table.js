// e-Stat table page: draw the selected cells with Chart.js (served by the app, never a CDN).
// The page embeds the cells as JSON (#table-data): the dimensions with their codes and names, and
// each cell as [code per dimension..., value]. Bar and line put one dimension across and one
// series per combination of the others; "by area" ranks the areas of the first combination.
(function () {
  "use strict";
  const holder = document.getElementById("table-data");
  const canvas = document.getElementById("table-chart");
  if (!holder || !canvas) return;
  const data = JSON.parse(holder.textContent);
  const typeSel = document.getElementById("chart-type");
  const xSel = document.getElementById("chart-x");
  const note = document.getElementById("chart-note");
  const palette = ["#0b5cad", "#b42318", "#1f7a3a", "#b54708", "#6941c6", "#0e7090", "#c11574", "#475467",
                   "#027a48", "#a15c07", "#3538cd", "#7a2e0e"];
  const MAX_SERIES = 12, MAX_LABELS = 200, MAX_AREAS = 80;
  const dims = data.dims;
  const index = Object.fromEntries(dims.map((d, i) => [d.id, i]));
  const valueAt = dims.length;

  function defaultX(type) {
    const varied = dims.filter((d) => d.codes.length > 1).map((d) => d.id);
    if (type === "area" && index.area !== undefined) return "area";
    for (const id of (type === "line" ? ["time", "area"] : ["area", "time"])) if (varied.includes(id)) return id;
    return varied[0] || (dims[0] && dims[0].id);
  }

  function seriesKey(cell, x) {
    return dims.filter((d) => d.id !== x && d.codes.length > 1).map((d) => cell[index[d.id]]).join("\u0000");
  }
  function seriesLabel(key, x) {
    const parts = key ? key.split("\u0000") : [];
    const named = dims.filter((d) => d.id !== x && d.codes.length > 1);
    const fixed = dims.filter((d) => d.id !== x && d.codes.length === 1).map((d) => d.names[d.codes[0]]);
    const label = named.map((d, i) => d.names[parts[i]]).concat(parts.length ? [] : fixed).join(" / ");
    return label || (data.units.join(",") || "値");
  }

  function build(type, x) {
    const xi = index[x];
    const groups = new Map();
    for (const cell of data.cells) {
      const key = seriesKey(cell, x);
      if (!groups.has(key)) groups.set(key, new Map());
      groups.get(key).set(cell[xi], cell[valueAt]);
    }
    const dim = dims[xi];
    let notes = [];
    if (type === "area") {
      const [key, values] = groups.entries().next().value || ["", new Map()];
      const minLevel = Math.min(...Object.values(dim.levels));
      const several = new Set(Object.values(dim.levels)).size > 1;
      let rows = [...values.entries()].filter(([code, v]) => v !== null && !(several && dim.levels[code] === minLevel));
      rows.sort((a, b) => b[1] - a[1]);
      if (rows.length > MAX_AREAS) { notes.push(`上位${MAX_AREAS}地域 / top ${MAX_AREAS} areas`); rows = rows.slice(0, MAX_AREAS); }
      if (groups.size > 1) notes.push("最初の系列のみ / first series only");
      return { type: "bar", notes, data: { labels: rows.map(([c]) => dim.names[c] || c),
        datasets: [{ label: seriesLabel(key, x), data: rows.map(([, v]) => v), backgroundColor: palette[0] }] },
        options: { indexAxis: "y", scales: { x: { beginAtZero: true } } }, height: Math.max(320, rows.length * 18 + 80) };
    }
    let labels = dim.codes;
    if (labels.length > MAX_LABELS) { notes.push(`先頭${MAX_LABELS}項目 / first ${MAX_LABELS}`); labels = labels.slice(0, MAX_LABELS); }
    let entries = [...groups.entries()];
    if (entries.length > MAX_SERIES) { notes.push(`先頭${MAX_SERIES}系列 / first ${MAX_SERIES} series`); entries = entries.slice(0, MAX_SERIES); }
    const datasets = entries.map(([key, values], i) => ({
      label: seriesLabel(key, x), data: labels.map((c) => (values.has(c) ? values.get(c) : null)),
      borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], spanGaps: true, tension: 0.1 }));
    return { type, notes, data: { labels: labels.map((c) => dim.names[c] || c), datasets },
      options: { scales: { y: { beginAtZero: type === "bar" } } }, height: 420 };
  }

  function draw() {
    const type = typeSel.value;
    const old = Chart.getChart(canvas);
    if (old) old.destroy();
    if (!data.cells.length) { note.textContent = "データがありません / no data"; canvas.dataset.drawn = "empty"; return; }
    const x = xSel.value;
    const spec = build(type, x);
    canvas.parentElement.style.height = spec.height + "px";
    new Chart(canvas, { type: spec.type, data: spec.data, options: Object.assign({ animation: false, responsive: true,
      maintainAspectRatio: false, plugins: { legend: { position: "bottom" },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed[spec.options.indexAxis === "y" ? "x" : "y"]?.toLocaleString("ja-JP")}` } } } },
      spec.options) });
    note.textContent = (data.units.length ? `単位 / unit: ${data.units.join(", ")}` : "") + (spec.notes.length ? " ・ " + spec.notes.join(" ・ ") : "");
    canvas.dataset.drawn = "true";
  }

  function start() {
    xSel.value = defaultX(typeSel.value);
    typeSel.addEventListener("change", () => { xSel.value = defaultX(typeSel.value); xSel.disabled = typeSel.value === "area"; draw(); });
    xSel.addEventListener("change", draw);
    draw();
  }
  if (window.Chart) start(); else window.addEventListener("load", start);
})();
