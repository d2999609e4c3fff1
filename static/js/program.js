// TraCS migration board chart: data comes from a json_script element rendered by the server (no inline script).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("tracs-states");
  var source = document.getElementById("tracs-states-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: "Agencies", data: data.counts, backgroundColor: "#0a4f8f", borderColor: "#0b2e4f", borderWidth: 1 }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
});
