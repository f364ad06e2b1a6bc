// Guided routine timer. The page already lists every step, so without JavaScript the routine can
// be followed as a list; this script turns the list into one step at a time with a countdown,
// pause/resume, previous/next, a beep and a vibration at each change, and a screen wake lock.
(function () {
  "use strict";

  var list = document.querySelector("[data-steps]");
  var player = document.querySelector("[data-player]");
  var finish = document.querySelector("[data-finish]");
  if (!list || !player || !finish || !document.querySelector("[data-player-options]")) return;
  var steps = Array.prototype.slice.call(list.querySelectorAll("[data-seconds]"));
  if (!steps.length) return;

  // Texts from {% js_strings %} (acupressure/js_strings.py) in the page's language, with the
  // English given here as the fallback, and numbers in that language: static/js/strings.js,
  // loaded first (without it, the page stays as it is without JavaScript).
  var strings = window.AcupressureStrings;
  if (!strings) return;
  var t = strings.t;
  var number = strings.number;

  var TICK_MS = 250;
  var options = document.querySelector("[data-player-options]");
  var countdown = player.querySelector("[data-countdown]");
  var progress = player.querySelector("[data-progress]");
  var announcer = document.querySelector("[data-announcer]");
  var toggleButton = player.querySelector('[data-action="toggle"]');
  var soundButton = options.querySelector('[data-action="sound"]');
  var restartButton = finish.querySelector('[data-action="restart"]');
  var finishHeading = finish.querySelector("h2");
  var stepsHeading = document.querySelector(".play-steps-heading");

  var index = 0;
  var remainingMs = durationOf(0);
  var endsAt = 0;
  var timer = null;
  var started = false;
  var finished = false;
  var signalsOn = true;
  var audio = null;
  var wakeLock = null;

  function durationOf(i) {
    return parseInt(steps[i].getAttribute("data-seconds"), 10) * 1000;
  }

  function running() {
    return timer !== null;
  }

  function format(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var seconds = total % 60;
    return number(Math.floor(total / 60)) + ":" + number(seconds, { minimumIntegerDigits: 2 });
  }

  function render() {
    steps.forEach(function (step, i) {
      step.hidden = finished || i !== index;
    });
    player.hidden = finished;
    options.hidden = finished;
    finish.hidden = !finished;
    progress.textContent = t("player_progress", "Step %(number)s of %(total)s", {
      number: number(index + 1),
      total: number(steps.length),
    });
    countdown.textContent = format(remainingMs);
    toggleButton.textContent = !started
      ? t("player_start", "Start")
      : running()
        ? t("player_pause", "Pause")
        : t("player_resume", "Resume");
    soundButton.setAttribute("aria-pressed", signalsOn ? "true" : "false");
  }

  // Polite, and only on changes: a screen reader is never told the time every second.
  function announce(message) {
    announcer.textContent = message;
  }

  function announceStep() {
    announce(
      t("player_step", "Step %(number)s of %(total)s: %(label)s.", {
        number: number(index + 1),
        total: number(steps.length),
        label: steps[index].getAttribute("data-label"),
      })
    );
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
      var now = audio.currentTime;
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, now);
      gain.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(now);
      oscillator.stop(now + 0.32);
    } catch (error) {
      // No sound on this device: the screen and the announcement still show the change.
    }
  }

  function signal() {
    if (!signalsOn) return;
    beep();
    if (navigator.vibrate) navigator.vibrate(200);
  }

  function holdScreen() {
    if (wakeLock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(
      function (lock) {
        if (!running()) {
          lock.release();
          return;
        }
        wakeLock = lock;
        lock.addEventListener("release", function () {
          if (wakeLock === lock) wakeLock = null;
        });
      },
      function () {
        // Refused (battery saver, or not allowed): the timer works, the screen may dim.
      }
    );
  }

  function releaseScreen() {
    if (!wakeLock) return;
    var lock = wakeLock;
    wakeLock = null;
    lock.release().catch(function () {});
  }

  function tick() {
    remainingMs = endsAt - Date.now();
    if (remainingMs > 0) {
      countdown.textContent = format(remainingMs);
    } else if (index < steps.length - 1) {
      goTo(index + 1);
    } else {
      complete();
    }
  }

  function showStep() {
    steps[index].scrollIntoView({ block: "start" });
  }

  function run() {
    started = true;
    endsAt = Date.now() + remainingMs;
    timer = window.setInterval(tick, TICK_MS);
    holdScreen();
  }

  function stop() {
    if (running()) {
      window.clearInterval(timer);
      timer = null;
      remainingMs = Math.max(0, endsAt - Date.now());
    }
    releaseScreen();
  }

  function toggle() {
    if (finished) return;
    if (running()) {
      stop();
      render();
      announce(t("player_paused", "Paused, %(time)s left on this step.", { time: format(remainingMs) }));
    } else if (!started) {
      run();
      render();
      signal();
      announceStep();
      showStep();
    } else {
      run();
      render();
      announce(t("player_running", "Running again."));
    }
  }

  function goTo(i) {
    index = i;
    remainingMs = durationOf(i);
    if (running()) endsAt = Date.now() + remainingMs;
    render();
    signal();
    announceStep();
    showStep();
  }

  function previous() {
    if (finished) return;
    goTo(Math.max(0, index - 1));
  }

  function next() {
    if (finished) return;
    if (index < steps.length - 1) {
      goTo(index + 1);
    } else {
      complete();
    }
  }

  function complete() {
    stop();
    finished = true;
    render();
    signal();
    announce(
      finish.getAttribute("data-finished-message") ||
        t("player_finished", "Routine finished. How is your pain now?")
    );
    finishHeading.focus();
  }

  function restart() {
    stop();
    finished = false;
    started = false;
    index = 0;
    remainingMs = durationOf(0);
    render();
    toggleButton.focus();
  }

  player.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "toggle") toggle();
    else if (action === "previous") previous();
    else if (action === "next") next();
  });
  soundButton.addEventListener("click", function () {
    signalsOn = !signalsOn;
    render();
  });
  restartButton.addEventListener("click", restart);

  document.addEventListener("keydown", function (event) {
    if (finished || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === " " || event.key === "Spacebar") {
      // A focused button answers Space itself (the Start/Pause button toggles the timer).
      if (target.closest && target.closest("button")) return;
      event.preventDefault();
      toggle();
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      previous();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      next();
    }
  });

  // The browser drops a wake lock when the page is hidden; take it again on return.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && running()) holdScreen();
  });
  window.addEventListener("pagehide", releaseScreen);

  list.classList.add("is-playing");
  Array.prototype.forEach.call(document.querySelectorAll("[data-without-player]"), function (note) {
    note.hidden = true;
  });
  if (stepsHeading) stepsHeading.hidden = true;
  restartButton.hidden = false;
  render();
})();
