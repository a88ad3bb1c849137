/* Draws the charts of the statistics dashboard (templates/reports/dashboard.html) with Chart.js.
   The figures come from the page's <script id="dashboard-charts" type="application/json">; the same
   figures are printed as tables under each chart, so the page still reads without this script. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;
  var number = new Intl.NumberFormat("vi-VN");
  var RED = "#a50e0e";
  var GOLD = "#d4a21a";
  var BLUE = "#2f6f9f";
  var PINK = "#c2577a";
  var PALETTE = ["#a50e0e", "#d4a21a", "#2f6f9f", "#3c8d5a", "#7a4fa0", "#c2577a", "#5c636a", "#e08a2c"];

  Chart.defaults.locale = "vi-VN";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#3d434a";

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      new Chart(canvas, config);
    }
  }

  function countTooltip(ctx) {
    return " " + ctx.dataset.label + ": " + number.format(Math.abs(ctx.raw));
  }

  function bars(id, series, label, color, horizontal) {
    draw(id, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: label, data: series.values, backgroundColor: color, borderRadius: 3 }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: countTooltip } } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, maxTicksLimit: horizontal ? 4 : 11, autoSkipPadding: 12 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  draw("chart-status", {
    type: "doughnut",
    data: {
      labels: data.status.labels,
      datasets: [{ label: "Đảng viên", data: data.status.values, backgroundColor: [RED, GOLD] }],
    },
    options: {
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var total = ctx.dataset.data.reduce(function (a, b) { return a + b; }, 0);
              var share = total ? (ctx.raw * 100) / total : 0;
              return " " + number.format(ctx.raw) + " (" +
                share.toLocaleString("vi-VN", { maximumFractionDigits: 2 }) + "%)";
            },
          },
        },
      },
    },
  });

  // Age pyramid: men to the left (negative values), women to the right, oldest band on top.
  draw("chart-pyramid", {
    type: "bar",
    data: {
      labels: data.pyramid.labels,
      datasets: [
        { label: "Nam", data: data.pyramid.male.map(function (n) { return -n; }), backgroundColor: BLUE },
        { label: "Nữ", data: data.pyramid.female, backgroundColor: PINK },
      ],
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: countTooltip } } },
      scales: {
        x: {
          stacked: true,
          ticks: {
            precision: 0,
            maxTicksLimit: 7,
            callback: function (v) { return number.format(Math.abs(v)); },
          },
        },
        y: { stacked: true },
      },
    },
  });

  draw("chart-ethnicity", {
    type: "bar",
    data: {
      labels: data.ethnicity.labels,
      datasets: [{ label: "Đảng viên", data: data.ethnicity.values, backgroundColor: PALETTE, borderRadius: 3 }],
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: countTooltip } } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0, maxTicksLimit: 4, autoSkipPadding: 12 } } },
    },
  });
  bars("chart-admissions", data.admissions, "Kết nạp", RED, false);
  bars("chart-education", data.education, "Đảng viên", BLUE, true);
  bars("chart-theory", data.theory, "Đảng viên", GOLD, true);
})();
