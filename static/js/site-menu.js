// The menu on narrow screens: a "Menu" button (templates/base.html) folds the links, the search box and
// the account under it, and unfolds them. The fold is CSS's (`.menu-toggle[aria-expanded="false"] + .site-menu`
// under the phone breakpoint), so a wide screen always shows the menu whatever the button says. Without
// JavaScript the button stays hidden and the menu wraps onto as many lines as it needs.
(function () {
  "use strict";

  var button = document.querySelector("[data-menu-toggle]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !menu) {
    return;
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  setOpen(false);
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape folds an open menu and gives the focus back to its button.
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
