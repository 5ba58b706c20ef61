// Quick exit: sign out quietly, leave for a neutral site and replace this page in the history,
// so the Back button returns neither to this page nor, through the sign-in page, to the account.
// Pressing Escape twice does the same. Without JavaScript the button is a plain link.
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var target = link.getAttribute("data-exit-url");
  function signOut() {
    var form = document.querySelector("form[data-sign-out]");
    if (form && navigator.sendBeacon) {
      navigator.sendBeacon(form.getAttribute("action"), new FormData(form));
    }
  }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    signOut();
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(event); }
    lastEscape = now;
  });
}());
