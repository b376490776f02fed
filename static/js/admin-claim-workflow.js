// The review box above a claim's change form posts a separate form: a step taken with
// unsaved edits in the claim form below would silently drop them. Once the claim form
// changes, the steps are disabled until it is saved. Retracting asks for confirmation.
(function () {
  "use strict";
  var workflow = document.getElementById("claim-workflow-form");
  var claimForm = document.getElementById("claim_form");
  if (!workflow) {
    return;
  }
  var note = document.getElementById("claim-workflow-unsaved");
  function disableSteps() {
    workflow.querySelectorAll("button[name=action]").forEach(function (button) {
      button.disabled = true;
    });
    if (note) {
      note.hidden = false;
    }
  }
  if (claimForm) {
    claimForm.addEventListener("input", disableSteps, { once: true });
    claimForm.addEventListener("change", disableSteps, { once: true });
  }
  workflow.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
