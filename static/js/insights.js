// Draws the insights charts from json_script data. Without JavaScript the tables carry the same numbers.
(function () {
  "use strict";
  if (!window.Chart) return;

  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var text = dark ? "#dfe3eb" : "#1f2937";
  var grid = dark ? "rgba(255,255,255,0.15)" : "rgba(0,0,0,0.1)";
  var blue = dark ? "#60a5fa" : "#1d4ed8";
  var orange = dark ? "#fbbf24" : "#b45309";
  Chart.defaults.color = text;
  Chart.defaults.font.size = 14;
  Chart.defaults.borderColor = grid;

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
            label: "95 % interval",
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
            label: "Average relief",
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
          x: { title: { display: true, text: "Points of pain relief (before − after)" } },
          y: { type: "category", labels: relief.labels },
        },
        plugins: {
          tooltip: {
            callbacks: {
              afterLabel: function (context) {
                return "Sessions: " + relief.sessions[context.dataIndex];
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
          { label: "Pain before", data: trend.before, borderColor: orange, backgroundColor: orange, tension: 0.2 },
          { label: "Pain after", data: trend.after, borderColor: blue, backgroundColor: blue, tension: 0.2, borderDash: [6, 4] },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: 0, max: 10, title: { display: true, text: "Pain (0–10)" } } },
      },
    });
  }
})();
