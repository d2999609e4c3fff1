// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Submit filter forms with htmx when a select changes (the submit button remains for keyboard users).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });
});
// After an htmx swap, move focus to the updated region's heading for screen-reader and keyboard users.
document.addEventListener("htmx:afterSwap", function (evt) {
  var target = evt.detail.target;
  if (target && target.dataset.focusAfterSwap !== undefined) { target.focus(); }
});
// Tables marked data-keynav: j/k or the arrow keys move between rows (focus on each row's main link; Enter opens it).
document.addEventListener("keydown", function (evt) {
  var t = evt.target;
  if (evt.altKey || evt.ctrlKey || evt.metaKey || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(t.tagName) || t.isContentEditable) { return; }
  var arrow = evt.key === "ArrowDown" || evt.key === "ArrowUp";
  var step = (evt.key === "j" || evt.key === "ArrowDown") ? 1 : (evt.key === "k" || evt.key === "ArrowUp") ? -1 : 0;
  var table = document.querySelector("table[data-keynav]");
  if (!step || !table || (arrow && !table.contains(t))) { return; }
  var links = Array.prototype.slice.call(table.querySelectorAll("a[data-row-link]"));
  if (!links.length) { return; }
  var row = t.closest ? t.closest("tr") : null;
  var at = links.findIndex(function (a) { return a.closest("tr") === row; });
  var next = links[at < 0 ? 0 : Math.min(Math.max(at + step, 0), links.length - 1)];
  evt.preventDefault();
  next.focus();
  next.scrollIntoView({ block: "nearest" });
});
// A "select all" checkbox (data-select-all="name") ticks every checkbox of that name in its form.
document.addEventListener("change", function (evt) {
  var all = evt.target;
  if (!all.dataset || !all.dataset.selectAll || !all.form) { return; }
  all.form.querySelectorAll('input[type="checkbox"][name="' + all.dataset.selectAll + '"]').forEach(function (box) { box.checked = all.checked; });
});
