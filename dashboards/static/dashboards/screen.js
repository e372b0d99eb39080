/* The big screen's clock; the panels refresh themselves through htmx polling. */
(function () {
  "use strict";
  function tick() {
    var clock = document.getElementById("screen-clock");
    if (!clock) { return; }
    var now = new Date();
    clock.textContent = now.toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false });
  }
  tick();
  window.setInterval(tick, 1000);
})();
