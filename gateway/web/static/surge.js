// The surge page refreshes its figures by itself: every few seconds it asks the
// same page again and puts the new #surge in place of the old. Without script, a
// <noscript> refresh and a link do the same.
(function () {
  "use strict";
  var box = document.getElementById("surge");
  if (!box || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 10;

  function refresh() {
    fetch(window.location.pathname, {credentials: "same-origin",
                                     headers: {"Accept": "text/html"}})
      .then(function (answer) {
        if (!answer.ok) { throw new Error("status " + answer.status); }
        return answer.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .getElementById("surge");
        if (fresh) {
          box.innerHTML = fresh.innerHTML;
          box.setAttribute("data-refreshed", String(Date.now()));
        }
      })
      .catch(function () { /* the next turn tries again */ })
      .then(function () { window.setTimeout(refresh, seconds * 1000); });
  }

  window.setTimeout(refresh, seconds * 1000);
}());
