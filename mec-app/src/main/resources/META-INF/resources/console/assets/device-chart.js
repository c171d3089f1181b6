/* Device page (issue 19): loads the last hour (/console/devices/{id}/readings) into a uPlot chart once the live
   connection is open, then adds each new reading that arrives over server-sent events ("readings"; htmx's SSE
   extension opens the connection). Loading on each (re)connection, once the server has registered it ("ready"), means
   no point committed meanwhile is missing.
   Only the last hour is kept, so memory stays bounded. */
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var live = document.getElementById("device-live");
  if (!holder || !live) {
    return;
  }
  var WINDOW = 3600;
  var colours = ["#0b5cad", "#b3261e", "#1b7f3b", "#9a6200", "#6b3fa0", "#00838f"];
  var plot = null;
  var shown = null;
  var chart = { metrics: [], data: [[]] };
  var loaded = false;
  var arrived = null;

  function latest() {
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

  function draw() {
    document.getElementById("latest-reading").textContent = latest();
    holder.dataset.points = String(chart.data[0].length);
    if (plot && shown === chart.metrics.join("\u0000")) {
      plot.setData(chart.data);
      return;
    }
    if (plot) {
      plot.destroy();
    }
    shown = chart.metrics.join("\u0000");
    var series = [{}].concat(chart.metrics.map(function (metric, i) {
      return { label: metric, spanGaps: true, stroke: colours[i % colours.length], points: { show: true } };
    }));
    // The x axis is always the last hour up to now: uPlot's own range for one or two points spans years.
    var scales = { x: { time: true, range: function () { var now = Date.now() / 1000; return [now - WINDOW, now + 5]; } } };
    var options = { width: Math.max(300, holder.clientWidth), height: 260, series: series, scales: scales };
    plot = new uPlot(options, chart.data, holder);
  }

  /* Puts one reading into the aligned columns: a new x gets a slot (nulls for the other metrics). */
  function add(reading) {
    var column = chart.metrics.indexOf(reading.metric);
    if (column < 0) {
      chart.metrics.push(reading.metric);
      chart.data.push(chart.data[0].map(function () { return null; }));
      column = chart.metrics.length - 1;
    }
    var xs = chart.data[0];
    var at = xs.length;
    while (at > 0 && xs[at - 1] > reading.ts) {
      at--;
    }
    if (at === 0 || xs[at - 1] !== reading.ts) {
      chart.data.forEach(function (values, i) { values.splice(at, 0, i === 0 ? reading.ts : null); });
    } else {
      at--;
    }
    chart.data[column + 1][at] = reading.value;
  }

  function trim() {
    var oldest = Date.now() / 1000 - WINDOW;
    var drop = 0;
    while (drop < chart.data[0].length && chart.data[0][drop] < oldest) {
      drop++;
    }
    if (drop > 0) {
      chart.data.forEach(function (values) { values.splice(0, drop); });
    }
  }

  function reload() {
    // Readings pushed while the load is under way may be newer than what it returns: kept and put in again after it.
    arrived = [];
    fetch(holder.dataset.readings, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (fresh) {
        if (fresh) {
          loaded = true;
          chart = fresh;
          arrived.forEach(add);
          trim();
          draw();
        }
      })
      .catch(function () { /* the next reconnection tries again */ })
      .then(function () { arrived = null; });
  }

  live.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail.source;
    source.addEventListener("readings", function (message) {
      var readings = JSON.parse(message.data);
      readings.forEach(add);
      if (arrived) {
        Array.prototype.push.apply(arrived, readings);
      }
      trim();
      draw();
    });
    // Readings committed between the page's render and this (re)connection came over no stream: load the last hour
    // once the server says the stream is registered ("ready"), so that every reading is in that load or comes after
    // it (a reading in both keeps one point: add() puts a known time into its slot).
    source.addEventListener("ready", reload);
  });

  draw();
  // Without a live connection (yet), the last hour still shows.
  setTimeout(function () { if (!loaded) { reload(); } }, 3000);
})();
