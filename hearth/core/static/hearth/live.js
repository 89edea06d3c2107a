// Live pages: one small script for every page that follows a websocket.
// A container with data-live-ws="/ws/…" is refreshed when an event whose kind is listed in
// data-refresh-on arrives (the page at data-refresh-url, or just its data-refresh-select part,
// swapped into data-refresh-target; or the whole page is reloaded). For "/ws/me/" the header's
// socket is shared (header.js re-dispatches its events as "hearth:me"), so no second one opens. data-notify="kind:text|kind:text" shows a browser notification while the
// tab is hidden (after the person allowed it with the #enable-notifications button).
// Elements with data-since="<ISO time>" show a running "waiting m:ss" timer.
// Pages work without this file: they are plain forms and links.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function tick() {
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var s = Math.max(0, Math.floor((Date.now() - Date.parse(el.getAttribute("data-since"))) / 1000));
      el.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
    });
  }
  if (document.querySelector("[data-since]")) { tick(); setInterval(tick, 1000); }

  var root = document.querySelector("[data-live-ws]");
  if (!root || !window.WebSocket) return;
  var refreshOn = (root.getAttribute("data-refresh-on") || "").split(/\s+/).filter(Boolean);
  var notices = {};
  (root.getAttribute("data-notify") || "").split("|").forEach(function (pair) {
    var i = pair.indexOf(":");
    if (i > 0) notices[pair.slice(0, i)] = pair.slice(i + 1);
  });
  var button = document.getElementById("enable-notifications");
  if (button && "Notification" in window && Notification.permission === "default") {
    button.hidden = false;
    button.addEventListener("click", function () {
      Notification.requestPermission().then(function () { button.hidden = true; });
    });
  }
  function refresh() {
    var url = root.getAttribute("data-refresh-url");
    var target = root.getAttribute("data-refresh-target");
    var select = root.getAttribute("data-refresh-select");
    if (url && target && window.htmx) {
      var options = { target: target, swap: select ? "outerHTML" : "innerHTML" };
      if (select) options.select = select;
      window.htmx.ajax("GET", url, options).then(tick);
    } else {
      window.location.reload();
    }
  }
  function handle(event) {
    root.dispatchEvent(new CustomEvent("hearth:event", { detail: event }));
    if (notices[event.kind] && document.hidden && "Notification" in window && Notification.permission === "granted") {
      new Notification(notices[event.kind]);
    }
    if (refreshOn.indexOf(event.kind) !== -1) refresh();
  }
  if (root.getAttribute("data-live-ws") === "/ws/me/" && document.querySelector("[data-counts-url]")) {
    document.addEventListener("hearth:me", function (e) { handle(e.detail); });
    return;
  }
  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-live-ws"));
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (message) { handle(JSON.parse(message.data)); };
    socket.onclose = function (e) {
      if (e.code === 4401 || e.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
