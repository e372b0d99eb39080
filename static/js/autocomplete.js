/* Place choosers (governance.widgets.PlaceInput): a search field suggesting the places of the
   reader's scope, named in full, from a scoped JSON endpoint; the chosen id goes into the
   hidden input beside it (the WAI-ARIA combobox pattern). Keyboard: arrows move, Enter
   chooses, Escape closes. Text typed but not chosen is sent as it is and looked up by the
   server, as it is without this script. Another script may fill a chooser by dispatching
   "autocomplete:set" with {id, label} on its box. No inline script (CSP), no library. */
(function () {
  "use strict";

  function setup(box) {
    var hidden = box.querySelector("[data-autocomplete-value]");
    var input = box.querySelector("[data-autocomplete-url]");
    var list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[data-autocomplete-status]");
    var timer = null;
    var active = -1;
    var chosenLabel = input.value;
    var request = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      hidden.value = item.getAttribute("data-id");
      input.value = chosenLabel = item.textContent;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-id", result.id);
        item.className = "autocomplete__option";
        item.textContent = result.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length
        ? (status.getAttribute("data-count") || "%s").replace("%s", String(results.length))
        : status.getAttribute("data-none");
      active = -1;
    }

    function search() {
      var number = ++request;
      var url = input.getAttribute("data-autocomplete-url") + "&q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) { if (number === request) { show(body.results || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenLabel) { hidden.value = ""; }
      // the suggestions shown answer older text: none may be chosen until the new ones come
      request++;
      list.textContent = "";
      close();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", function () {
      if (!hidden.value) { search(); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { search(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && (active >= 0 || options().length === 1)) {
        event.preventDefault();
        choose(options()[Math.max(active, 0)]);
      }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    box.addEventListener("autocomplete:set", function (event) {
      hidden.value = String(event.detail.id);
      input.value = chosenLabel = event.detail.label;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function init(root) {
    var boxes = (root || document).querySelectorAll("[data-autocomplete]");
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].hasAttribute("data-autocomplete-ready")) {
        boxes[i].setAttribute("data-autocomplete-ready", "");
        setup(boxes[i]);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
