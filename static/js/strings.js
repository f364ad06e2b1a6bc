// The JavaScript's texts in the page's language, for the scripts that show text (player.js,
// insights.js, offline-log.js, push.js). `{% js_strings %}` (acupressure/js_strings.py) puts them
// on every page as JSON in <script id="js-strings" type="application/json">; this file reads them
// once and is loaded before those scripts, in the same way (deferred or not) as they are.
//
//   var strings = window.AcupressureStrings;
//   strings.t("player_progress", "Step %(number)s of %(total)s", { number: 2, total: 5 });
//
// t(key, english, values): the text for key, or the English given when the page has none (or
// cannot be read); %(name)s placeholders are filled from values, unknown ones are left as they are.
// lang: the page's language for Intl, with the site's English as British English.
// number(value, options): value formatted with Intl.NumberFormat in that language.
(function () {
  "use strict";
  var strings = null;

  function t(key, english, values) {
    if (!strings) {
      var node = document.getElementById("js-strings");
      try {
        strings = node ? JSON.parse(node.textContent) : null;
      } catch (error) {
        strings = {};
      }
    }
    var found = strings && typeof strings[key] === "string" ? strings[key] : english;
    if (!values) return found;
    return found.replace(/%\((\w+)\)s/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  var lang = document.documentElement.lang || "en-GB";
  if (lang.toLowerCase() === "en") lang = "en-GB";

  function number(value, options) {
    try {
      return new Intl.NumberFormat(lang, options).format(value);
    } catch (error) {
      return String(value);
    }
  }

  window.AcupressureStrings = { t: t, lang: lang, number: number };
})();
