// Keyboard shortcut on every page: "/" puts the cursor in the page's search or filter text box (the
// filter's text field on lists, the search page's box, else the search box in the menu), as on GitHub
// and Gmail. Not while typing in a field, nor with a modifier key: "/" is then a character.
(function () {
  "use strict";

  var BOXES = [
    "main form [name=q]:not([type=hidden])",
    "main input[type=search]",
    "#nav-search-q",
  ];

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");
  }

  function visible(element) {
    return element.getClientRects().length > 0;
  }

  function searchBox() {
    for (var i = 0; i < BOXES.length; i++) {
      var box = document.querySelector(BOXES[i]);
      if (box && !box.disabled) {
        return box;
      }
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) {
      return;
    }
    var box = searchBox();
    if (!box) {
      return;
    }
    event.preventDefault();
    // The menu's box is folded away on phones: unfold the menu first.
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!visible(box) && toggle && !toggle.hidden && toggle.getAttribute("aria-expanded") === "false") {
      toggle.click();
    }
    box.focus();
    if (box.select) {
      box.select();
    }
  });
})();
