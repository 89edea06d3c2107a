// The support page after a crisis message: when someone from the team acknowledges the alert, say so at once.
// header.js holds the /ws/me/ socket and re-dispatches each event as "hearth:me".
(function () {
  "use strict";
  var status = document.getElementById("alert-status");
  if (!status) return;
  document.addEventListener("hearth:me", function (e) {
    var event = e.detail || {};
    if (event.kind === "safety.alert_seen" && event.text) status.textContent = event.text;
  });
})();
