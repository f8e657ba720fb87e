// Staff shell: small progressive enhancements; every page works without it.
"use strict";
// Prevent double submission (e.g. two check-ins from a double tap).
document.addEventListener("submit", function (e) {
  var f = e.target;
  if (f.dataset.submitted) { e.preventDefault(); return; }
  f.dataset.submitted = "1";
});
// A page restored from the back/forward cache may submit again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitted]").forEach(function (f) { delete f.dataset.submitted; });
});
