// The annotated report's pop-over. The page is complete without it: every
// highlight's details are listed beside the text. On click or focus of a
// highlight, this shows the details of every attribution covering that
// passage (copied from that list) next to it, inside the screen (below the
// passage, else above it, else as low as fits), and the list beside the text
// follows: its card is highlighted and scrolled into the list's view. Escape
// or × closes the pop-over. Keys: j and k go to the next and previous passage
// (focused, outlined and scrolled into view), Enter opens the focused one
// (its pop-over, the cursor on its first link).
(function () {
  "use strict";

  var body = document.querySelector("[data-annotated-body]");
  var popover = document.getElementById("attribution-popover");
  if (!body || !popover) {
    return;
  }
  var content = popover.querySelector("[data-popover-content]");
  var annotated = body.closest(".annotated");
  var article = body.closest(".report-text");
  var list = document.querySelector(".report-claims");
  var passages = Array.prototype.slice.call(body.querySelectorAll("mark[data-attribution-id]"));
  var shownFor = null;
  var MARGIN = 8;

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

  // Neighbouring passages must not blur into one: every second passage (in order of appearance) is shaded
  // apart, each of its pieces marked (a passage is cut into several marks where others begin or end in it).
  passages.forEach(function (mark, index) {
    if (index % 2 === 1) {
      body.querySelectorAll('mark[data-attribution="' + mark.dataset.attributionId + '"]').forEach(function (piece) {
        piece.classList.add("hl-alt");
      });
    }
  });

  // The list beside the text sticks beside it, scrolling on its own, only when the text is longer than the
  // screen: beside a short text it runs its full length, so that no card is cut off.
  function layout() {
    if (annotated && article) {
      annotated.classList.toggle("follows", article.offsetHeight > window.innerHeight);
    }
  }
  layout();
  window.addEventListener("resize", layout);

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
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    var left = Math.min(rect.left, width - popover.offsetWidth - 12);
    var top = rect.bottom + 6; // below the passage…
    if (top + popover.offsetHeight > height - MARGIN) {
      if (rect.top - 6 - popover.offsetHeight >= MARGIN) {
        top = rect.top - 6 - popover.offsetHeight; // …else above it…
      } else {
        top = Math.max(MARGIN, height - MARGIN - popover.offsetHeight); // …else as low as fits
      }
    }
    popover.style.left = window.scrollX + Math.max(left, MARGIN) + "px";
    popover.style.top = window.scrollY + top + "px";
    var box = popover.getBoundingClientRect();
    if (box.top < 0 || box.bottom > height) {
      popover.scrollIntoView({ block: "nearest" });
    }
  }

  // The card of this attribution in the list beside the text: highlighted, and scrolled into the list's view
  // when the list scrolls on its own beside the text (never the page: the passage must stay in sight).
  function follow(id) {
    if (!list) {
      return;
    }
    list.querySelectorAll(".attribution.is-current").forEach(function (card) {
      card.classList.remove("is-current");
    });
    var card = document.getElementById("attribution-" + id);
    if (!card) {
      return;
    }
    card.classList.add("is-current");
    if (list.scrollHeight > list.clientHeight + 1) {
      var top = card.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
      if (top < list.scrollTop || top + card.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - (list.clientHeight - card.offsetHeight) / 2);
      }
    }
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
        copy.classList.remove("is-current");
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
    follow(ids[ids.length - 1]);
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

  // The passage that j and k start from: the focused one, else the one last shown.
  function current() {
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("mark[data-attribution]");
    var mark = focused && body.contains(focused) ? focused : shownFor;
    for (var node = mark; node && node !== body; node = node.parentElement) {
      if (passages.indexOf(node) !== -1) {
        return passages.indexOf(node);
      }
    }
    return -1;
  }

  function goTo(index) {
    var mark = passages[Math.max(0, Math.min(passages.length - 1, index))];
    if (!mark) {
      return;
    }
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: "center" });
    if (mark !== shownFor) {
      show(mark);
    } else {
      place(mark);
    }
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])");
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
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) {
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      var at = current();
      goTo(event.key === "j" ? at + 1 : at === -1 ? passages.length - 1 : at - 1);
    } else if (event.key === "Enter" && event.target.matches && event.target.matches("mark[data-attribution-id]")) {
      event.preventDefault();
      show(event.target);
      var link = content.querySelector("a[href]");
      if (link) {
        link.focus();
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
