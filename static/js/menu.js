// The menu's review count: how many claims await this reviewer (or, for an analyst, their drafts and
// rejected claims). Fetched after the page is shown, so no page pays a query for it; without JavaScript
// the "Review" link still leads to the queue. The badge's label is in the page's language (Django's
// JavaScript catalogue, loaded first by templates/base.html), else English.
(function () {
  "use strict";

  var ngettext = window.ngettext || function (one, many, count) { return count === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };

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
        var label = counts.awaiting
          ? ngettext("%(count)s awaiting your review", "%(count)s awaiting your review", count)
          : ngettext("%(count)s to rework", "%(count)s to rework", count);
        badge.setAttribute("aria-label", interpolate(label, { count: count }, true));
        badge.title = badge.getAttribute("aria-label");
        badge.hidden = false;
      }
    })
    .catch(function () {});
})();
