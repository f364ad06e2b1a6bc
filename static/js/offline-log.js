// Logging a session with no connection (issue 18). On "Log a session", a submit with no
// connection saves the session on this phone instead (static/js/offline-queue.js); with a
// connection the form is sent as before. The journal page and the form list what waits, and it
// is sent through the JSON API when the connection returns: by the service worker's Background
// Sync where the browser has it, else on the "online" event, and on every page load.
(function () {
  "use strict";
  var script = document.currentScript;
  var queue = window.OfflineQueue;
  if (!script || !queue || !window.indexedDB || !window.crypto || !crypto.randomUUID) {
    return;
  }
  var owner = script.dataset.owner;
  var logForm = script.dataset.logForm;
  var probe = script.dataset.probe;
  var SYNC_TAG = "send-waiting-sessions";
  var PROBE_TIMEOUT_MS = 10000;
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = tokenInput ? tokenInput.value : "";
  var section = document.getElementById("waiting-sessions");
  var form = document.querySelector("form[data-offline-log]");
  var status = document.getElementById("offline-status");
  var sending = false;

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) {
      element.className = className;
    }
    return element;
  }

  function describe(summary) {
    var what = summary.rest ? "rested, no pressing" : summary.points.join(", ");
    return what + ", pain " + summary.pain_before + " → " + summary.pain_after + ".";
  }

  function againLink(summary) {
    var query = summary.rest ? "rest=1" : "points=" + summary.slugs.join(",");
    var link = text("a", "Log it again");
    link.href = logForm + "?" + query;
    return link;
  }

  async function render() {
    if (!section) {
      return;
    }
    var entries = await queue.list(owner);
    var items = section.querySelector("ol");
    items.replaceChildren();
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var line = text("p", "");
      line.append(text("strong", entry.summary.when), ": " + describe(entry.summary));
      item.append(line);
      if (entry.problem) {
        item.className = "has-error";
        item.append(text("p", "Not saved in your journal: " + entry.problem, "field-errors"));
        var actions = document.createElement("div");
        actions.className = "form-actions";
        var discard = text("button", "Discard", "secondary");
        discard.type = "button";
        discard.addEventListener("click", function () {
          queue.discard(entry.client_id).then(render);
        });
        actions.append(discard, againLink(entry.summary));
        item.append(actions);
      } else {
        item.append(text("p", "Waiting to sync.", "muted"));
      }
      items.append(item);
    });
    section.hidden = entries.length === 0;
  }

  async function send() {
    if (sending || !navigator.onLine) {
      return;
    }
    sending = true;
    try {
      await queue.sendAll(owner, csrfToken);
    } catch (error) {
      // Still no way through; the next "online" event or page load tries again.
    } finally {
      sending = false;
      render();
    }
  }

  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.sync ? registration.sync.register(SYNC_TAG) : null;
      })
      .catch(function () {
        // Without Background Sync, the "online" event and the next page load send it.
      });
  }

  async function reachable() {
    if (!navigator.onLine) {
      return false;
    }
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, PROBE_TIMEOUT_MS);
    try {
      var response = await fetch(probe, { cache: "no-store", signal: controller.signal });
      return response.ok;
    } catch (error) {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  var WHEN_FORMAT = {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  };

  // What the API needs, from the same fields the server would read. The time: if it was left
  // as the page gave it (the time the page was loaded, perhaps long ago from the phone's copy),
  // it means "now"; a time the person typed is in their time zone, as the server reads it.
  function sessionFrom(form) {
    var fields = new FormData(form);
    var rest = fields.get("rest_only") === "on";
    var secondsText = String(fields.get("seconds") || "").trim();
    var seconds = secondsText === "" ? null : Number(secondsText);
    var checked = Array.prototype.slice.call(form.querySelectorAll("input[name=points]:checked"));
    var startedInput = form.elements.namedItem("started_at");
    var typed = startedInput && startedInput.value && startedInput.value !== startedInput.defaultValue;
    var now = new Date();
    var data = {
      started_at: typed ? startedInput.value : now.toISOString(),
      points: checked.map(function (input) {
        return { code: input.dataset.code, seconds: Number.isFinite(seconds) ? seconds : null };
      }),
      rest_only: rest,
      factors: fields.getAll("factors").map(Number),
      pain_before: Number(fields.get("pain_before")),
      pain_after: Number(fields.get("pain_after")),
      area: fields.get("area") || undefined,
      tool: fields.get("tool") || undefined,
      notes: String(fields.get("notes") || ""),
    };
    var summary = {
      // As the journal writes it ("Wed 2 Dec 2026, 18:30"); a typed time is shown as typed.
      when: (typed ? new Date(startedInput.value) : now).toLocaleString("en-GB", WHEN_FORMAT),
      points: checked.map(function (input) {
        return input.dataset.code;
      }),
      slugs: checked.map(function (input) {
        return input.value;
      }),
      rest: rest,
      pain_before: data.pain_before,
      pain_after: data.pain_after,
    };
    var missing = [];
    if (!rest && checked.length === 0) {
      missing.push("the points you pressed (or “I only rested”)");
    }
    if (!fields.get("pain_before")) {
      missing.push("your pain before");
    }
    if (!fields.get("pain_after")) {
      missing.push("your pain after");
    }
    return { data: data, summary: summary, missing: missing };
  }

  async function saveOnThisPhone() {
    var session = sessionFrom(form);
    if (session.missing.length) {
      status.textContent = "No connection, and not saved yet: choose " + session.missing.join(" and ") + ".";
      status.focus();
      return;
    }
    await queue.add(owner, session.data, session.summary);
    form.reset();
    status.textContent =
      "No connection, so this session is saved on this phone. It goes to your journal when you are back online.";
    await render();
    status.focus();
    askForBackgroundSync();
  }

  if (form && status) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      reachable()
        .then(function (online) {
          if (online) {
            HTMLFormElement.prototype.submit.call(form);
          } else {
            return saveOnThisPhone();
          }
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  var sent = 0;

  // Sent by this page or by the worker: the journal page, drawn before they arrived, offers to
  // show them.
  function announceSent() {
    sent += 1;
    status.textContent =
      (sent === 1 ? "1 session saved on this phone is" : sent + " sessions saved on this phone are") +
      " now in your journal.";
    if (!form) {
      var show = text("a", sent === 1 ? "Show it" : "Show them");
      show.href = window.location.href;
      status.append(" ", show);
    }
  }

  if ("BroadcastChannel" in window) {
    new BroadcastChannel(queue.CHANNEL).addEventListener("message", function (event) {
      if (event.data === "sent" && status) {
        announceSent();
      }
      render();
    });
  }
  window.addEventListener("online", send);
  queue
    .remember(owner, csrfToken)
    .then(render)
    .then(send)
    .catch(function () {
      // IndexedDB refused (e.g. a private window with storage off): the form works as before.
    });
})();
