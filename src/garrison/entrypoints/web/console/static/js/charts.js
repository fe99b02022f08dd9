// Draws every `.uplot-target[data-chart]` with the vendored uPlot (no CDN, no build step).
(function () {
  "use strict";
  var COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#6b7280"];
  function draw(el) {
    var chart = JSON.parse(el.getAttribute("data-chart"));
    var data = [chart.x];
    var series = [{}];
    chart.lines.forEach(function (line, i) {
      data.push(line.values);
      series.push({ label: line.label, stroke: COLOURS[i % COLOURS.length], width: 2 });
    });
    var width = Math.max(320, Math.min(el.clientWidth || 720, 960));
    new uPlot({ width: width, height: 220, series: series, axes: [{}, {}] }, data, el);
    el.setAttribute("data-drawn", "true");
  }
  function drawAll() {
    if (typeof uPlot === "undefined") { return; }
    document.querySelectorAll(".uplot-target[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
