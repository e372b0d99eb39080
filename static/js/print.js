/* Print buttons ([data-print]) without inline handlers: the portal's CSP forbids them. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
