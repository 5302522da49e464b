// Session table: the kernel sends one page of display rows; clicks on headings, rows and the
// pager go back as messages or the `selected` trait. Nothing here holds all sessions.
function render({ model, el }) {
  el.classList.add("zh-sessions");
  const info = document.createElement("div");
  info.className = "zh-info";
  const table = document.createElement("table");
  const pager = document.createElement("div");
  pager.className = "zh-pager";
  const prev = document.createElement("button");
  const next = document.createElement("button");
  const where = document.createElement("span");
  prev.textContent = "‹ Previous";
  next.textContent = "Next ›";
  prev.className = next.className = "zh-btn";
  prev.onclick = () => model.send({ type: "page", page: model.get("page") - 1 });
  next.onclick = () => model.send({ type: "page", page: model.get("page") + 1 });
  pager.append(prev, where, next);

  function draw() {
    const columns = model.get("columns") || [];
    const rows = model.get("rows") || [];
    const sortBy = model.get("sort_by");
    const selected = model.get("selected");
    info.textContent = model.get("info");
    table.innerHTML = "";
    const head = table.createTHead().insertRow();
    for (const [name, heading] of columns) {
      const th = document.createElement("th");
      const arrow = name === sortBy ? (model.get("ascending") ? " ▲" : " ▼") : "";
      th.textContent = heading + arrow;
      th.title = name === "tags" ? "" : "Sort by " + heading;
      th.onclick = () => model.send({ type: "sort", column: name });
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.session = row.session_id;
      if (row.session_id === selected) tr.classList.add("zh-selected");
      for (const [name] of columns) {
        const td = tr.insertCell();
        td.textContent = row[name] ?? "";
        if (name === "status") td.className = "zh-status zh-" + row[name];
      }
      tr.onclick = () => {
        model.set("selected", row.session_id);
        model.save_changes();
      };
    }
    if (!rows.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = columns.length || 1;
      td.className = "zh-empty";
      td.textContent = model.get("empty_text");
    }
    const page = model.get("page");
    const pages = model.get("pages");
    where.textContent = ` page ${page + 1} of ${pages} `;
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
  }
  for (const name of ["rows", "columns", "sort_by", "ascending", "selected", "info", "page", "pages"]) {
    model.on("change:" + name, draw);
  }
  draw();
  el.append(info, table, pager);
}
export default { render };
