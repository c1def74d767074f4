// Operations dashboards: fetch the read models as JSON and draw them with Chart.js (served by the app).
(function () {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root) return;
  const tenantView = root.dataset.tenantView === "true";
  const charts = {};
  const palette = ["#0b5cad", "#b42318", "#1f7a3a", "#b54708", "#6941c6", "#0e7090", "#c11574", "#475467"];

  async function getJSON(url) {
    const r = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) throw new Error(url + " " + r.status);
    return r.json();
  }

  function draw(id, type, data, options) {
    const el = document.getElementById(id);
    if (!el) return;
    if (charts[id]) { charts[id].data = data; charts[id].update("none"); return; }
    charts[id] = new Chart(el, { type, data, options: Object.assign({ animation: false, responsive: true,
      plugins: { legend: { position: "bottom" } } }, options || {}) });
  }

  function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
  function fill(tbody, rows) {
    tbody.replaceChildren(...rows.map((cells) => { const tr = document.createElement("tr"); cells.forEach((c) => tr.appendChild(cell(c))); return tr; }));
  }
  const hhmm = (iso) => iso.slice(11, 16);

  async function usage() {
    const minutes = document.getElementById("usage-minutes").value;
    const groupSel = document.getElementById("usage-group");
    const group = groupSel ? groupSel.value : "module";
    const d = await getJSON(`/api/ops/usage?minutes=${minutes}&group=${group}`);
    const datasets = Object.entries(d.series).map(([name, values], i) => ({
      label: name, data: values, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
      pointRadius: 0, tension: 0.2 }));
    draw("chart-usage", "line", { labels: d.labels.map(hhmm), datasets }, { scales: { y: { beginAtZero: true } } });
    document.getElementById("usage-totals").textContent =
      `呼出し / calls ${d.totals.calls.toLocaleString()} · エラー / errors ${d.totals.errors.toLocaleString()} · 単位 / units ${d.totals.units.toLocaleString()}`;
  }

  async function sla() {
    let d;
    try { d = await getJSON("/api/sla/status"); } catch (e) { document.getElementById("panel-sla").dataset.state = "unavailable"; return; }
    const mods = d.modules || [];
    draw("chart-sla", "bar", { labels: mods.map((m) => m.module), datasets: [
      { label: "可用性 % / availability", data: mods.map((m) => m.availability), backgroundColor: "#0b5cad" },
      { label: "目標 % / target", data: mods.map((m) => m.slo.availability_target), backgroundColor: "#98a2b3" } ] },
      { scales: { y: { suggestedMin: 95, suggestedMax: 100 } } });
    fill(document.querySelector("#sla-table tbody"), mods.map((m) => [`${m.name_ja} (${m.module})`,
      m.availability === null ? "—" : fmt(m.availability) + "%", fmt(m.slo.availability_target) + "%",
      fmt((m.error_budget_left ?? 1) * 100) + "%", (m.calls ?? 0).toLocaleString(),
      m.alert ? `${m.alert.rule || "alert"}` : "—"]));
  }
  const fmt = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(2));

  async function security() {
    const d = await getJSON("/api/ops/security?hours=24");
    const hours = [...new Set(d.per_hour.map((r) => r.hour))].sort();
    const actions = [...new Set(d.per_hour.map((r) => r.action))];
    const datasets = actions.map((a, i) => ({ label: a, backgroundColor: palette[i % palette.length],
      data: hours.map((h) => (d.per_hour.find((r) => r.hour === h && r.action === a) || { n: 0 }).n) }));
    draw("chart-security", "bar", { labels: hours.map(hhmm), datasets }, { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });
    fill(document.querySelector("#security-latest tbody"), d.latest.slice(0, 10).map((r) =>
      [r.occurred_at.slice(0, 19).replace("T", " "), r.action, r.actor, r.target_id]));
  }

  async function pipeline() {
    const d = await getJSON("/api/ops/pipeline");
    draw("chart-pipeline", "bar", { labels: d.consumers.map((c) => c.consumer), datasets: [
      { label: "遅延件数 / lag (messages)", data: d.consumers.map((c) => Number(c.lag)), backgroundColor: "#b54708" } ] },
      { indexAxis: "y", scales: { x: { beginAtZero: true } } });
    document.getElementById("pipeline-figures").textContent =
      `未送信 / outbox pending ${d.outbox_pending} (最古 / oldest ${Math.round(d.outbox_oldest_seconds)} s) · 利用量ストリーム / usage stream ${d.usage_stream ?? "—"} · デッドレター / dead letters ${d.dead_letters}` +
      d.detached.map((r) => ` · 切り離し中 / detached: ${r.read_model} (${r.detached_at.slice(0, 19).replace("T", " ")})`).join("");
  }

  async function deadLetters() {
    const d = await getJSON("/api/ops/dead-letters?limit=10");
    document.getElementById("dead-letter-count").textContent = String(d.total);
    document.getElementById("panel-dead-letters").dataset.total = String(d.total);
    const tbody = document.querySelector("#dead-letter-table tbody");
    fill(tbody, d.latest.map((r) => [
      r.created_at.slice(0, 19).replace("T", " "), r.consumer, r.topic, String(r.attempts), r.error]));
    d.latest.forEach((r, i) => tbody.rows[i].appendChild(replayCell(r)));
  }

  // A dead letter still open gets a button that puts it back (POST .../replay); a replayed one says when.
  function replayCell(r) {
    const td = document.createElement("td");
    if (r.replayed_at) {
      td.textContent = `再処理済 / replayed ${r.replayed_at.slice(0, 19).replace("T", " ")} (${r.outcome})`;
      return td;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "replay";
    button.dataset.id = String(r.id);
    button.textContent = r.outcome === "failed" ? "再処理（再試行） / Retry" : "再処理 / Replay";
    td.appendChild(button);
    return td;
  }

  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const OUTCOMES = { requeued: "送信待ちに戻しました / back in the outbox", applied: "適用しました / applied",
    duplicate: "適用済みでした / applied before", failed: "再び失敗しました / failed again", "in-outbox": "送信待ちにあります / in the outbox" };

  async function replay(button) {
    const out = document.getElementById("dead-letter-result");
    button.disabled = true;
    out.textContent = "再処理中 / replaying…";
    const r = await fetch(`/api/ops/dead-letters/${button.dataset.id}/replay`, { method: "POST", credentials: "same-origin",
      headers: { accept: "application/json", "X-CSRF-Token": csrf() } });
    let body = {};
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    out.textContent = r.ok
      ? `#${body.id}: ${OUTCOMES[body.outcome] || body.outcome}${body.error ? " — " + body.error : ""}`
      : `#${button.dataset.id}: ${body.title || r.status} — ${body.detail || ""}`;
    out.dataset.status = String(r.status);
    await deadLetters();
  }

  const bytes = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + " MiB" : Number(n).toLocaleString() + " B");
  async function replication() {
    const panel = document.getElementById("panel-replication");
    const d = await getJSON("/api/ops/replication");
    const h = d.health, t = d.thresholds;
    fill(document.querySelector("#replication-slots tbody"), h.slots.map((s) => [s.slot_name,
      s.active ? "アクティブ" : "非アクティブ", s.xmin_age.toLocaleString() + " tx",
      bytes(s.retained_bytes), s.wal_status || "—"]));
    fill(document.querySelector("#replication-standbys tbody"), h.standbys.map((s) => [s.application_name, s.client_addr,
      s.state, s.replay_lag_ms === null ? "0 ms" : Math.round(s.replay_lag_ms).toLocaleString() + " ms", bytes(s.replay_behind_bytes)]));
    const list = document.getElementById("replication-findings");
    const notes = h.error ? ["取得できませんでした / figures unknown: " + h.error] : d.findings.map((f) => f.text);
    if (!h.error && !h.standbys_known) notes.push("pg_stat_replication を読めません（govstat_monitor.standbys() がありません）");
    list.replaceChildren(...notes.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
    document.getElementById("replication-alert").textContent = d.alert ? "障害対応中 / alert open" : (d.findings.length ? "超過 / over limits" : "正常 / healthy");
    document.getElementById("replication-limits").textContent =
      `上限 / limits: age(xmin) ${t.max_xmin_age.toLocaleString()} tx · 保持 WAL ${bytes(t.max_retained_bytes)}（非アクティブ / inactive ${bytes(t.inactive_max_retained_bytes)}）· replay_lag ${t.max_replay_lag_ms.toLocaleString()} ms · statement_timeout ${t.timeout_ms} ms`;
    panel.dataset.state = h.error ? "unknown" : d.findings.length ? "over" : "healthy";
    panel.dataset.slots = h.slots.map((s) => s.slot_name).join(" ");
  }

  async function incidents() {
    let d;
    try { d = await getJSON("/api/ops/incidents?limit=50"); } catch (e) { document.getElementById("panel-incidents").dataset.state = "unavailable"; return; }
    const items = d.items || [];
    const days = {};
    items.forEach((i) => { const k = i.detected_at.slice(0, 10); days[k] = (days[k] || 0) + 1; });
    const labels = Object.keys(days).sort();
    draw("chart-incidents", "bar", { labels, datasets: [{ label: "障害 / incidents", data: labels.map((k) => days[k]), backgroundColor: "#b42318" }] },
      { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
    const list = document.getElementById("incident-list");
    list.replaceChildren(...items.slice(0, 8).map((i) => { const li = document.createElement("li");
      li.textContent = `${i.detected_at.slice(0, 16).replace("T", " ")} [${i.state}] ${i.module_key || ""} ${i.title}`; return li; }));
  }

  async function refresh() {
    const parts = [usage(), sla(), security()];
    if (!tenantView) parts.push(pipeline(), deadLetters(), incidents(), replication());
    const results = await Promise.allSettled(parts);
    results.filter((r) => r.status === "rejected").forEach((r) => console.warn(r.reason));
    document.getElementById("updated").textContent = "更新 / updated " + new Date().toLocaleTimeString("ja-JP");
    root.dataset.loaded = "true";
  }

  window.addEventListener("load", () => {
    const table = document.getElementById("dead-letter-table");
    if (table) table.addEventListener("click", (e) => {
      const button = e.target.closest("button.replay");
      if (button) replay(button).catch((err) => { document.getElementById("dead-letter-result").textContent = String(err); });
    });
    ["usage-minutes", "usage-group"].forEach((id) => { const el = document.getElementById(id); if (el) el.addEventListener("change", usage); });
    refresh();
    setInterval(refresh, 10000);
  });
})();
