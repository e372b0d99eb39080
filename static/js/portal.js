/* Keyboard and screen-reader help shared by every page (no library; htmx loads tree levels).

   Trees (<ul class="tree" data-tree>): each node is a row with an expand button and a link.
   Tab reaches both; in the tree the arrow keys move as in a file browser:
   ↓/↑ next/previous row, → expand (or go to the first child), ← collapse (or go to the parent),
   Home/End first/last row. */
(function () {
  "use strict";

  function setExpanded(toggle, open) {
    var panel = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) { panel.hidden = !open; }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".tree__toggle");
    if (toggle) { setExpanded(toggle, toggle.getAttribute("aria-expanded") !== "true"); }
  });

  function visibleRows(tree) {
    var root = tree;
    while (root.parentElement && root.parentElement.closest("[data-tree]")) {
      root = root.parentElement.closest("[data-tree]");
    }
    return Array.prototype.filter.call(root.querySelectorAll(".tree__row"), function (row) {
      return row.offsetParent !== null;
    });
  }

  function rowOf(element) { return element.closest(".tree__row"); }
  function linkOf(row) { return row.querySelector(".tree__link"); }
  function toggleOf(row) { return row.querySelector(".tree__toggle"); }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest("[data-tree]")) { return; }
    var row = rowOf(target);
    if (!row || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var rows = visibleRows(target.closest("[data-tree]"));
    var index = rows.indexOf(row);
    var toggle = toggleOf(row);
    var open = toggle && toggle.getAttribute("aria-expanded") === "true";
    var next = null;
    switch (event.key) {
      case "ArrowDown": next = rows[index + 1]; break;
      case "ArrowUp": next = rows[index - 1]; break;
      case "Home": next = rows[0]; break;
      case "End": next = rows[rows.length - 1]; break;
      case "ArrowRight":
        if (toggle && !open) { toggle.click(); } else if (open) { next = rows[index + 1]; }
        break;
      case "ArrowLeft":
        if (open) {
          setExpanded(toggle, false);
        } else {
          var parentItem = row.parentElement.parentElement.closest(".tree__item");
          next = parentItem ? parentItem.querySelector(".tree__row") : null;
        }
        break;
      default: return;
    }
    event.preventDefault();
    if (next) { linkOf(next).focus(); }
  });
})();
