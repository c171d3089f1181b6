/* Console live regions (issue 19): htmx's SSE extension swaps the regions; when the server ends a stream because
   the session is over (logout elsewhere, expiry, user deleted) it sends "expired", and the page goes to the login. */
(function () {
  "use strict";
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
