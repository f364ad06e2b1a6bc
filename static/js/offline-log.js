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
  var SYNC_REGISTER_WAIT_MS = 3000;
  var PROBE_TIMEOUT_MS = 10000;
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrfToken = tokenInput ? tokenInput.value : "";
  var section = document.getElementById("waiting-sessions");
  var form = document.querySelector("form[data-offline-log]");
  var status = document.getElementById("offline-status");
  var sending = false;

  // Texts from {% js_strings %} (acupressure/js_strings.py) in the page's language, with the
  // English given here as the fallback, and numbers in that language: static/js/strings.js,
  // loaded first (without it, the page stays as it is without JavaScript).
  var strings = window.AcupressureStrings;
  if (!strings) {
    return;
  }
  var t = strings.t;
  var number = strings.number;
  // The page's language, for plural rules and dates.
  var lang = strings.lang;

  // The "_one" or the "_other" text for a count, by the page language's plural rules.
  function plural(count, one, other, values) {
    var form;
    try {
      form = new Intl.PluralRules(lang).select(count);
    } catch (error) {
      form = count === 1 ? "one" : "other";
    }
    return form === "one" ? t(one[0], one[1], values) : t(other[0], other[1], values);
  }

  // A text with placeholders as nodes: values may be elements (e.g. <strong>) or text.
  function fill(parent, template, values) {
    template.split(/(%\(\w+\)s)/).forEach(function (part) {
      var name = /^%\((\w+)\)s$/.exec(part);
      if (name && Object.prototype.hasOwnProperty.call(values, name[1])) {
        parent.append(values[name[1]]);
      } else if (part) {
        parent.append(part);
      }
    });
    return parent;
  }

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) {
      element.className = className;
    }
    return element;
  }

  function describe(summary) {
    var pain = { before: number(summary.pain_before), after: number(summary.pain_after) };
    if (summary.rest) {
      return t("offline_rest_summary", "rested, no pressing, pain %(before)s → %(after)s.", pain);
    }
    pain.points = summary.points.join(", ");
    return t("offline_points_summary", "%(points)s, pain %(before)s → %(after)s.", pain);
  }

  function againLink(summary) {
    var query = summary.rest ? "rest=1" : "points=" + summary.slugs.join(",");
    var link = text("a", t("offline_log_again", "Log it again"));
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
      item.append(
        fill(document.createElement("p"), t("offline_waiting_line", "%(when)s: %(session)s"), {
          when: text("strong", entry.summary.when),
          session: describe(entry.summary),
        })
      );
      if (entry.problem) {
        item.className = "has-error";
        // The queue's own reason is kept in English (the service worker has no page to translate
        // it from); the server's reasons come in the language of the request.
        var problem =
          entry.problem === queue.NOT_ACCEPTED
            ? t("offline_not_accepted", "The journal did not accept this session.")
            : entry.problem;
        item.append(
          text(
            "p",
            t("offline_problem", "Not saved in your journal: %(problem)s", { problem: problem }),
            "field-errors"
          )
        );
        var actions = document.createElement("div");
        actions.className = "form-actions";
        var discard = text("button", t("offline_discard", "Discard"), "secondary");
        discard.type = "button";
        discard.addEventListener("click", function () {
          queue.discard(entry.client_id).then(render);
        });
        actions.append(discard, againLink(entry.summary));
        item.append(actions);
      } else {
        item.append(text("p", t("offline_waiting", "Waiting to sync."), "muted"));
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

  // Asks the worker to send the queue when the connection returns, before the page says the
  // session is saved: a person who then leaves the page at once still has it sent. A browser
  // without a worker or Background Sync answers at once; the wait is bounded all the same, so
  // the "saved" message never hangs on it.
  function askForBackgroundSync() {
    if (!("serviceWorker" in navigator)) {
      return Promise.resolve();
    }
    var asked = navigator.serviceWorker
      .getRegistration()
      .then(function (registration) {
        return registration && registration.sync ? registration.sync.register(SYNC_TAG) : null;
      })
      .catch(function () {
        // Without Background Sync, the "online" event and the next page load send it.
      });
    var bounded = new Promise(function (resolve) {
      setTimeout(resolve, SYNC_REGISTER_WAIT_MS);
    });
    return Promise.race([asked, bounded]);
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

  function whenText(date) {
    try {
      return date.toLocaleString(lang, WHEN_FORMAT);
    } catch (error) {
      return date.toLocaleString("en-GB", WHEN_FORMAT);
    }
  }

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
      // As the journal writes it ("Wed 2 Dec 2026, 18:30" in English); a typed time is shown as
      // typed.
      when: whenText(typed ? new Date(startedInput.value) : now),
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
      missing.push(t("offline_missing_points", "the points you pressed (or “I only rested”)"));
    }
    if (!fields.get("pain_before")) {
      missing.push(t("offline_missing_pain_before", "your pain before"));
    }
    if (!fields.get("pain_after")) {
      missing.push(t("offline_missing_pain_after", "your pain after"));
    }
    return { data: data, summary: summary, missing: missing };
  }

  async function saveOnThisPhone() {
    var session = sessionFrom(form);
    if (session.missing.length) {
      var fields = session.missing.reduce(function (first, second) {
        return t("offline_missing_join", "%(first)s and %(second)s", { first: first, second: second });
      });
      status.textContent = t("offline_missing", "No connection, and not saved yet: choose %(fields)s.", {
        fields: fields,
      });
      status.focus();
      return;
    }
    await queue.add(owner, session.data, session.summary);
    await askForBackgroundSync();
    form.reset();
    status.textContent = t(
      "offline_saved_here",
      "No connection, so this session is saved on this phone. It goes to your journal when you are back online."
    );
    await render();
    status.focus();
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
    status.textContent = plural(
      sent,
      ["offline_sent_one", "%(count)s session saved on this phone is now in your journal."],
      ["offline_sent_other", "%(count)s sessions saved on this phone are now in your journal."],
      { count: number(sent) }
    );
    if (!form) {
      var show = text(
        "a",
        plural(sent, ["offline_show_one", "Show it"], ["offline_show_other", "Show them"])
      );
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
