// Agencies-by-stage chart on the WASPC home panel. The table beside it carries the same figures for everyone.
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  document.querySelectorAll("canvas.stage-chart").forEach(function (canvas) {
    var labels = (canvas.dataset.labels || "").split("|");
    var values = (canvas.dataset.values || "").split("|").map(Number);
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: "Agencies", data: values, backgroundColor: "#0a4f8f" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
});
