// Autosave for quiz answers: each change is sent as a draft, so a reload, a lost connection or an
// expired session loses nothing. Without JavaScript the "Save my answers" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var sequence = document.getElementById("quiz-sequence");
  var timer = null;
  var pending = false;

  // The messages, in the page's language, come from the form's data-msg-* attributes.
  function message(name) { return form.getAttribute("data-msg-" + name) || ""; }
  var SIGNED_OUT = message("signed-out");
  var NOT_SAVED = message("not-saved");

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    pending = false;
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      // Any answer from the server means the connection works: never say "no connection" for it.
      return response.json().then(function (body) {
        if (response.status === 401) {
          say(body.message || SIGNED_OUT);
        } else if (body.saved) {
          sequence.value = body.sequence;
          say(message("saved"));
        } else if (body.reason === "submitted") {
          window.location.assign(body.result);
        } else {
          say(body.message || NOT_SAVED);
        }
      }, function () {
        say(response.status === 401 ? SIGNED_OUT : NOT_SAVED);
      });
    }, function () {
      pending = true;
      say(message("offline"));
    });
  }

  form.addEventListener("change", function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 500);
  });
  form.addEventListener("submit", function () { if (timer) { window.clearTimeout(timer); timer = null; } });
  window.addEventListener("online", function () { if (pending) { save(); } });
}());
