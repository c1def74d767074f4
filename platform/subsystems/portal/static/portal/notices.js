// The business portal's latest notices with unread marks, for the portal home (portal/notices_panel.html).
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
      a.href = "/portal/notices/" + encodeURIComponent(n.id);
      a.textContent = (n.important ? "【重要】" : "") + n.title;
      const when = document.createElement("span");
      when.className = "muted";
      when.textContent = " " + new Date(n.publish_at).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
      li.append(a, when);
      if (n.unread) { li.classList.add("unread"); const b = document.createElement("span"); b.className = "badge"; b.textContent = "未読"; li.prepend(b, " "); }
      return li;
    }));
    if (!d.items.length) { const li = document.createElement("li"); li.textContent = "お知らせはありません / no notices"; list.append(li); }
    panel.querySelector(".unread-count").textContent = d.unread;
    panel.dataset.loaded = "true";
  }
  window.addEventListener("load", () => document.querySelectorAll("[data-portal-notices]").forEach((p) => load(p).catch(() => { p.hidden = true; })));
})();
