// Show the print button only where JavaScript can run it; otherwise the browser's own Print works.
(function () {
  var button = document.querySelector(".print-button");
  if (!button || !window.print) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
