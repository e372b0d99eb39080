/* 上报事件 on a phone: "使用手机定位" fills the longitude and latitude fields from the phone's
   position (navigator.geolocation). The fields stay editable: without permission, signal or a
   secure connection the worker types the coordinates or the address instead. With the
   position, an empty place chooser (data-place: its input's id) is filled with the place of
   the grid holding the point (data-locate-url), as the server would do on saving.
   Messages come from the button's data-* attributes, translated by the template. */
(function () {
  "use strict";

  function setup(button) {
    var longitude = document.getElementById(button.getAttribute("data-longitude"));
    var latitude = document.getElementById(button.getAttribute("data-latitude"));
    var status = document.getElementById(button.getAttribute("data-status"));
    function say(key, value, append) {
      if (!status) { return; }
      var text = (button.getAttribute(key) || "").replace("%s", value || "");
      status.textContent = append ? status.textContent + " " + text : text;
    }
    if (!longitude || !latitude) { return; }
    var place = document.getElementById(button.getAttribute("data-place") || "");
    var box = place && place.closest("[data-autocomplete]");

    function fillPlace() {
      var hidden = box && box.querySelector("[data-autocomplete-value]");
      var url = button.getAttribute("data-locate-url");
      if (!hidden || hidden.value || !url) { return; }
      url += "?longitude=" + encodeURIComponent(longitude.value) +
        "&latitude=" + encodeURIComponent(latitude.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (found) {
          if (found.id && !hidden.value) {
            box.dispatchEvent(new CustomEvent("autocomplete:set", { detail: found }));
            say("data-placed", found.label, true);
          }
        })
        .catch(function () {});
    }

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
          fillPlace();
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
