// The questionnaire builder, enhanced (issue 10 §2): sections and questions reordered by drag and drop
// or by the ↑↓ buttons, a question's required flag, range and skip condition edited in place. Each
// change goes to the server as JSON (/items/builder/{id}/changes), which checks it and stores it as the
// draft; the page then shows the server's order (or its problem, naming the field). Without this
// script the same buttons and fields work as a plain form.
(function () {
  "use strict";
  const form = document.getElementById("builder");
  if (!form || !form.dataset.changes) return;
  const status = document.getElementById("builder-status");
  const qBody = document.querySelector("#questions tbody");
  const sBody = document.querySelector("#sections tbody");
  const field = (tr, name) => tr.querySelector("input[name$='-" + name + "']");

  function say(text, bad) {
    status.textContent = text;
    status.className = bad ? "error" : "ok";
  }

  // the order now on the page: [{id, items: [...]}, ...]
  function current() {
    const sections = [...sBody.querySelectorAll("tr[data-section]")].map((tr) => ({ id: tr.dataset.section, items: [] }));
    const by = Object.fromEntries(sections.map((s) => [s.id, s]));
    for (const tr of qBody.querySelectorAll("tr[data-item]")) {
      const s = by[field(tr, "section").value];
      if (s) s.items.push(tr.dataset.item);
    }
    return sections;
  }
  let stored = current();

  // put the rows in the given order; section rows renamed s-<n>-* (the plain form's order is theirs)
  function show(sections, focus) {
    const firstBlank = qBody.querySelector("tr:not([data-item])");
    for (const s of sections) {
      s.items.forEach((item, k) => {
        const tr = document.getElementById("row-" + item);
        if (!tr) return;
        field(tr, "section").value = s.id;
        field(tr, "order").value = String((k + 1) * 10);
        qBody.insertBefore(tr, firstBlank);
      });
      const row = document.getElementById("sec-" + s.id);
      if (row) sBody.insertBefore(row, sBody.querySelector("tr:not([data-section])"));
    }
    [...sBody.rows].forEach((tr, n) => {
      for (const input of tr.querySelectorAll("input[name^='s-']")) input.name = input.name.replace(/^s-\d+-/, "s-" + n + "-");
    });
    if (focus) focus.focus();
  }

  async function send(change, focus) {
    say("保存中… / saving…", false);
    let body = {};
    try {
      const r = await fetch(form.dataset.changes, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": form.dataset.csrf },
        body: JSON.stringify(change),
      });
      body = await r.json().catch(() => ({}));
      if (!r.ok) {
        const errors = body.errors || [];
        show(stored, focus);
        say((errors.map((e) => e.field + ": " + e.message).join("; ") || body.detail || "HTTP " + r.status), true);
        return errors;
      }
    } catch (err) {
      show(stored, focus);
      say("保存できませんでした / not saved: " + err, true);
      return [{ field: "", message: String(err) }];
    }
    stored = body.sections;
    show(stored, focus);
    const state = document.getElementById("state");
    if (state) state.textContent = "第" + body.version + "版 / version " + body.version + " 下書き / draft";
    say("保存しました（第" + body.version + "版の下書き）/ saved as the draft of version " + body.version, false);
    form.dataset.saved = String(Number(form.dataset.saved || 0) + 1);
    return [];
  }

  // ↑↓: the server steps the row (across a section's edge too) and answers the order
  form.addEventListener("click", (e) => {
    const button = e.target.closest("button[name=move]");
    if (!button) return;
    e.preventDefault();
    send({ op: "step", move: button.value }, button);
  });

  // drag and drop: a row dropped on another lands before it (after it in its lower half)
  let dragged = null;
  function sortable(tbody, attr) {
    tbody.addEventListener("dragstart", (e) => {
      const handle = e.target.closest && e.target.closest(".drag");
      if (!handle) return;
      dragged = handle.closest("tr");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", dragged.id);
      dragged.classList.add("dragging");
    });
    tbody.addEventListener("dragover", (e) => {
      const tr = e.target.closest && e.target.closest("tr[" + attr + "]");
      if (!dragged || !tr || tr.parentNode !== dragged.parentNode) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
    });
    tbody.addEventListener("drop", (e) => {
      const tr = e.target.closest && e.target.closest("tr[" + attr + "]");
      if (!dragged || !tr || tr === dragged || tr.parentNode !== dragged.parentNode) return;
      e.preventDefault();
      const box = tr.getBoundingClientRect();
      tbody.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? tr.nextSibling : tr);
      const moved = dragged;
      moved.classList.remove("dragging");
      dragged = null;
      if (attr === "data-section") {
        const ids = [...tbody.querySelectorAll("tr[data-section]")].map((r) => r.dataset.section);
        send({ op: "move_section", section: moved.dataset.section, position: ids.indexOf(moved.dataset.section) });
      } else {
        const section = field(tr, "section").value;
        field(moved, "section").value = section;
        const same = [...tbody.querySelectorAll("tr[data-item]")].filter((r) => field(r, "section").value === section);
        send({ op: "move_question", item_id: moved.dataset.item, section: section, position: same.indexOf(moved) });
      }
    });
    tbody.addEventListener("dragend", () => {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
    });
  }
  sortable(qBody, "data-item");
  sortable(sBody, "data-section");

  // required, range and skip condition: each edit checked and saved; the field the server names is marked
  qBody.addEventListener("change", async (e) => {
    const input = e.target;
    const tr = input.closest("tr[data-item]");
    if (!tr || !input.dataset.edit) return;
    const inputs = tr.querySelectorAll("[data-edit]");
    for (const i of inputs) i.removeAttribute("aria-invalid");
    const errors = await send({
      op: "edit_question",
      item_id: tr.dataset.item,
      required: field(tr, "required").checked,
      minimum: field(tr, "minimum").value,
      maximum: field(tr, "maximum").value,
      show_if: field(tr, "show_if").value,
    });
    for (const err of errors) {
      const name = err.field.split(".").pop();
      const bad = tr.querySelector("[data-edit='" + name + "']");
      if (bad) bad.setAttribute("aria-invalid", "true");
    }
  });
})();
