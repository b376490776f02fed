// The menu's review count: how many claims await this reviewer (or, for an analyst, their drafts and
// rejected claims). Fetched after the page is shown, so no page pays a query for it; without JavaScript
// the "Review" link still leads to the queue.
(function () {
  "use strict";

  var link = document.querySelector("[data-review-count-url]");
  var badge = link && link.querySelector("[data-review-count]");
  if (!badge || !window.fetch) {
    return;
  }
  fetch(link.getAttribute("data-review-count-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (counts) {
      if (!counts) {
        return;
      }
      var count = counts.awaiting || counts.rework;
      if (count > 0) {
        badge.textContent = String(count);
        badge.setAttribute("aria-label", counts.awaiting ? count + " awaiting your review" : count + " to rework");
        badge.title = badge.getAttribute("aria-label");
        badge.hidden = false;
      }
    })
    .catch(function () {});
})();
