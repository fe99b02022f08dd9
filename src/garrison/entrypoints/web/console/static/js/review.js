/* Keyboard-driven review on the case page (vanilla JS, no build step).
   j/k: next/previous event; n: next case; c: claim; 1/2: outcome; e or 3: escalate (type the
   reason, Enter sends it); x: release; r: reveal masked content (each reveal is a logged POST);
   ?: help. */
(function () {
  "use strict";

  var OUTCOMES = { "1": "violating", "2": "not_violating" };

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable='true']");
  }

  function submit(form) {
    if (!form) return false;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }

  function moveEvent(step) {
    var events = Array.prototype.slice.call(document.querySelectorAll("article.event"));
    if (!events.length) return;
    var current = events.indexOf(document.activeElement.closest ? document.activeElement.closest("article.event") : null);
    var next = Math.min(events.length - 1, Math.max(0, current + step));
    if (current < 0) next = step > 0 ? 0 : events.length - 1;
    events[next].focus();
    events[next].scrollIntoView({ block: "nearest" });
  }

  function choose(outcome) {
    var radio = document.querySelector("input[name='outcome'][value='" + outcome + "']");
    if (!radio) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var focus = outcome === "violating" ? document.getElementById("policy")
      : document.querySelector(".resolve-form button[type='submit']");
    if (focus) focus.focus();
    return true;
  }

  function escalate() {
    var reason = document.getElementById("escalate-reason");
    if (!reason) return false;
    reason.focus();
    return true;
  }

  function revealAll() {
    var buttons = document.querySelectorAll("[data-reveal]");
    Array.prototype.forEach.call(buttons, function (button) { button.click(); });
    return buttons.length > 0;
  }

  function toggleHelp() {
    var dialog = document.getElementById("keyboard-help");
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-help-toggle]")) toggleHelp();
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      if (event.key === "Enter" && !event.shiftKey && event.target.id === "escalate-reason") {
        event.preventDefault();
        submit(event.target.form);
      }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "j": moveEvent(1); break;
      case "k": moveEvent(-1); break;
      case "n": handled = submit(document.getElementById("next-case-form")); break;
      case "c": handled = submit(document.querySelector("#action-panel form[action$='/claim']")); break;
      case "1": case "2": handled = choose(OUTCOMES[event.key]); break;
      case "e": case "3": handled = escalate(); break;
      case "x": handled = submit(document.getElementById("release-form")); break;
      case "r": handled = revealAll(); break;
      case "?": toggleHelp(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
