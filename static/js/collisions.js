// Collision dashboard chart: approvals and returns per day, from the server's JSON (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("review-chart");
  var source = document.getElementById("review-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Approved", data: data.approved, backgroundColor: "#198754" },
        { label: "Returned", data: data.returned, backgroundColor: "#b35c00" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
});
