// Keeps a server-rendered countdown current ("3 hari 4 jam lagi"):
//   <time data-countdown datetime="2026-12-07T09:00:00+07:00" data-end="…"
//         data-day="hari" data-hour="jam" data-minute="menit" data-left="%s lagi"
//         data-running="sedang berlangsung" data-past="sudah lewat">3 hari 4 jam lagi</time>
// The words come from the page (translated there); the text matches the server's.
(function () {
  "use strict";

  function phrase(el, n, unit) {
    return n + " " + el.getAttribute("data-" + unit);
  }

  function render(el, now) {
    var start = Date.parse(el.getAttribute("datetime"));
    var end = Date.parse(el.getAttribute("data-end") || "");
    if (isNaN(start)) { return; }
    var ms = start - now;
    if (ms <= 0) {
      el.textContent = (!isNaN(end) && now < end) ? el.getAttribute("data-running")
        : el.getAttribute("data-past");
      return;
    }
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    var parts = [];
    if (days) {
      parts.push(phrase(el, days, "day"));
      if (hours) { parts.push(phrase(el, hours, "hour")); }
    } else if (hours) {
      parts.push(phrase(el, hours, "hour"));
      if (mins) { parts.push(phrase(el, mins, "minute")); }
    } else {
      parts.push(phrase(el, Math.max(mins, 1), "minute"));
    }
    el.textContent = (el.getAttribute("data-left") || "%s").replace("%s", parts.join(" "));
  }

  function tick() {
    var now = Date.now();
    var items = document.querySelectorAll("time[data-countdown]");
    for (var i = 0; i < items.length; i++) { render(items[i], now); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tick);
  } else {
    tick();
  }
  window.setInterval(tick, 30000);
})();
