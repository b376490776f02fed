// The claims filter: leave empty fields out of the URL, so "Apply" gives ?status=vetted, not
// ?status=vetted&kind=&reliability=&…. Without JavaScript the empty fields are sent and ignored.
(function () {
  "use strict";

  var form = document.querySelector("form[data-drop-empty]");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && (field.type !== "checkbox" && field.type !== "radio") && field.value === "") {
        field.disabled = true;
      }
    });
  });
  // Back to this page from the results (the back/forward cache): the fields must work again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      field.disabled = false;
    });
  });
})();
