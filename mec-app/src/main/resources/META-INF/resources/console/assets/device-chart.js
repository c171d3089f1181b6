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
    plot = new uPlot({ width: Math.max(300, holder.clientWidth), height: 260, series: series }, chart.data, holder);
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
