// Pre-select the device's time zone on the sign-up form; without JavaScript the list still works.
(function () {
  var select = document.getElementById("id_time_zone");
  if (!select || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
})();
