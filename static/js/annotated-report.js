// The annotated report's pop-over. The page is complete without it: every
// highlight's details are listed beside the text. On click or focus of a
// highlight, this shows the details of every attribution covering that
// passage (copied from that list) next to it. Escape or × closes it.
(function () {
  "use strict";

  var body = document.querySelector("[data-annotated-body]");
  var popover = document.getElementById("attribution-popover");
  if (!body || !popover) {
    return;
  }
  var content = popover.querySelector("[data-popover-content]");
  var shownFor = null;

  // Attribution ids covering a highlight, outermost first (marks nest, one per attribution).
  function idsAt(mark) {
    var ids = [];
    for (var node = mark; node && node !== body; node = node.parentElement) {
      if (node.dataset && node.dataset.attribution && ids.indexOf(node.dataset.attribution) === -1) {
        ids.unshift(node.dataset.attribution);
      }
    }
    return ids;
  }

  function place(mark, clientY) {
    var rects = Array.prototype.slice.call(mark.getClientRects());
    var rect = rects[0] || mark.getBoundingClientRect();
    if (clientY !== undefined) {
      rects.forEach(function (r) {
        if (clientY >= r.top && clientY <= r.bottom) {
          rect = r;
        }
      });
    }
    var viewport = document.documentElement.clientWidth;
    var left = Math.min(rect.left, viewport - popover.offsetWidth - 12);
    popover.style.left = window.scrollX + Math.max(left, 8) + "px";
    popover.style.top = window.scrollY + rect.bottom + 6 + "px";
  }

  function show(mark, clientY) {
    var ids = idsAt(mark);
    if (!ids.length) {
      return;
    }
    content.replaceChildren();
    ids.forEach(function (id) {
      var entry = document.getElementById("attribution-" + id);
      if (entry) {
        var copy = entry.cloneNode(true);
        copy.removeAttribute("id");
        content.appendChild(copy);
      }
    });
    body.querySelectorAll("mark.is-active").forEach(function (m) {
      m.classList.remove("is-active");
    });
    ids.forEach(function (id) {
      body.querySelectorAll('mark[data-attribution="' + id + '"]').forEach(function (m) {
        m.classList.add("is-active");
      });
    });
    popover.hidden = false;
    place(mark, clientY);
    shownFor = mark;
  }

  function hide() {
    popover.hidden = true;
    body.querySelectorAll("mark.is-active").forEach(function (m) {
      m.classList.remove("is-active");
    });
    var back = shownFor;
    shownFor = null;
    return back;
  }

  body.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-attribution]");
    if (mark) {
      show(mark, event.clientY);
    }
  });
  body.addEventListener("focusin", function (event) {
    var mark = event.target.closest("mark[data-attribution]");
    if (mark && mark !== shownFor) {
      show(mark);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !popover.hidden) {
      var back = hide();
      if (back && back.hasAttribute("tabindex")) {
        back.focus();
        shownFor = back;
      }
    }
  });
  document.addEventListener("click", function (event) {
    if (!popover.hidden && !popover.contains(event.target) && !body.contains(event.target)) {
      hide();
    }
  });
  popover.querySelector("[data-popover-close]").addEventListener("click", function () {
    var back = hide();
    if (back && back.hasAttribute("tabindex")) {
      shownFor = back;
      back.focus();
    }
  });
})();
