/* The report page's charts (Chart.js): findings by severity, usage now, and the device's
   earlier reports over time. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var charts = data.charts;
  var texts = data.texts;
  var colours = { ok: "#1f7a3d", info: "#0b5fad", warning: "#a35c00", critical: "#b3261e" };
  var keys = ["ok", "info", "warning", "critical"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  // Tooltips and axes write numbers the way the page's language does ("42,3" in German).
  Chart.defaults.locale = document.documentElement.lang || "de";

  new Chart(document.getElementById("chart-severities"), {
    type: "doughnut",
    data: {
      labels: keys.map(function (key) { return texts.severities[key]; }),
      datasets: [{ data: keys.map(function (key) { return charts.severities[key]; }),
                   backgroundColor: keys.map(function (key) { return colours[key]; }) }]
    },
    options: { plugins: { legend: { position: "bottom" } } }
  });

  var usageKeys = ["memory", "swap", "cpu", "disk"];
  new Chart(document.getElementById("chart-usage"), {
    type: "bar",
    data: {
      labels: usageKeys.map(function (key) { return texts[key]; }),
      datasets: [{ label: texts.percent,
                   data: usageKeys.map(function (key) { return charts.usage[key]; }),
                   backgroundColor: "#0b5fad" }]
    },
    options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } }
  });

  var trend = charts.trend;
  new Chart(document.getElementById("chart-trend"), {
    type: "line",
    data: {
      labels: trend.labels,
      datasets: [
        { label: texts.memory, data: trend.memory, borderColor: "#0b5fad", yAxisID: "y" },
        { label: texts.cpu, data: trend.cpu, borderColor: "#1f7a3d", yAxisID: "y" },
        { label: texts.disk, data: trend.disk, borderColor: "#a35c00", yAxisID: "y" },
        { label: texts.problems, data: trend.problems, borderColor: "#b3261e", yAxisID: "count",
          borderDash: [4, 4] }
      ]
    },
    options: {
      spanGaps: true,
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: texts.percent } },
        count: { position: "right", min: 0, ticks: { precision: 0 }, grid: { drawOnChartArea: false } }
      }
    }
  });
  document.documentElement.dataset.chartsReady = "true";
})();
