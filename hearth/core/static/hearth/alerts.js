// Banners that stay on every page until someone deals with them (crisis alerts), kept live over /ws/me/.
// The server renders open ones into #page-banners, so they survive a reload; this script adds new ones as
// they arrive, says which it showed (a receipt, so staff can see "live to 2 screens"), removes one when
// anybody acknowledges it, and after a dropped connection fetches the current set again (/banners/).
// Optional, per device: a browser notification and a short sound. Pages work without this file.
(function () {
  "use strict";
  var root = document.getElementById("page-banners");
  if (!root || !window.WebSocket) return;
  var SOUND_KEY = "hearth.alertSound";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function find(key) { return root.querySelector('[data-banner="' + key + '"]'); }

  function buildBanner(event) {
    var key = "alert-" + event.alert;
    var banner = find(key);
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "page-banner" + (event.drill ? " drill" : "");
      banner.setAttribute("role", "alert");
      banner.setAttribute("data-banner", key);
      var p = document.createElement("p");
      var words = document.createElement("span");
      var link = document.createElement("a");
      link.href = event.url;
      link.textContent = "Open the alert";
      p.appendChild(words);
      p.appendChild(document.createTextNode(" "));
      p.appendChild(link);
      var form = document.createElement("form");
      form.method = "post";
      form.action = event.ack_url;
      [["csrfmiddlewaretoken", csrfToken()], ["next", root.getAttribute("data-next") || "/"]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
        form.appendChild(input);
      });
      var button = document.createElement("button");
      button.type = "submit";
      button.textContent = "I've got this";
      form.appendChild(button);
      banner.appendChild(p);
      banner.appendChild(form);
      root.appendChild(banner);
    }
    var span = banner.querySelector("p span") || banner.querySelector("p");
    if (span && span.tagName === "SPAN") span.textContent = event.text;
    return banner;
  }

  function beep() {
    if (localStorage.getItem(SOUND_KEY) !== "on") return;
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    var ctx = new Ctx();
    var osc = ctx.createOscillator();
    var gain = ctx.createGain();
    osc.frequency.value = 660;
    gain.gain.value = 0.15;
    osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.35);
    osc.onended = function () { ctx.close(); };
  }

  function notify(text) {
    if ("Notification" in window && Notification.permission === "granted") {
      try { new Notification(text); } catch (e) { /* some browsers only allow it from a service worker */ }
    }
  }

  function refresh() {
    fetch("/banners/", { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) root.innerHTML = html; })
      .catch(function () { /* keep what is shown; the next reconnect tries again */ });
  }

  var delay = 1000, opened = false;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-banners-ws"));
    socket.onopen = function () {
      if (opened) refresh();  // anything raised or acknowledged while we were away
      opened = true;
      delay = 1000;
    };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.kind === "safety.alert") {
        var isNew = !find("alert-" + event.alert);
        buildBanner(event);
        if (event.delivery) socket.send(JSON.stringify({ kind: "received", delivery: event.delivery }));
        if (isNew || event.escalated) { notify(event.text); beep(); }
      } else if (event.kind === "safety.alert_acknowledged") {
        var banner = find("alert-" + event.alert);
        if (banner) banner.remove();
      }
    };
    socket.onclose = function (e) {
      if (e.code === 4401 || e.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();

  var notifyButton = document.getElementById("alert-notify");
  if (notifyButton && "Notification" in window && Notification.permission === "default") {
    notifyButton.hidden = false;
    notifyButton.addEventListener("click", function () {
      Notification.requestPermission().then(function () { notifyButton.hidden = true; });
    });
  }
  var soundButton = document.getElementById("alert-sound");
  if (soundButton) {
    var show = function () {
      var on = localStorage.getItem(SOUND_KEY) === "on";
      soundButton.setAttribute("aria-pressed", on ? "true" : "false");
      soundButton.textContent = "Play a sound: " + (on ? "on" : "off");
    };
    show();
    soundButton.addEventListener("click", function () {
      localStorage.setItem(SOUND_KEY, localStorage.getItem(SOUND_KEY) === "on" ? "off" : "on");
      show();
      beep();
    });
  }
})();
