// Sorting and filtering of the portal's tables; without JavaScript they are plain tables.
(function () {
  "use strict";
  var collator = new Intl.Collator("sv");
  function key(cell) {
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var number = value === "" ? NaN : Number(value);
    return { empty: value === "", number: number, text: value };
  }
  function compare(a, b) {
    if (a.empty || b.empty) { return a.empty === b.empty ? 0 : (a.empty ? 1 : -1); }
    if (!isNaN(a.number) && !isNaN(b.number)) { return a.number - b.number; }
    return collator.compare(a.text, b.text);
  }
  function sortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      if (th.hasAttribute("data-nosort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "lb-sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var order = compare(key(r1.cells[column]), key(r2.cells[column]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function filtering() {
    var box = document.getElementById("filter");
    var text = document.getElementById("filter-text");
    var year = document.getElementById("filter-year");
    var count = document.getElementById("filter-count");
    var rows = document.querySelectorAll("#tabell-rapporter tbody tr");
    if (!box) { return; }
    box.hidden = false;
    function apply() {
      var wanted = text.value.trim().toLocaleLowerCase("sv");
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var match = row.getAttribute("data-name").toLocaleLowerCase("sv").indexOf(wanted) !== -1 &&
          (year.value === "" || row.getAttribute("data-year") === year.value);
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = "Visar " + shown + " av " + rows.length + (rows.length === 1 ? " rapport" : " rapporter") + ".";
    }
    text.addEventListener("input", apply);
    year.addEventListener("change", apply);
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.lb-sortable"), sortable);
  filtering();
})();
