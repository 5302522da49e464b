// Candidate links table: rows hold masked links only. Reveal and copy ask the kernel for one
// link by message (never synced state), so a saved notebook holds no token.
function render({ model, el }) {
  el.classList.add("zh-links");
  const revealed = new Map();
  const pendingCopy = new Map();
  const table = document.createElement("table");
  const tools = document.createElement("div");
  const download = document.createElement("button");
  download.textContent = "Download CSV (with links)";
  download.className = "zh-btn";
  download.onclick = () => model.send({ type: "csv" });
  tools.append(download);

  function button(text, title, onclick) {
    const b = document.createElement("button");
    b.textContent = text;
    b.title = title;
    b.className = "zh-btn";
    b.onclick = onclick;
    return b;
  }

  function draw() {
    const rows = model.get("rows") || [];
    download.disabled = !rows.some((r) => r.session_id);
    el.style.display = rows.length ? "" : "none"; // no empty table before anything started
    table.innerHTML = "";
    const head = table.insertRow();
    for (const h of ["Candidate", "Status", "Session id", "Link", ""]) {
      const th = document.createElement("th");
      th.textContent = h;
      head.append(th);
    }
    for (const row of rows) {
      const tr = table.insertRow();
      tr.dataset.candidate = row.candidate_ref;
      tr.insertCell().textContent = row.candidate_ref;
      const state = tr.insertCell();
      state.textContent = row.state + (row.message ? ": " + row.message : "");
      state.className = "zh-state zh-" + row.state;
      tr.insertCell().textContent = row.session_id || "";
      const link = tr.insertCell();
      link.className = "zh-link";
      link.textContent = revealed.get(row.session_id) || row.link;
      const actions = tr.insertCell();
      if (row.session_id) {
        actions.append(
          button(revealed.has(row.session_id) ? "Hide" : "Reveal", "Show this candidate's link", () => {
            if (revealed.has(row.session_id)) {
              revealed.delete(row.session_id);
              draw();
            } else {
              model.send({ type: "reveal", session_id: row.session_id });
            }
          }),
          button("Copy", "Copy this candidate's link to the clipboard", () => {
            pendingCopy.set(row.session_id, actions);
            model.send({ type: "copy", session_id: row.session_id });
          }),
        );
      }
    }
  }

  async function copy(text, where) {
    let ok = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      ok = false;
    }
    const note = document.createElement("span");
    note.className = "zh-note";
    note.textContent = ok ? " copied" : " copy blocked by the browser: use Reveal";
    where && where.append(note);
    setTimeout(() => note.remove(), 2500);
  }

  model.on("msg:custom", (msg, buffers) => {
    if (msg.type === "link") {
      revealed.set(msg.session_id, msg.link);
      draw();
    } else if (msg.type === "copy") {
      copy(msg.link, pendingCopy.get(msg.session_id));
      pendingCopy.delete(msg.session_id);
    } else if (msg.type === "csv") {
      const blob = new Blob([buffers[0]], { type: "text/csv" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = msg.filename || "sessions.csv";
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    }
  });
  model.on("change:rows", draw);
  draw();
  el.append(table, tools);
}
export default { render };
