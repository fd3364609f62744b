/* Year comparison: sortable table columns. Without JavaScript the table
   keeps its printed order; the pairs are chosen by plain links.
   The reader's order is kept in the address, as #sort=change&order=desc: in
   the fragment, as it works from file:// (an archived copy), never reaches
   a server, and leaves the page's own address alone. Reloading or sharing the
   address restores the order, and the links to the other pairs carry it
   along (their columns have the same keys, whatever the years). */
(function () {
  "use strict";

  function sortValue(cell, type) {
    if (type === "text") { return cell.textContent.trim() || null; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.getAttribute("data-value");
    return raw === null || raw === "" ? null : Number(raw);
  }

  // The table made sortable; returns its columns that have a key for the
  // address: key → {type, sort(descending)}.
  function makeSortable(table, remember) {
    var headers = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    var keyed = Object.create(null);  // no inherited names: #sort=__proto__ finds nothing
    Array.prototype.forEach.call(headers, function (th, column) {
      var type = th.getAttribute("data-sort-type");
      if (!type) { return; }
      var key = th.getAttribute("data-sort-key");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);

      function sort(descending) {
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var rows = original.slice().sort(function (r1, r2) {
          var v1 = sortValue(r1.cells[column], type), v2 = sortValue(r2.cells[column], type);
          if (v1 === null && v2 === null) { return original.indexOf(r1) - original.indexOf(r2); }
          if (v1 === null) { return 1; }   // rows without a value stay last either way
          if (v2 === null) { return -1; }
          var order = type === "text" ? v1.localeCompare(v2, "ko") : v1 - v2;
          if (order === 0) { return original.indexOf(r1) - original.indexOf(r2); }
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }

      if (key) { keyed[key] = {type: type, sort: sort}; }
      button.addEventListener("click", function () {
        // Amounts sort largest first on the first press; names from 가.
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : type === "number";
        sort(descending);
        if (key) { remember(key, descending); }
      });
    });
    return keyed;
  }

  function fragment(key, descending) {
    return "sort=" + encodeURIComponent(key) + "&order=" + (descending ? "desc" : "asc");
  }

  // The links to the other pairs open them in the same order.
  function carry(hash) {
    Array.prototype.forEach.call(document.querySelectorAll(".compare-pairs ul a[href]"), function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#" + hash);
    });
  }

  function remember(key, descending) {
    var hash = fragment(key, descending);
    try {
      // Replaced, not pushed: Back leaves the page rather than undoing a sort.
      history.replaceState(history.state, "", "#" + hash);
    } catch (e) {
      // Some browsers refuse many changes in a row; the order stays on the page.
    }
    carry(hash);
  }

  var tables = Array.prototype.map.call(document.querySelectorAll("table.sortable"), function (table) {
    return makeSortable(table, remember);
  });

  // The order the address asks for. Anything else there (a section's id,
  // a key no column has) is left alone; an unknown order is the column's first.
  function restore() {
    var asked = new URLSearchParams(location.hash.slice(1));
    var key = asked.get("sort"), order = asked.get("order");
    if (!key) { return; }
    tables.forEach(function (keyed) {
      var column = keyed[key];
      if (!column) { return; }
      var descending = order === "desc" || (order !== "asc" && column.type === "number");
      column.sort(descending);
      carry(fragment(key, descending));
    });
  }

  restore();
  window.addEventListener("hashchange", restore);
  Array.prototype.forEach.call(document.querySelectorAll(".sort-help"), function (p) { p.hidden = false; });
})();
