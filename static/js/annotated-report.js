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
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && body.contains(selection.anchorNode)) {
      return; // a passage being selected, not a highlight clicked
    }
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

// "Attribute this passage": for those who may add claims (the link is only on their page), a
// selection in the text shows a link beside it to the admin's claim form with the passage filled
// in. The form reads the quote from the report's body at the offsets given (ClaimAdmin.
// changeform_view), so the offsets are counted as the server counts: characters (code points) of
// the body, which is the concatenated text of the article, highlights included. Anything a
// script adds inside the text for the reader is not the body and is not counted.
(function () {
  "use strict";

  var body = document.querySelector("[data-annotated-body]");
  var link = document.querySelector("[data-attribute-passage]");
  if (!body || !link) {
    return;
  }
  var base = link.getAttribute("href");
  var NOT_BODY = "[data-not-body], [role=dialog], button, script, style, template";
  var SPACE = /\s/;
  var scheduled = false;

  function isBodyText(node) {
    for (var element = node.parentElement; element && element !== body; element = element.parentElement) {
      if (element.matches(NOT_BODY)) {
        return false;
      }
    }
    return true;
  }

  function bodyTexts() {
    var nodes = [];
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (isBodyText(node)) {
        nodes.push(node);
      }
    }
    return nodes;
  }

  // The offset in the body's text (UTF-16 units) of a boundary point anywhere in the page:
  // points before the body count as 0, after it as its length.
  function offsetOf(nodes, container, offset) {
    var point = document.createRange();
    point.setStart(container, offset);
    var total = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === container) {
        return total + offset;
      }
      if (point.comparePoint(nodes[i], nodes[i].data.length) > 0) {
        return total; // this text ends after the point, so it starts at or after it
      }
      total += nodes[i].data.length;
    }
    return total;
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  // {start, end} in the body's characters, surrounding whitespace left out; null when the
  // selection holds no text of the body.
  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(body)) {
      return null;
    }
    var nodes = bodyTexts();
    var text = nodes.map(function (node) { return node.data; }).join("");
    var start = offsetOf(nodes, range.startContainer, range.startOffset);
    var end = offsetOf(nodes, range.endContainer, range.endOffset);
    while (start < end && SPACE.test(text.charAt(start))) {
      start++;
    }
    while (end > start && SPACE.test(text.charAt(end - 1))) {
      end--;
    }
    if (start >= end) {
      return null;
    }
    var before = codePoints(text.slice(0, start));
    return { start: before, end: before + codePoints(text.slice(start, end)), range: range };
  }

  function hide() {
    link.hidden = true;
  }

  function place(range) {
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    link.hidden = false;
    var viewport = document.documentElement.clientWidth;
    var left = Math.min(rect.right + 4, viewport - link.offsetWidth - 12);
    link.style.left = window.scrollX + Math.max(left, 8) + "px";
    link.style.top = window.scrollY + rect.bottom + 4 + "px";
  }

  function update() {
    scheduled = false;
    var passage = selectedPassage();
    if (!passage) {
      if (document.activeElement !== link) {
        hide();
      }
      return;
    }
    var query = new URLSearchParams({ report: link.dataset.report, start: passage.start, end: passage.end });
    link.href = base + "?" + query.toString();
    place(passage.range);
  }

  document.addEventListener("selectionchange", function () {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(update);
    }
  });
  // Keyboard: with a passage selected, Tab goes to the link (Enter follows it); Escape puts it away.
  document.addEventListener("keydown", function (event) {
    if (link.hidden) {
      return;
    }
    if (event.key === "Tab" && !event.shiftKey && document.activeElement !== link && selectedPassage()) {
      event.preventDefault();
      link.focus();
    } else if (event.key === "Escape") {
      hide();
    }
  });
  // A press on the link must not drop the selection it is about.
  link.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  link.addEventListener("blur", function () {
    if (!selectedPassage()) {
      hide();
    }
  });
})();
