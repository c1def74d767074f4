// The latest notices of the signed-in agency, for any page that includes incidents/notices_panel.html.
(function () {
  "use strict";
  async function load(panel) {
    const r = await fetch(panel.dataset.src, { headers: { accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) { panel.hidden = true; return; }
    const d = await r.json();
    const list = panel.querySelector("ul");
    list.replaceChildren(...d.items.map((n) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "/ops/notices#notice-" + n.id;
      a.textContent = n.title;
      const when = document.createElement("span");
      when.className = "muted";
      when.textContent = " " + new Date(n.created_at).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
      li.append(a, when);
      if (!n.read_at) li.classList.add("unread");
      return li;
    }));
    if (!d.items.length) { const li = document.createElement("li"); li.textContent = "お知らせはありません / no notices"; list.append(li); }
    panel.querySelector(".unread-count").textContent = d.unread;
    panel.dataset.loaded = "true";
  }
  window.addEventListener("load", () => document.querySelectorAll("[data-notices-panel]").forEach((p) => load(p).catch(() => { p.hidden = true; })));
})();
