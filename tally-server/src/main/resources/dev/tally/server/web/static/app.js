// The dashboard's own script (no inline scripts: the Content-Security-Policy allows only files).
(function () {
  "use strict";

  // Instants are rendered as <time datetime="...Z">; show each in the viewer's own time zone.
  var dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (element) {
      if (element.dataset.local === "true" || !element.getAttribute("datetime").includes("T")) {
        return;
      }
      var instant = new Date(element.getAttribute("datetime"));
      if (!isNaN(instant.getTime())) {
        element.title = element.getAttribute("datetime");
        element.textContent = dateTime.format(instant);
        element.dataset.local = "true";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
  });

  // htmx requests that change something carry the session's CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token && event.detail.verb !== "get") {
      event.detail.headers["X-CSRF-Token"] = token.content;
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes(event.target);
  });
})();
