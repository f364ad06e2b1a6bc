/* Acupressure Journal's service worker, served by Django at /sw.js (acupressure/installable.py).

   Hand-written rather than Workbox: it does a few small things, and the list it precaches and
   the version come from Django on every request for this file, where Workbox expects a build
   step (workbox-build) to write them, and would load its modules from several npm packages.

   - install: keep every public page and static file in CONFIG.precache, in a cache named by
     CONFIG.version. They are fetched without cookies, so what is kept is the page any visitor
     sees, never a logged-in person's.
   - activate: delete the caches of older versions, and take charge of open pages.
   - fetch: pages come from the network first; with no connection, the kept copy of a public
     page, or else the offline page. Journal pages are never kept, but for one: the log form
     (CONFIG.logForm), kept as the logged-in user last fetched it, so that a session can be
     logged with no connection. It is kept in a cache of its own, with the X-Journal-User header
     Django sent with it, and deleted as soon as a page arrives for anyone else (another user, or
     nobody logged in). Static files in the list come from the cache (their names change when
     they do), anything else from the network.
   - sync: sessions saved on this phone with no connection (static/js/offline-queue.js) are sent
     when the connection returns, where the browser has Background Sync.
   Log-out clears every cache of the site and its IndexedDB (Clear-Site-Data, set by Django on
   the log-out answer). */
"use strict";

const CONFIG = {{ config|safe }};
const CACHE = "acupressure-offline-" + CONFIG.version;
const FORM_CACHE = "acupressure-log-form";
const USER_HEADER = "X-Journal-User";
const SYNC_TAG = "send-waiting-sessions";
const PRECACHED = new Set(CONFIG.precache);

importScripts(...CONFIG.queueScripts);

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
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== CACHE && name !== FORM_CACHE).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function fromCache(request) {
  // Django's answers vary on the cookie; a kept page is the visitor's one, whoever asks.
  return caches.match(request, { cacheName: CACHE, ignoreVary: true });
}

// The log form is kept for the user named in the answer (formCopy: this answer, when it is the
// form); any other user's copy goes, and so does any copy when nobody is logged in.
async function keepLogForm(user, formCopy) {
  if (formCopy) {
    await (await caches.open(FORM_CACHE)).put(CONFIG.logForm, formCopy);
    return;
  }
  if (!(await caches.has(FORM_CACHE))) {
    return;
  }
  const kept = await caches.match(CONFIG.logForm, { cacheName: FORM_CACHE, ignoreVary: true });
  if (!kept || kept.headers.get(USER_HEADER) !== user) {
    await caches.delete(FORM_CACHE);
  }
}

async function networkFirst(event) {
  const request = event.request;
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    const user = response.headers.get(USER_HEADER) || "";
    const isForm = url.pathname === CONFIG.logForm && url.search === "";
    const formCopy = isForm && user && response.ok ? response.clone() : null;
    event.waitUntil(keepLogForm(user, formCopy));
    return response;
  } catch (error) {
    let kept;
    if (PRECACHED.has(url.pathname + url.search)) {
      kept = await fromCache(request);
    } else if (url.pathname === CONFIG.logForm) {
      kept = await caches.match(CONFIG.logForm, { cacheName: FORM_CACHE, ignoreVary: true });
    }
    return kept || (await fromCache(CONFIG.offlinePage)) || Response.error();
  }
}

async function cacheFirst(request) {
  return (await fromCache(request)) || fetch(request);
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) {
    event.waitUntil(
      self.OfflineQueue.current().then((me) => (me && me.owner ? self.OfflineQueue.sendAll(me.owner, me.csrfToken) : null)),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  } else if (url.pathname.startsWith(CONFIG.staticPrefix) && PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

/* Push reminders, sent by `manage.py send_reminders` (journal/push.py) as JSON {title, body, url}:
   show the reminder, and open its page when it is tapped, only ever a page of this site. The
   title and body are built by Django (journal/push.py), which is where they are translated; the
   worker has no page to read translations from, so its own title is only an English fallback
   for a payload without one. */
{% load static %}
(() => {
  const sameOrigin = (value) => {
    try {
      const url = new URL(value, self.location.origin);
      if (url.origin === self.location.origin) {
        return url.href;
      }
    } catch (error) {
      // Not a URL: open the home page instead.
    }
    return new URL("/", self.location.origin).href;
  };
  const text = (value, fallback) => (typeof value === "string" && value ? value : fallback);

  self.addEventListener("push", (event) => {
    let reminder = {};
    try {
      reminder = (event.data && event.data.json()) || {};
    } catch (error) {
      // Not JSON: the browser still expects a notification, so show the plain one.
    }
    event.waitUntil(
      self.registration.showNotification(text(reminder.title, "Time for acupressure"), {
        body: text(reminder.body, ""),
        icon: "{% static 'icons/icon-192.png' %}",
        tag: "practice-reminder",
        renotify: true,
        data: { url: sameOrigin(text(reminder.url, "/")) },
      }),
    );
  });

  self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const url = sameOrigin((event.notification.data && event.notification.data.url) || "/");
    event.waitUntil(
      self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
        const open = windows.find((client) => client.url === url && "focus" in client);
        return open ? open.focus() : self.clients.openWindow(url);
      }),
    );
  });
})();
