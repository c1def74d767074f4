// Forms of the incident pages: sent as JSON with the session's CSRF token; problem details shown in place.
(function () {
  "use strict";
  const token = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function body(form) {
    const data = {};
    new FormData(form).forEach((value, key) => {
      if (key === "_csrf") return;
      const el = form.elements[key];
      if (el && el.dataset && el.dataset.type === "datetime") {
        if (value) data[key] = new Date(value).toISOString();   // the browser's local time, with its offset
      } else if (el && el.dataset && el.dataset.nullable === "true" && value === "") {
        data[key] = null;
      } else {
        data[key] = value;
      }
    });
    return data;
  }

  async function submit(event) {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    const out = form.querySelector("output.result");
    const method = form.dataset.method || "POST";
    const init = { method, credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "X-CSRF-Token": token() } };
    if (method !== "DELETE") init.body = JSON.stringify(body(form));
    if (out) { out.className = "result"; out.textContent = "送信中 / sending…"; }
    const r = await fetch(form.dataset.api, init);
    if (r.ok) {
      const next = form.dataset.next;
      if (next === "created") {
        const d = await r.json();
        window.location.assign("/ops/incidents/" + d.id);
      } else {
        window.location.reload();
      }
      return;
    }
    let detail = r.status + "";
    try { const p = await r.json(); detail = (p.title || "") + ": " + (p.detail || ""); } catch (e) { /* not JSON */ }
    if (out) { out.className = "result error"; out.textContent = detail; }
  }

  document.addEventListener("submit", (e) => { submit(e).catch((err) => {
    const out = e.target.querySelector && e.target.querySelector("output.result");
    if (out) { out.className = "result error"; out.textContent = String(err); }
  }); });
})();
