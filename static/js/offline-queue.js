// Sessions logged with no connection wait here, in IndexedDB on this phone, until they are sent
// to the JSON API. Loaded by the journal pages (static/js/offline-log.js) and by the service
// worker (for Background Sync), after idb's UMD build (node_modules/idb, served as idb/umd.js).
//
// Each session carries a UUID made here (client_id): the server stores a session once per
// client_id and answers a repeat with the session it has, so a send that is cut off and tried
// again never makes a second copy. Each also carries its owner (the id of the logged-in user who
// saved it): only the owner's sessions are shown or sent, with the owner's CSRF token (Django
// makes a new one at each log-in, so a token left here by someone else is refused, never used for
// the person now logged in). Log-out empties this database (Clear-Site-Data: "storage").
(function (scope) {
  "use strict";

  var DB_NAME = "acupressure-journal";
  var SESSIONS = "waiting-sessions";
  var META = "meta"; // who is logged in here, and their CSRF token, for the service worker
  var API_URL = "/api/v1/sessions/";
  var CHANNEL = "acupressure-offline-queue";
  var SENDING_LOCK = "acupressure-send-waiting-sessions";
  // Kept as the reason when the server gave none. This file also runs in the service worker,
  // which has no page to read translations from, so the reason is kept in English and the page
  // (static/js/offline-log.js) shows it translated (key "offline_not_accepted").
  var NOT_ACCEPTED = "The journal did not accept this session.";

  function open() {
    return scope.idb.openDB(DB_NAME, 1, {
      upgrade: function (db) {
        db.createObjectStore(SESSIONS, { keyPath: "client_id" });
        db.createObjectStore(META);
      },
    });
  }

  // Tells the open pages (and the worker) that the list changed; "sent" when a session reached
  // the journal.
  function changed(what) {
    if ("BroadcastChannel" in scope) {
      var channel = new BroadcastChannel(CHANNEL);
      channel.postMessage(what || "changed");
      channel.close();
    }
  }

  async function add(owner, data, summary) {
    var entry = {
      client_id: scope.crypto.randomUUID(),
      owner: String(owner),
      saved_at: new Date().toISOString(),
      data: data,
      summary: summary,
      problem: "",
    };
    entry.data.client_id = entry.client_id;
    var db = await open();
    await db.put(SESSIONS, entry);
    changed();
    return entry;
  }

  async function list(owner) {
    var db = await open();
    var all = await db.getAll(SESSIONS);
    return all
      .filter(function (entry) {
        return entry.owner === String(owner);
      })
      .sort(function (a, b) {
        return a.saved_at < b.saved_at ? -1 : 1;
      });
  }

  async function discard(clientId) {
    var db = await open();
    await db.delete(SESSIONS, clientId);
    changed();
  }

  async function remember(owner, csrfToken) {
    var db = await open();
    await db.put(META, { owner: String(owner), csrfToken: csrfToken }, "current");
  }

  async function current() {
    var db = await open();
    return db.get(META, "current");
  }

  // The server's field errors ({"points": ["…"], "pain_before": ["…"]}) as one sentence or more.
  function explain(body) {
    var messages = [];
    (function walk(value) {
      if (typeof value === "string") {
        messages.push(value);
      } else if (Array.isArray(value)) {
        value.forEach(walk);
      } else if (value && typeof value === "object") {
        Object.keys(value).forEach(function (key) {
          walk(value[key]);
        });
      }
    })(body);
    return messages.join(" ") || NOT_ACCEPTED;
  }

  // Sends the owner's waiting sessions, oldest first. Stored (201) or already stored (200):
  // removed from the phone. Refused (4xx with a reason): kept, with the server's reason, until
  // the person discards it. Not logged in, or no CSRF token (401, 403): kept as it is, for the
  // next try. A network error or a server error: stops and rejects, so Background Sync tries
  // again later.
  //
  // One sender at a time (Web Locks, shared by the pages and the worker): the "online" event and
  // Background Sync often fire together, and the second then finds nothing left to send.
  function sendAll(owner, csrfToken) {
    var send = function () {
      return sendEach(owner, csrfToken);
    };
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(SENDING_LOCK, send) : send();
  }

  async function sendEach(owner, csrfToken) {
    var entries = (await list(owner)).filter(function (entry) {
      return !entry.problem;
    });
    for (var i = 0; i < entries.length; i += 1) {
      var entry = entries[i];
      var response = await fetch(API_URL, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken,
        },
        body: JSON.stringify(entry.data),
      });
      if (response.ok) {
        await (await open()).delete(SESSIONS, entry.client_id);
        changed("sent");
      } else if (response.status === 401 || response.status === 403) {
        return;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        var body = await response.json().catch(function () {
          return null;
        });
        entry.problem = explain(body);
        await (await open()).put(SESSIONS, entry);
        changed();
      } else {
        throw new Error("The journal answered " + response.status + "; trying again later.");
      }
    }
  }

  scope.OfflineQueue = {
    CHANNEL: CHANNEL,
    NOT_ACCEPTED: NOT_ACCEPTED,
    add: add,
    list: list,
    discard: discard,
    remember: remember,
    current: current,
    sendAll: sendAll,
  };
})(self);
