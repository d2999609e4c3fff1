// The counter's scan field. A USB-HID 2-D scanner "types" the license barcode: its line feeds and carriage
// returns arrive as Enter (a line break in this text area) and the scan ends with one. When the typing
// stops shortly after an Enter and the field holds a license header, the form is sent: the clerk does not
// have to press anything. Ctrl+Enter sends at once. Without this script the "Look up" button does the same.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector("[data-counter-scan]");
  if (!field) { return; }
  var timer = null;
  var looksLikeLicence = function () { return /@[\s\S]*(ANSI|AAMVA|ansi|aamva)/.test(field.value); };
  var send = function () { if (looksLikeLicence()) { field.form.requestSubmit(); } };
  field.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    if (event.ctrlKey || event.metaKey) { event.preventDefault(); field.form.requestSubmit(); return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(send, 400);
  });
  field.addEventListener("input", function () {
    if (timer !== null) { window.clearTimeout(timer); timer = window.setTimeout(send, 400); }
  });
  var demo = document.querySelector("[data-demo-scan]");
  if (demo) {
    demo.addEventListener("click", function () {
      field.value = JSON.parse(document.getElementById("demo-scan").textContent);
      field.focus();
    });
  }
  field.focus();
});
