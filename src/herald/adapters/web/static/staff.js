// herald staff: live preview of the bulletin form (progressive enhancement only).
// Without this script the "Preview" button re-renders the page on the server.
// Loaded from /static (CSP script-src 'self'); no inline script, no eval.
(function () {
  "use strict";
  var DELAY_MS = 600;

  function start() {
    var form = document.getElementById("bulletin-form");
    var target = document.getElementById("preview");
    if (!form || !target || !window.fetch || !window.FormData) {
      return;
    }
    var endpoint = form.getAttribute("data-preview") || "/staff/preview";
    var timer = null;
    var latest = 0;

    function refresh() {
      var ticket = ++latest;
      var body = new FormData(form);
      body.delete("action");
      fetch(endpoint, {
        method: "POST",
        body: new URLSearchParams(body),
        credentials: "same-origin",
        headers: { "Accept": "text/html" }
      }).then(function (response) {
        return response.text();
      }).then(function (html) {
        if (ticket === latest) {
          // The server renders this fragment: authored text is escaped and sanitised there.
          target.innerHTML = html;
        }
      }).catch(function () { /* keep the last preview; the button still works */ });
    }

    function schedule() {
      if (timer !== null) {
        window.clearTimeout(timer);
      }
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
