// e-Stat inquiry form: posts JSON to the helpdesk (POST /api/helpdesk/inquiries), which opens an e-mail ticket.
(function () {
  "use strict";
  const form = document.getElementById("inquiry-form");
  const out = document.getElementById("inquiry-result");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fd = new FormData(form);
    const body = { email: fd.get("email").trim(), subject: fd.get("subject").trim(), body: fd.get("body").trim(),
                   module_key: "estat" };
    const name = fd.get("name").trim();
    if (name) body.name = name;
    const headers = { "content-type": "application/json", accept: "application/json" };
    if (form.dataset.csrf) headers["x-csrf-token"] = form.dataset.csrf;
    out.className = "";
    out.textContent = "送信中… / sending…";
    form.querySelector("button").disabled = true;
    try {
      const r = await fetch("/api/helpdesk/inquiries", { method: "POST", headers, body: JSON.stringify(body), credentials: "same-origin" });
      const data = await r.json().catch(() => ({}));
      if (r.ok) {
        form.hidden = true;
        out.className = "card";
        out.innerHTML = "";
        const p = document.createElement("p");
        p.textContent = `受け付けました。受付番号 ${data.number} / Received: your reference is ${data.number}. ` +
          "回答はメールでお送りします / we will answer by e-mail.";
        p.id = "inquiry-number";
        p.dataset.number = data.number;
        out.appendChild(p);
      } else {
        out.className = "error";
        out.textContent = (data.detail || "送信できませんでした / could not send") +
          (data.errors ? " (" + data.errors.map((e) => e.field).join(", ") + ")" : "");
        form.querySelector("button").disabled = false;
      }
    } catch (e) {
      out.className = "error";
      out.textContent = "通信エラー / network error";
      form.querySelector("button").disabled = false;
    }
  });
})();
