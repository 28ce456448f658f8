// Sortable result tables: click a header to sort by that column (numbers by value, text by
// Chinese collation); cells carry their raw value in data-sort (exact yuan for amounts).
document.querySelectorAll("table.sortable").forEach((table) => {
  const headers = table.querySelectorAll("thead th");
  headers.forEach((th, index) => {
    th.addEventListener("click", () => {
      const numeric = th.dataset.numeric === "yes";
      const ascending = !th.classList.contains("sorted-asc");
      headers.forEach((h) => h.classList.remove("sorted-asc", "sorted-desc"));
      th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (row) => {
        const cell = row.cells[index];
        return cell ? (cell.dataset.sort ?? cell.textContent) : "";
      };
      const collator = new Intl.Collator("zh");
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        let order;
        if (numeric) {
          const nx = x === "" ? -Infinity : Number(x), ny = y === "" ? -Infinity : Number(y);
          order = nx - ny;
        } else {
          order = collator.compare(x, y);
        }
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
});
