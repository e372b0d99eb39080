/* Dashboard charts: each [data-chart] element names the JSON block (json_script) that holds its
   figures; the same figures are in the table beside it. ECharts comes from our own static files.
   Charts are drawn again after an htmx swap (the big screen's refresh). */
(function () {
  "use strict";
  var PALETTE = ["#c8161e", "#d48806", "#2f6fb5", "#5b8c3a", "#8c4fa3", "#13a8a8", "#e0620d", "#7a7a7a"];

  function dark() { return document.body.dataset.chartTheme === "dark"; }

  function rendererOf(el) {
    var holder = el.closest("[data-chart-renderer]");
    return holder ? holder.dataset.chartRenderer : "canvas";
  }

  function optionFor(spec, isDark) {
    var text = isDark ? "#e8eef8" : "#333";
    var size = isDark ? 16 : 12;
    var base = {
      color: PALETTE,
      backgroundColor: "transparent",
      textStyle: { color: text, fontSize: size },
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis" },
      animation: false
    };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, type: "scroll", textStyle: { color: text, fontSize: size } };
      base.series = [{
        type: "pie",
        radius: ["35%", "62%"],
        center: ["50%", "45%"],
        label: { color: text, fontSize: size, formatter: "{b} {c}" },
        data: spec.labels.map(function (label, i) {
          return { name: label, value: spec.series[0].data[i] };
        })
      }];
      return base;
    }
    var hasPercent = spec.series.some(function (s) { return s.percent; });
    var category = {
      type: "category",
      data: spec.labels,
      axisLabel: { color: text, fontSize: size, interval: 0, rotate: spec.horizontal ? 0 : (spec.labels.length > 6 ? 30 : 0) }
    };
    var values = [{ type: "value", minInterval: 1, axisLabel: { color: text, fontSize: size } }];
    if (hasPercent) {
      values.push({ type: "value", min: 0, max: 100, axisLabel: { color: text, fontSize: size, formatter: "{value}%" } });
    }
    base.legend = { top: 0, textStyle: { color: text, fontSize: size } };
    base.grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    if (spec.horizontal) {
      base.xAxis = values[0];
      base.yAxis = Object.assign({}, category, { inverse: true });
    } else {
      base.xAxis = category;
      base.yAxis = values;
    }
    base.series = spec.series.map(function (s) {
      return {
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        data: s.data,
        yAxisIndex: s.percent && !spec.horizontal ? 1 : 0,
        smooth: spec.kind === "line",
        barMaxWidth: 28,
        label: { show: spec.kind === "bar" && spec.labels.length <= 12, position: spec.horizontal ? "right" : "top", color: text }
      };
    });
    return base;
  }

  function draw(root) {
    if (!window.echarts) { return; }
    var charts = Array.prototype.slice.call((root || document).querySelectorAll("[data-chart]"));
    if (root && root.matches && root.matches("[data-chart]")) { charts.push(root); }
    charts.forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var old = echarts.getInstanceByDom(el);
      if (old) { old.dispose(); }
      var chart = echarts.init(el, dark() ? "dark" : null, { renderer: rendererOf(el) });
      try {
        chart.setOption(optionFor(spec, dark()));
        el.dataset.ready = "true";
      } catch (error) {  // one chart that cannot be drawn leaves its table and the others
        el.dataset.ready = "failed";
        if (window.console) { console.error(el.dataset.chart, error); }
      }
    });
  }

  function resizeAll() {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  }

  window.portalCharts = { draw: draw, optionFor: optionFor };
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", resizeAll);
  document.addEventListener("htmx:afterSettle", function (event) {
    // the big screen swaps its panels in: draw what came in (the KPI strip brings the side
    // columns out of band, so the whole document is looked at then)
    draw(event.target && event.target.id === "screen-kpis" ? document : event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
