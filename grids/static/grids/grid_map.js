/* The grid map: our own GeoJSON drawn with ECharts (served locally; no tiles, no online map). */
(function () {
  "use strict";
  // ECharts puts a formatter's result into the page as HTML: every text from the records (a grid
  // name, a staffing problem) is escaped first, so a name such as "<img onerror=...>" stays text.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function draw() {
    var box = document.getElementById("grid-map");
    var source = document.getElementById("grid-geojson");
    if (!box || !source || !window.echarts) { return; }
    var geojson = JSON.parse(source.textContent);
    var byCases = box.dataset.color === "cases";
    echarts.registerMap("grids", geojson);
    var maxCases = 1;
    var data = geojson.features.map(function (f) {
      var p = f.properties;
      maxCases = Math.max(maxCases, p.open_cases);
      return {
        name: p.name,
        value: byCases ? p.open_cases : (p.staffing_ok ? 1 : 0),
        gridId: p.id,
        props: p,
        itemStyle: byCases ? undefined : { areaColor: p.staffing_ok ? "#9fd8ad" : "#f4a3a3" }
      };
    });
    var chart = echarts.init(box, null, { renderer: "canvas" });
    var option = {
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (item) {
          var p = item.data && item.data.props;
          if (!p) { return escapeHtml(item.name); }
          var state = byCases
            ? box.dataset.labelCases + " " + p.open_cases
            : (p.staffing_ok ? box.dataset.labelOk : box.dataset.labelBreach + "：" + p.problems.join("；"));
          return [p.name, box.dataset.labelWorkers + " " + p.workers, state].map(escapeHtml).join("<br>");
        }
      },
      series: [{
        type: "map",
        map: "grids",
        roam: true,
        label: { show: true, fontSize: 10 },
        emphasis: { label: { show: true } },
        itemStyle: { borderColor: "#9e1016", borderWidth: 1 },
        data: data
      }]
    };
    if (byCases) {
      option.visualMap = {
        min: 0, max: maxCases, left: "left", bottom: 0, calculable: true,
        inRange: { color: ["#fff5e6", "#d48806", "#c8161e"] }
      };
    }
    chart.setOption(option);
    chart.on("click", function (item) {
      if (item.data && item.data.gridId) {
        window.location.href = box.dataset.detailUrl.replace(/0\/$/, item.data.gridId + "/");
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "true";
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
