/* Acupressure Journal's service worker, served by Django at /sw.js (acupressure/installable.py).

   Hand-written rather than Workbox: it does three small things, and the list it precaches and
   the version come from Django on every request for this file, where Workbox expects a build
   step (workbox-build) to write them, and would load its modules from several npm packages.

   - install: keep every public page and static file in CONFIG.precache, in a cache named by
     CONFIG.version. They are fetched without cookies, so what is kept is the page any visitor
     sees, never a logged-in person's.
   - activate: delete the caches of older versions, and take charge of open pages.
   - fetch: pages come from the network first; with no connection, the kept copy of a public
     page, or else the offline page. Journal pages are never kept. Static files in the list come
     from the cache (their names change when they do), anything else from the network.
   Log-out clears every cache of the site (Clear-Site-Data, set by Django on the log-out answer). */
"use strict";

const CONFIG = {{ config|safe }};
const CACHE = "acupressure-offline-" + CONFIG.version;
const PRECACHED = new Set(CONFIG.precache);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(
          CONFIG.precache.map((url) => new Request(url, { credentials: "omit", cache: "reload" })),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

async function fromCache(request) {
  // Django's answers vary on the cookie; a kept page is the visitor's one, whoever asks.
  return caches.match(request, { cacheName: CACHE, ignoreVary: true });
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const url = new URL(request.url);
    const kept = PRECACHED.has(url.pathname + url.search) ? await fromCache(request) : undefined;
    return kept || (await fromCache(CONFIG.offlinePage)) || Response.error();
  }
}

async function cacheFirst(request) {
  return (await fromCache(request)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.startsWith(CONFIG.staticPrefix) && PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
