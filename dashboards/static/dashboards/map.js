/* The dashboard's grid map: the grids' own GeoJSON (no tiles, no online map), coloured by open
   or overdue cases per 1,000 households or by staffing; a click opens the grid's community. */
(function () {
  "use strict";
  var MODES = { open: "open_per_1000", overdue: "overdue_per_1000" };

  // ECharts puts a formatter's result into the page as HTML: every text from the records (a grid
  // or community name, a staffing problem) is escaped first, so "<img onerror=...>" stays text.
  // (The same helper as the grid map's, grids/grid_map.js.)
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function setup() {
    var box = document.getElementById("dash-map");
    if (!box || !window.echarts || box.dataset.ready) { return; }
    box.dataset.ready = "loading";
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (geojson) { draw(box, geojson); });
  }

  function draw(box, geojson) {
    var d = box.dataset;
    var isDark = document.body.dataset.chartTheme === "dark";
    if (!geojson.features.length) {
      box.textContent = d.labelEmpty;
      box.classList.add("dash-map--empty");
      box.dataset.ready = "true";
      return;
    }
    echarts.registerMap("dash-grids", geojson);
    var chart = echarts.init(box, isDark ? "dark" : null, { renderer: "canvas" });

    function render(mode) {
      var field = MODES[mode];
      var max = 1;
      var data = geojson.features.map(function (f) {
        var p = f.properties;
        var value = field ? p[field] : (p.staffing_ok ? 1 : 0);
        if (field && value !== null) { max = Math.max(max, value); }
        return {
          name: p.name,
          value: value === null ? "-" : value,
          props: p,
          itemStyle: field ? undefined : { areaColor: p.staffing_ok ? "#9fd8ad" : "#f4a3a3" }
        };
      });
      var option = {
        backgroundColor: "transparent",
        tooltip: {
          trigger: "item",
          formatter: function (item) {
            var p = item.data && item.data.props;
            if (!p) { return escapeHtml(item.name); }
            var lines = [p.name, d.labelCommunity + " " + p.community,
              d.labelOpen + " " + p.open + "，" + d.labelOverdue + " " + p.overdue,
              d.labelHouseholds + " " + p.households];
            if (MODES[mode]) { lines.push(d.labelPer1000 + " " + (p[MODES[mode]] === null ? "—" : p[MODES[mode]])); }
            lines.push(p.staffing_ok ? d.labelOk : d.labelBreach + "：" + p.problems.join("；"));
            return lines.map(escapeHtml).join("<br>");
          }
        },
        series: [{
          type: "map",
          map: "dash-grids",
          roam: true,
          label: { show: false },
          emphasis: { label: { show: true } },
          itemStyle: { borderColor: isDark ? "#0b1e3a" : "#9e1016", borderWidth: 0.6, areaColor: "#e8e8e8" },
          data: data
        }]
      };
      if (field) {
        option.visualMap = {
          min: 0, max: max, left: "left", bottom: 0, calculable: true,
          textStyle: { color: isDark ? "#e8eef8" : "#333" },
          inRange: { color: ["#fff5e6", "#d48806", "#c8161e"] }
        };
      }
      chart.setOption(option, true);
      box.dataset.color = mode;
      document.querySelectorAll("[data-map-color]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.dataset.mapColor === mode ? "true" : "false");
      });
    }

    render(d.color || "open");
    chart.on("click", function (item) {
      if (item.data && item.data.props) {
        window.location.href = d.dashboardUrl + "?area=" + item.data.props.community_id;
      }
    });
    document.querySelectorAll("[data-map-color]").forEach(function (button) {
      button.addEventListener("click", function () { render(button.dataset.mapColor); });
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
