// Live updates for a group page or the feed. Events carry ids only; each post
// is fetched from the access-checked fragment view, so what appears is exactly
// what a reload would show this member. Without this script the pages work as
// plain forms and links.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.WebSocket) return;
  var status = document.getElementById("live-status");
  var posts = document.getElementById("posts");
  var fragment = live.dataset.fragment; // ".../posts/0/fragment/"
  var feed = live.dataset.feed === "1";
  var delay = 1000;

  function fragmentUrl(id) {
    return fragment.replace("/0/", "/" + id + "/") + (feed ? "?feed=1" : "");
  }

  function fetchPost(id) {
    return fetch(fragmentUrl(id), { credentials: "same-origin", headers: { "HX-Request": "true" } }).then(function (r) {
      if (!r.ok) return null;
      return r.text().then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        return t.content.firstElementChild;
      });
    });
  }

  function replacePost(id, removeIfGone) {
    var old = document.getElementById("post-" + id);
    // Never pull the page out from under someone who is using that post.
    if (!old || old.contains(document.activeElement)) return;
    fetchPost(id).then(function (el) {
      if (!el) {
        if (removeIfGone) old.remove(); // hidden by a moderator: gone for this member too
        return;
      }
      old.replaceWith(el);
      if (window.htmx) window.htmx.process(el);
    });
  }

  function addPost(id) {
    if (!posts || live.dataset.firstPage !== "1" || document.getElementById("post-" + id)) return;
    fetchPost(id).then(function (el) {
      if (!el) return;
      posts.prepend(el);
      if (window.htmx) window.htmx.process(el);
      if (status) status.textContent = "A new post was added at the top.";
    });
  }

  // A gathering or drop-in announced in one of these groups: refresh "Coming up" and say so.
  function refreshComingUp(event) {
    var panel = document.getElementById("coming-up");
    if (status && event.text) status.textContent = "New in your group: " + event.text;
    if (!panel || !panel.dataset.refreshUrl) return;
    fetch(panel.dataset.refreshUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } }).then(function (r) {
      if (!r.ok) return;
      return r.text().then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        var fresh = t.content.firstElementChild;
        if (fresh && !panel.contains(document.activeElement)) panel.replaceWith(fresh);
      });
    });
  }

  // Someone tapped "I'm here": the group page's "Here quietly today" list is read again.
  function refreshHere() {
    var here = document.getElementById("here");
    if (!here || here.contains(document.activeElement)) return;
    fetch(location.pathname, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) return;
      return r.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("here");
        if (fresh) here.replaceWith(document.importNode(fresh, true));
      });
    });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + live.dataset.socket);
    socket.onopen = function () { delay = 1000; };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.kind === "community.post.created") addPost(event.post);
      else if (event.kind === "community.comment.created" || event.kind === "community.reaction.changed") replacePost(event.post);
      else if (event.kind === "community.post.changed") replacePost(event.post, true);
      else if (event.kind === "chat.gathering.scheduled" || event.kind === "chat.drop_in.announced") refreshComingUp(event);
      else if (event.kind === "community.here") refreshHere();
    };
    socket.onclose = function (e) {
      if (e.code === 4401 || e.code === 4403) return; // signed out or no longer a member
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
