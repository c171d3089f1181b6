/* Device page (issue 19): draws the last hour inlined into the page with uPlot, then polls the readings every second. */
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var inline = document.getElementById("chart-data");
  if (!holder || !inline) {
    return;
  }
  var colours = ["#0b5cad", "#b3261e", "#1b7f3b", "#9a6200", "#6b3fa0", "#00838f"];
  var plot = null;
  var metrics = null;

  function latest(chart) {
    var xs = chart.data[0];
    if (xs.length === 0) {
      return "none";
    }
    var last = xs.length - 1;
    var parts = [];
    chart.metrics.forEach(function (metric, i) {
      var value = chart.data[i + 1][last];
      if (value !== null && value !== undefined) {
        parts.push(metric + "=" + value);
      }
    });
    return parts.join(", ") + " at " + new Date(xs[last] * 1000).toISOString();
  }

  function draw(chart) {
    document.getElementById("latest-reading").textContent = latest(chart);
    holder.dataset.points = String(chart.data[0].length);
    if (plot && metrics === chart.metrics.join("\u0000")) {
      plot.setData(chart.data);
      return;
    }
    if (plot) {
      plot.destroy();
    }
    metrics = chart.metrics.join("\u0000");
    var series = [{}].concat(chart.metrics.map(function (metric, i) {
      return { label: metric, spanGaps: true, stroke: colours[i % colours.length], points: { show: true } };
    }));
    // The x axis is always the last hour up to now: uPlot's own range for one or two points spans years.
    var scales = { x: { time: true, range: function () { var now = Date.now() / 1000; return [now - 3600, now + 5]; } } };
    var options = { width: Math.max(300, holder.clientWidth), height: 260, series: series, scales: scales };
    plot = new uPlot(options, chart.data, holder);
  }

  function poll() {
    fetch(holder.dataset.readings, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (chart) { if (chart) { draw(chart); } })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { setTimeout(poll, 1000); });
  }

  draw(JSON.parse(inline.textContent));
  setTimeout(poll, 1000);
})();
