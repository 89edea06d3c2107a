// The notification choices page: turn push on or off for this device (the rest of the page works without it).
// Subscribes through the browser's push service with the server's public key and tells the server the
// subscription; the service worker (/sw.js) shows what arrives.
(function () {
  "use strict";
  var box = document.getElementById("push-controls");
  if (!box) return;
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    box.hidden = false;
    on.hidden = true;
    status.textContent = "This browser can't receive push. Email and the app still reach you.";
    return;
  }
  box.hidden = false;
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function key(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || "The server said no.");
        return data;
      });
    });
  }
  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) { show(Boolean(subscription)); }).catch(function () {});

  on.addEventListener("click", function () {
    status.textContent = "Asking this browser…";
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("This browser isn't allowing notifications from us. You can change that in its settings.");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(box.getAttribute("data-key")) });
    }).then(function (subscription) {
      return post(box.getAttribute("data-add-url"), subscription.toJSON());
    }).then(function () {
      status.textContent = "Push is on for this device.";
      window.location.reload();
    }).catch(function (error) {
      status.textContent = "Push couldn't be turned on here: " + (error && error.message ? error.message : "please try again.");
    });
  });

  off.addEventListener("click", function () {
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return null;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () { return post(box.getAttribute("data-remove-url"), { endpoint: endpoint }); });
    }).then(function () {
      status.textContent = "Push is off for this device.";
      window.location.reload();
    }).catch(function () { status.textContent = "Push couldn't be turned off here. Please try again."; });
  });
})();
