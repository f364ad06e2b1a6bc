// Draws the insights charts from json_script data. Without JavaScript the tables carry the same numbers.
(function () {
  "use strict";
  if (!window.Chart) return;

  // Texts from {% js_strings %} (acupressure/js_strings.py) in the page's language, with the
  // English given here as the fallback, and numbers in that language: static/js/strings.js,
  // loaded first (without it, the page stays as it is without JavaScript).
  var strings = window.AcupressureStrings;
  if (!strings) return;
  var t = strings.t;
  var number = strings.number;
  // The page's language, for the charts.
  var lang = strings.lang;

  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var text = dark ? "#dfe3eb" : "#1f2937";
  var grid = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.1)";
  var blue = dark ? "#60a5fa" : "#1d4ed8";
  var orange = dark ? "#fbbf24" : "#b45309";
  Chart.defaults.color = text;
  Chart.defaults.font.size = 14;
  Chart.defaults.borderColor = grid;
  Chart.defaults.locale = lang;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var relief = data("relief-chart-data");
  var reliefCanvas = document.getElementById("relief-chart");
  if (relief && reliefCanvas && relief.labels.length) {
    reliefCanvas.parentNode.style.height = 60 + relief.labels.length * 44 + "px";
    new Chart(reliefCanvas, {
      data: {
        labels: relief.labels,
        datasets: [
          {
            type: "bar",
            label: t("chart_interval", "95 % interval"),
            data: relief.labels.map(function (_, i) {
              return relief.lows[i] === null ? null : [relief.lows[i], relief.highs[i]];
            }),
            backgroundColor: dark ? "rgba(96,165,250,0.35)" : "rgba(29,78,216,0.25)",
            borderColor: blue,
            borderWidth: 1,
            barPercentage: 0.5,
          },
          {
            type: "scatter",
            label: t("chart_average_relief", "Average relief"),
            data: relief.means.map(function (mean, i) {
              return { x: mean, y: relief.labels[i] };
            }),
            backgroundColor: orange,
            borderColor: orange,
            pointRadius: 6,
            pointStyle: "rectRot",
          },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { title: { display: true, text: t("chart_relief_axis", "Points of pain relief (before − after)") } },
          y: { type: "category", labels: relief.labels },
        },
        plugins: {
          tooltip: {
            callbacks: {
              afterLabel: function (context) {
                return t("chart_sessions", "Sessions: %(count)s", {
                  count: number(relief.sessions[context.dataIndex]),
                });
              },
            },
          },
        },
      },
    });
  }

  var trend = data("trend-chart-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas && trend.labels.length) {
    trendCanvas.parentNode.style.height = "320px";
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: [
          {
            label: t("chart_pain_before", "Pain before"),
            data: trend.before,
            borderColor: orange,
            backgroundColor: orange,
            tension: 0.2,
          },
          {
            label: t("chart_pain_after", "Pain after"),
            data: trend.after,
            borderColor: blue,
            backgroundColor: blue,
            tension: 0.2,
            borderDash: [6, 4],
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { min: 0, max: 10, title: { display: true, text: t("chart_pain_axis", "Pain (0–10)") } },
        },
      },
    });
  }
})();
