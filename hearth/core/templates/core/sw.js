// Hearth's service worker (served at /sw.js so it looks after every page). Version {{ version }}.
//
// 1. Offline: the last pages a person read open without a connection. Pages the server marks with the
//    "Hearth-Offline: keep" header (a member's own pages: home, feed, groups, Messages, help, places that
//    help; never staff pages) are kept after each visit (the newest 25); a page with no copy shows /offline/.
//    "Need help now?" is kept from the start. Signing out clears every copy (header.js).
// 2. Push: shows what the server sent (a sentence Hearth wrote and a link, never anyone's words) and opens
//    the link when it's tapped, in a window of Hearth that's already open if there is one.
"use strict";

const VERSION = "{{ version|escapejs }}";
const PAGES = "hearth-pages";
const STATIC = "hearth-static-" + VERSION;
const KEEP_PAGES = 25;
const FIRST = ["{% url 'core:offline' %}", "{% url 'core:help' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(PAGES).then((cache) => cache.addAll(FIRST)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("hearth-static-") && n !== STATIC).map((n) => caches.delete(n))
      ))
      .then(() => self.clients.claim())
  );
});

async function trim(cache) {
  const keys = await cache.keys();
  const keep = new Set(FIRST.map((path) => new URL(path, self.location.origin).href));
  const pages = keys.filter((request) => !keep.has(request.url));
  for (const old of pages.slice(0, Math.max(0, pages.length - KEEP_PAGES))) await cache.delete(old);
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get("Hearth-Offline") === "keep") {
      const cache = await caches.open(PAGES);
      await cache.delete(request); // so the newest visit is last, and trim() drops the oldest
      await cache.put(request, response.clone());
      await trim(cache);
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    return (await cache.match(request)) || (await cache.match("{% url 'core:offline' %}")) || Response.error();
  }
}

async function asset(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => kept);
  return kept || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(asset(request));
  }
});

self.addEventListener("message", (event) => {
  // header.js on a signed-out page: forget every copy, so the next person on this device sees nothing.
  if (event.data && event.data.kind === "forget") {
    event.waitUntil(caches.delete(PAGES).then(() => caches.open(PAGES)).then((cache) => cache.addAll(FIRST)));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = data.title || "{{ org_name|escapejs }}";
  const options = {
    body: data.body || "Something new is waiting for you.",
    tag: data.tag || undefined,
    data: { url: data.url || "/" },
    icon: "{% load static %}{% static 'hearth/icon-192.png' %}",
    badge: "{% static 'hearth/icon-192.png' %}",
    requireInteraction: Boolean(data.urgent && data.tag && data.tag.startsWith("alert-")),
    renotify: Boolean(data.tag && data.urgent),
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if ("focus" in client) {
          return client.navigate(target.href).then((c) => (c || client).focus());
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
