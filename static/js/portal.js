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

// The idle timeout, announced (WCAG 2.2.1): a minute before the session ends, a modal alert dialog offers to stay
// signed in (a POST to the keep-alive endpoint is the activity). Other tabs' activity counts too (localStorage).
(function () {
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var SHARED = "sector.session.idle-ends-at";
  var now = Date.now();
  var idleEndsAt = now + Number(dialog.dataset.idleEndsIn) * 1000;
  var absoluteEndsAt = now + Number(dialog.dataset.absoluteEndsIn) * 1000;
  var warning = Number(dialog.dataset.warningSeconds) * 1000;
  var stay = dialog.querySelector("[data-session-stay]");
  var csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  var returnFocus = null;
  var ending = false;

  function shared() { try { return Number(localStorage.getItem(SHARED)) || 0; } catch (e) { return 0; } }
  function share(at) { try { localStorage.setItem(SHARED, String(at)); } catch (e) { /* storage off: this tab only */ } }
  idleEndsAt = Math.max(idleEndsAt, Math.min(shared(), now + Number(dialog.dataset.idleEndsIn) * 1000 + 5000));
  share(idleEndsAt);
  window.addEventListener("storage", function (evt) {
    if (evt.key === SHARED && Number(evt.newValue) > idleEndsAt) { idleEndsAt = Number(evt.newValue); }
  });

  function words(seconds) {
    if (seconds >= 60) { return "one minute"; }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }
  function open(absolute) {
    dialog.querySelector("[data-session-idle]").hidden = absolute;
    dialog.querySelector("[data-session-absolute]").hidden = !absolute;
    stay.hidden = absolute;
    returnFocus = document.activeElement;
    dialog.showModal();
    (absolute ? dialog.querySelector("button[type=submit]") : stay).focus();
  }
  function close() {
    if (!dialog.open) { return; }
    dialog.close();
    if (returnFocus && document.contains(returnFocus)) { returnFocus.focus(); }
  }
  function end() {
    // The session is over on the server: open the page again, which leads to sign-in and back here, where
    // the drafts below put back what was typed. (Never reload: that could repeat a POST.)
    ending = true;
    window.location.assign(window.location.pathname + window.location.search);
  }
  function stayed() {
    fetch(dialog.dataset.keepAliveUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) { throw new Error("signed out"); }
      return response.json();
    }).then(function (limits) {
      var at = Date.now();
      idleEndsAt = at + limits.idle_ends_in * 1000;
      absoluteEndsAt = at + limits.absolute_ends_in * 1000;
      share(idleEndsAt);
      close();
    }).catch(end);
  }
  stay.addEventListener("click", stayed);
  dialog.addEventListener("cancel", function (evt) {  // Escape: the user is here, so that is activity too
    evt.preventDefault();
    if (!stay.hidden) { stayed(); }
  });
  window.setInterval(function () {
    if (ending) { return; }
    var absolute = absoluteEndsAt < idleEndsAt;
    var left = Math.ceil(((absolute ? absoluteEndsAt : idleEndsAt) - Date.now()) / 1000);
    dialog.querySelectorAll("[data-session-countdown]").forEach(function (el) { el.textContent = words(Math.max(left, 0)); });
    if (left <= -2) { end(); } else if (left * 1000 <= warning && !dialog.open) { open(absolute); } else if (left * 1000 > warning) { close(); }
  }, 1000);
})();

// What a user types into a form is kept in this tab (sessionStorage) until the form is sent, so a session that
// ends mid-sentence loses nothing: after signing in again the page puts it back. Passwords, files, hidden fields
// and anything marked data-no-draft are never kept.
(function () {
  var PREFIX = "sector.draft:";
  var signedIn = !!document.getElementById("session-warning");
  var store;
  try { store = window.sessionStorage; store.setItem(PREFIX + "probe", "1"); store.removeItem(PREFIX + "probe"); } catch (e) { return; }
  var SKIP = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  function forms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (f) {
      return (f.getAttribute("method") || "").toLowerCase() === "post" && !f.closest("[data-no-draft], dialog");
    });
  }
  function keyOf(form) {
    var same = forms().filter(function (f) { return f.getAttribute("action") === form.getAttribute("action"); });
    return PREFIX + window.location.pathname + "|" + (form.getAttribute("action") || "") + "|" + same.indexOf(form);
  }
  function kept(el) {
    return el.name && !el.disabled && SKIP.indexOf((el.type || "").toLowerCase()) < 0 && !el.closest("[data-no-draft]")
      && !/password|token|secret/i.test(el.name) && el.name !== "csrfmiddlewaretoken";
  }
  function fieldsOf(form) { return Array.prototype.filter.call(form.elements, kept); }
  function read(key) { try { return JSON.parse(store.getItem(key)); } catch (e) { return null; } }

  function save(form) {
    var values = fieldsOf(form).map(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return [el.name, el.value, el.checked]; }
      if (el.multiple) { return [el.name, null, Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; })]; }
      return [el.name, null, el.value];
    });
    var changed = fieldsOf(form).some(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
      if (el.tagName === "SELECT") { return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; }); }
      return el.value !== el.defaultValue;
    });
    if (changed) { store.setItem(keyOf(form), JSON.stringify({ values: values, sent: false })); } else { store.removeItem(keyOf(form)); }
  }
  function restore(form, draft) {
    var els = fieldsOf(form);
    draft.values.forEach(function (v) {
      els.filter(function (el) { return el.name === v[0]; }).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") { if (el.value === v[1]) { el.checked = v[2]; } }
        else if (el.multiple) { Array.prototype.forEach.call(el.options, function (o) { o.selected = v[2].indexOf(o.value) >= 0; }); }
        else if (el.tagName === "SELECT") { if (!Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; })) { el.value = v[2]; } }
        else if (el.value === el.defaultValue) { el.value = v[2]; }
      });
    });
    var note = document.createElement("div");
    note.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    note.setAttribute("role", "status");
    note.setAttribute("data-draft-restored", "");
    note.textContent = "What you typed here before you were signed out is back in the form. Check it, then send it.";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-dark ms-auto";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () { store.removeItem(keyOf(form)); form.reset(); note.remove(); });
    note.appendChild(discard);
    form.parentNode.insertBefore(note, form);
  }

  // A form sent while signed in went through (or came back with its own errors): its draft is done. A form
  // sent after the session ended lands on the sign-in page instead, so there the draft is kept for later.
  for (var i = store.length - 1; i >= 0; i--) {
    var key = store.key(i);
    if (key && key.indexOf(PREFIX) === 0) {
      var d = read(key);
      if (d && d.sent) { if (signedIn) { store.removeItem(key); } else { d.sent = false; store.setItem(key, JSON.stringify(d)); } }
    }
  }
  if (!signedIn) { return; }
  forms().forEach(function (form) {
    var draft = read(keyOf(form));
    if (draft && draft.values) { restore(form, draft); }
  });
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (evt) {
      var form = evt.target.form;
      if (form && forms().indexOf(form) >= 0 && kept(evt.target)) { save(form); }
    });
  });
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var draft = forms().indexOf(form) >= 0 ? read(keyOf(form)) : null;
    if (draft) { draft.sent = true; store.setItem(keyOf(form), JSON.stringify(draft)); }
  });
})();
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
