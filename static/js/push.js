// The push reminders switch on the settings page (templates/journal/accounts/settings.html).
// It asks for permission, subscribes this browser with the site's VAPID key and posts the
// subscription to Django (journal/views/push.py); turning it off ends it on both sides. The
// service worker (/sw.js) shows the reminders. Without this script the page says push is not
// available here, and e-mail and the calendar work as before.
(function () {
  "use strict";
  var form = document.getElementById("push-form");
  var status = document.getElementById("push-status");
  var endpointsData = document.getElementById("push-endpoints");
  if (!form || !status || !endpointsData) {
    return;
  }
  var button = document.getElementById("push-toggle");
  var endpoints = JSON.parse(endpointsData.textContent);
  var subscribed = false;

  // Texts from {% js_strings %} (acupressure/js_strings.py) in the page's language, with the
  // English given here as the fallback: static/js/strings.js, loaded first (without it, the page
  // stays as it is without JavaScript).
  var strings = window.AcupressureStrings;
  if (!strings) {
    return;
  }
  var t = strings.t;

  function say(message) {
    status.textContent = message;
  }

  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    say(
      t(
        "push_unsupported",
        "This browser cannot show push reminders. E-mail reminders and the calendar below still work.",
      ),
    );
    return;
  }

  say(t("push_checking", "Checking this browser…"));

  function show(isOn) {
    subscribed = isOn;
    button.textContent = isOn
      ? t("push_turn_off", "Turn off push reminders")
      : t("push_turn_on", "Turn on push reminders");
    say(
      isOn
        ? t("push_on", "Push reminders are on in this browser.")
        : Notification.permission === "denied"
          ? t(
              "push_blocked",
              "Notifications are blocked for this site in this browser's settings. Allow them there to get push reminders.",
            )
          : t("push_off", "Push reminders are off in this browser."),
    );
    form.hidden = false;
  }

  // The applicationServerKey as the Push API takes it: the bytes of the base64url key.
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (character) {
      return character.charCodeAt(0);
    });
  }

  // navigator.serviceWorker.ready never settles if the worker could not be registered.
  function workerRegistration() {
    return Promise.race([
      navigator.serviceWorker.ready,
      new Promise(function (resolve, reject) {
        setTimeout(function () {
          reject(
            new Error(t("push_no_worker", "The site's service worker is not running in this browser.")),
          );
        }, 10000);
      }),
    ]);
  }

  async function post(url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.elements.csrfmiddlewaretoken.value,
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      var answer = await response.json().catch(function () {
        return {};
      });
      throw new Error(
        answer.error ||
          t("push_not_accepted", "The server did not accept it (%(status)s).", {
            status: response.status,
          }),
      );
    }
  }

  async function turnOn() {
    if ((await Notification.requestPermission()) !== "granted") {
      show(false);
      return;
    }
    var registration = await workerRegistration();
    var subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(form.dataset.publicKey),
    });
    await post(form.action, subscription.toJSON());
    show(true);
  }

  async function turnOff() {
    var registration = await workerRegistration();
    var subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post(form.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show(false);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    (subscribed ? turnOff() : turnOn())
      .catch(function (error) {
        say(
          t("push_failed", "That did not work: %(error)s E-mail reminders and the calendar still work.", {
            error: error.message,
          }),
        );
      })
      .finally(function () {
        button.disabled = false;
      });
  });

  // On for this person only if this browser's subscription is one of theirs: another account
  // may have switched push on in this browser.
  workerRegistration()
    .then(function (registration) {
      return registration.pushManager.getSubscription();
    })
    .then(function (subscription) {
      show(Boolean(subscription && endpoints.indexOf(subscription.endpoint) !== -1));
    })
    .catch(function () {
      show(false);
    });
})();
