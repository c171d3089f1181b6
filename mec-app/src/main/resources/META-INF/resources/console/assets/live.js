/* Console live regions (issue 19), with htmx's SSE extension (dist/ext/sse.js of the htmx 2.0.4 WebJar).
   That file still swaps through api.selectAndSwap, which htmx 2 no longer has: every swap would fail silently. So
   this script takes each message first (htmx:sseBeforeMessage, cancelable) and swaps it with htmx 2's public
   htmx.swap into the element whose sse-swap names the event. When the server ends a stream because the session is
   over (logout elsewhere, expiry, user deleted) it sends "expired", and the page goes to the login. */
(function () {
  "use strict";

  function swapTarget(root, name) {
    var candidates = [root].concat(Array.prototype.slice.call(root.querySelectorAll("[sse-swap]")));
    for (var i = 0; i < candidates.length; i++) {
      var names = (candidates[i].getAttribute("sse-swap") || "").split(",");
      for (var j = 0; j < names.length; j++) {
        if (names[j].trim() === name) {
          return candidates[i];
        }
      }
    }
    return null;
  }

  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    var message = event.detail;
    var target = message && swapTarget(event.target, message.type);
    if (target) {
      event.preventDefault();
      htmx.swap(target, message.data, { swapStyle: target.getAttribute("hx-swap") || "innerHTML" });
    }
  });

  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail && event.detail.source;
    if (source && !source.mecgwExpiry) {
      source.mecgwExpiry = true;
      source.addEventListener("expired", function (message) {
        source.close();
        window.location.assign(message.data || "/console/login");
      });
    }
  });
})();
