// Verifikasi Daring: the little behaviour the pages need. The CSP forbids inline
// handlers (onclick=...), so pages declare intent with data- attributes instead:
//   <form data-confirm="Yakin?">        ask before submitting
//   <button data-confirm="Yakin?">      ask before this button submits
//   <select data-autosubmit>            submit the form when the value changes
//   <button type="button" data-print>   print the page
//   <button type="button" data-copy="text">  copy text to the clipboard
// htmx requests carry the CSRF token via hx-headers on <body> (base.html).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Swallow a second click within a few seconds on a slow connection (it would
    // repeat the action); opt out with data-allow-resubmit (e.g. download forms).
    if (!event.defaultPrevented && !form.hasAttribute("data-allow-resubmit") && !form.target) {
      if (form.dataset.submitting === "1") {
        event.preventDefault();
      } else {
        form.dataset.submitting = "1";
        window.setTimeout(function () { delete form.dataset.submitting; }, 4000);
      }
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print], [data-copy]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (navigator.clipboard) {
      event.preventDefault();
      var original = el.textContent;
      navigator.clipboard.writeText(el.getAttribute("data-copy")).then(function () {
        el.textContent = el.getAttribute("data-copied") || "✓";
        window.setTimeout(function () { el.textContent = original; }, 1500);
      });
    }
  });
})();
