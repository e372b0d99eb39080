/* 上报事件 on a phone: "使用手机定位" fills the longitude and latitude fields from the phone's
   position (navigator.geolocation). The fields stay editable: without permission, signal or a
   secure connection the worker types the coordinates or the address instead.
   Messages come from the button's data-* attributes, translated by the template. */
(function () {
  "use strict";

  function setup(button) {
    var longitude = document.getElementById(button.getAttribute("data-longitude"));
    var latitude = document.getElementById(button.getAttribute("data-latitude"));
    var status = document.getElementById(button.getAttribute("data-status"));
    function say(key, value) {
      if (status) { status.textContent = (button.getAttribute(key) || "").replace("%s", value || ""); }
    }
    if (!longitude || !latitude) { return; }
    if (!("geolocation" in navigator)) {
      button.disabled = true;
      say("data-unsupported");
      return;
    }
    button.addEventListener("click", function () {
      button.disabled = true;
      say("data-waiting");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          longitude.value = position.coords.longitude.toFixed(6);
          latitude.value = position.coords.latitude.toFixed(6);
          button.disabled = false;
          say("data-done", String(Math.round(position.coords.accuracy)));
        },
        function () {
          button.disabled = false;
          say("data-failed");
          longitude.focus();
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-geolocate]"), setup);
})();
