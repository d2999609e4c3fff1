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
