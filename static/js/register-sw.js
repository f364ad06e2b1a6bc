// Lets the site open without a connection (see templates/acupressure/service-worker.js).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {
    // Without the worker the site works as before, only not offline.
  });
})();
