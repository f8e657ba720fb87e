// Housekeeping board: refresh every minute so new check-ins show without a tap.
"use strict";
setInterval(function () { if (document.visibilityState === "visible") { location.reload(); } }, 60000);
