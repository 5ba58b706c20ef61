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
      if (response.status === 401) {
        say("You were signed out. Your answers up to now are saved. Press Submit or Save to sign in again; what you chose here is kept.");
        return null;
      }
      return response.json().then(function (body) {
        if (body.saved) {
          sequence.value = body.sequence;
          say("Answers saved.");
        } else if (body.reason === "submitted") {
          window.location.assign(body.result);
        } else {
          say(body.message || "Your answers could not be saved. Press Save my answers.");
        }
      });
    }).catch(function () {
      pending = true;
      say("Not saved yet: no connection. Your answers will be saved when the connection is back.");
    });
  }

  form.addEventListener("change", function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 500);
  });
  form.addEventListener("submit", function () { if (timer) { window.clearTimeout(timer); timer = null; } });
  window.addEventListener("online", function () { if (pending) { save(); } });
}());
