// On the claim form in the admin: while an analyst types a statement, or the quote of an
// attribution, list under the field the existing claims most like it (ClaimAdmin.similar_view),
// so a later report lands on the claim it corroborates instead of duplicating it. Links open in a
// new tab: what is typed here is kept. The claim being edited is never listed. Its texts are in the admin's
// language (the admin's JavaScript catalogue, which Django's change form loads, holds ours too), else English.
(function () {
  "use strict";

  var gettext = window.gettext || function (text) { return text; };
  // A claim's status as the admin's lists say it, in lower case.
  var STATUSES = {
    draft: gettext("draft"),
    in_review: gettext("in review"),
    vetted: gettext("vetted"),
    rejected: gettext("rejected"),
    retracted: gettext("retracted"),
  };

  var config = document.querySelector("[data-similar-claims-url]");
  var form = document.getElementById("claim_form");
  if (!config || !form) {
    return;
  }
  var url = config.dataset.similarClaimsUrl;
  var exclude = config.dataset.similarClaimsExclude || "";
  var DELAY = 350;
  var MIN_LENGTH = 12;
  var SHOWN = 5;

  function watched(field) {
    if (!field || field.tagName !== "TEXTAREA" || field.name.indexOf("__prefix__") !== -1) {
      return false;
    }
    return field.name === "statement" || /^attributions-\d+-quote$/.test(field.name);
  }

  function listFor(field) {
    // Below the field and its help text, aligned with them.
    var anchor = field.closest(".flex-container") || field;
    if (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("help")) {
      anchor = anchor.nextElementSibling;
    }
    var list = anchor.nextElementSibling;
    if (list && list.classList.contains("similar-live")) {
      return list;
    }
    list = document.createElement("div");
    list.className = "similar-live";
    list.setAttribute("aria-live", "polite");
    anchor.after(list);
    return list;
  }

  function render(field, claims) {
    var list = listFor(field);
    list.replaceChildren();
    if (!claims.length) {
      return;
    }
    var intro = document.createElement("p");
    intro.textContent = field.name === "statement"
      ? gettext("Similar claims (if it is one of these, add the evidence there):")
      : gettext("Claims this passage may also be about:");
    var items = document.createElement("ol");
    claims.slice(0, SHOWN).forEach(function (claim) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = claim.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "#" + claim.id + " " + claim.statement;
      var status = document.createElement("span");
      status.className = "similar-live-status";
      status.textContent = STATUSES[claim.status] || claim.status.replace(/_/g, " ");
      item.append(link, " ", status);
      items.appendChild(item);
    });
    list.append(intro, items);
  }

  var timers = new WeakMap();
  var asked = new WeakMap();

  function ask(field) {
    var text = field.value.trim();
    if (text.length < MIN_LENGTH) {
      render(field, []);
      return;
    }
    var query = "?text=" + encodeURIComponent(text.slice(0, 2000)) + (exclude ? "&exclude=" + exclude : "");
    asked.set(field, query);
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (claims) {
        if (asked.get(field) === query) {
          render(field, claims);
        }
      })
      .catch(function () {
        /* The list is a help, not a step: without it the form works as before. */
      });
  }

  form.addEventListener("input", function (event) {
    var field = event.target;
    if (!watched(field)) {
      return;
    }
    window.clearTimeout(timers.get(field));
    timers.set(field, window.setTimeout(function () {
      ask(field);
    }, DELAY));
  });
})();
