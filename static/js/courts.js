// The clerk dashboard's daily volume chart, drawn from server data (json_script); the figures are also in text.
document.addEventListener("DOMContentLoaded", function () {
  var data = document.getElementById("volume-data");
  var canvas = document.getElementById("volume-chart");
  if (!data || !canvas || typeof Chart === "undefined") { return; }
  var series = JSON.parse(data.textContent);
  new Chart(canvas, {
    type: "bar",
    data: { labels: series.labels, datasets: [{ label: "Tickets received", data: series.values, backgroundColor: "#1d4f91" }] },
    options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
});
