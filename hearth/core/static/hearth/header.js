// The header on every page: the small-screen menu button, and live counts (messages, notifications).
// Loaded right after the header (not deferred) so the menu is folded before the page paints.
// Without this file the menu is simply always open and the counts are as of the last page load.
// Events on the person's own channel (/ws/me/) are re-dispatched on `document` as "hearth:me"
// (detail = the event), so a page can react to them without opening a second socket.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var header = document.querySelector(".site-header");
  var button = document.getElementById("menu-button");
  var nav = document.getElementById("site-nav");
  if (button && nav) {
    button.hidden = false;
    var setOpen = function (open) {
      nav.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  var countsUrl = header && header.getAttribute("data-counts-url");

  // The installable app: the service worker keeps the last pages read for offline use and shows push.
  // Signed out, every kept page is forgotten, so the next person on a shared device sees nothing.
  var worker = header && header.getAttribute("data-sw");
  if (worker && "serviceWorker" in navigator) {
    if (countsUrl) {
      navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
    } else if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ kind: "forget" });
    }
  }
  if (!countsUrl || !window.WebSocket) return;

  // What concerns the person arrives as one kind (the notifications centre, hearth/core/notifications.py), with
  // a sentence ("text") and a place to go ("url"): shown in a calm notice under the header (a polite live
  // region), never a sound or a pop-up; it also changes a count. Bookings still send their own kinds
  // (recorded live deliveries, hearth/chat/actions.py), shown the same way.
  var NOTICES = ["notification.new", "chat.booking.changed", "chat.booking.reminder", "chat.booking.opened"];
  // Kinds that change a count in the header. Everything on the channel is re-dispatched either way.
  var COUNTED = ["inbox.changed", "notification.read"].concat(NOTICES);
  var notice = document.getElementById("live-notice");

  function showNotice(event) {
    if (!notice || !event.text) return;
    var item = document.createElement("p");
    if (event.url) {
      var link = document.createElement("a");
      link.href = event.url;
      link.textContent = event.text;
      item.appendChild(link);
    } else {
      item.textContent = event.text;
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () {
      item.remove();
      notice.hidden = !notice.children.length;
    });
    item.appendChild(document.createTextNode(" "));
    item.appendChild(close);
    notice.appendChild(item);
    while (notice.children.length > 3) notice.firstElementChild.remove();
    notice.hidden = false;
  }

  function show(name, n) {
    document.querySelectorAll('.badge[data-count="' + name + '"]').forEach(function (badge) {
      badge.hidden = !n;
      badge.firstChild.nodeValue = name === "total" && n > 9 ? "9+" : String(n);
    });
  }
  function refreshCounts() {
    fetch(countsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (counts) {
        if (!counts) return;
        var total = 0;
        Object.keys(counts).forEach(function (name) {
          show(name, counts[name]);
          total += counts[name];
        });
        show("total", total);
      })
      .catch(function () {});
  }

  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/me/");
    // Page scripts answer on the same socket (e.g. a receipt for a live delivery they showed).
    window.hearthMe = { send: function (message) { if (socket.readyState === 1) socket.send(JSON.stringify(message)); } };
    socket.onopen = function () {
      // Anything that arrived while we were away (or between page load and now) is counted again.
      if (delay > 1000) refreshCounts();
      delay = 1000;
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (COUNTED.indexOf(event.kind) !== -1) refreshCounts();
      if (NOTICES.indexOf(event.kind) !== -1) showNotice(event);
      document.dispatchEvent(new CustomEvent("hearth:me", { detail: event }));
    };
    socket.onclose = function (e) {
      if (e.code === 4401 || e.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
