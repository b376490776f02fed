// Asks before a step that cannot be undone: a submit button with data-confirm="question"
// submits its form only if the user says OK. Without JavaScript the form submits as usual
// (the server's own rules still hold).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
