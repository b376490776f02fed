// Lookups for the filters' choices of many rows (claims.widgets.LookupMixin): the select lists only the rows
// chosen; this adds a box above it that finds others by the words typed (claims.views.LookupView, the same
// matching as the search box) and adds the one picked to the select, chosen. Arrow keys move through the
// results, Enter picks, Escape closes. Without JavaScript the select still unchooses rows.
(function () {
  "use strict";

  // The page's catalogue (claimtracker/urls.py, before this script); English without it.
  var gettext = window.gettext || function (text) { return text; };

  function setUp(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var box = document.createElement("input");
    var list = document.createElement("ul");
    var note = document.createElement("p");
    var timer = null;
    var asked = "";

    box.type = "search";
    box.className = "lookup-box";
    box.autocomplete = "off";
    box.placeholder = gettext("Type to find…");
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-label", (label ? label.textContent.trim() + ": " : "") + gettext("find by name"));
    list.id = (select.id || select.name) + "-lookup";
    list.className = "lookup-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.setAttribute("aria-controls", list.id);
    note.className = "lookup-note muted";
    note.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(list, select);
    select.parentNode.insertBefore(note, select);

    function close() {
      list.hidden = true;
      list.textContent = "";
      box.setAttribute("aria-expanded", "false");
    }

    function choose(id, text) {
      var option = null;
      Array.prototype.forEach.call(select.options, function (each) {
        if (each.value === String(id)) {
          option = each;
        } else if (!select.multiple) {
          each.selected = false;
        }
      });
      if (!option) {
        option = new Option(text, String(id), true, true);
        select.add(option);
      }
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      note.textContent = gettext("Chosen:") + " " + text;
      box.value = "";
      close();
      box.focus();
    }

    function show(results, more) {
      list.textContent = "";
      results.forEach(function (result) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.tabIndex = -1;
        item.dataset.id = result.id;
        item.textContent = result.text;
        item.addEventListener("click", function () {
          choose(result.id, result.text);
        });
        list.appendChild(item);
      });
      if (!results.length) {
        note.textContent = gettext("Nothing found.");
      } else {
        note.textContent = more ? gettext("More are found: type more words.") : "";
      }
      list.hidden = !results.length;
      box.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function find() {
      var words = box.value.trim();
      if (words === asked) {
        return;
      }
      asked = words;
      if (words.length < 2) {
        close();
        note.textContent = "";
        return;
      }
      fetch(select.dataset.lookup + "?q=" + encodeURIComponent(words), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (body) {
          if (words === asked) {
            show(body.results, body.more);
          }
        })
        .catch(function () {
          note.textContent = gettext("The search did not answer; try again.");
        });
    }

    function move(from, step) {
      var items = Array.prototype.slice.call(list.children);
      var next = items[items.indexOf(from) + step];
      if (next) {
        next.focus();
      } else if (step < 0) {
        box.focus();
      }
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(find, 200);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && list.firstChild) {
        event.preventDefault();
        list.firstChild.focus();
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Enter" && !list.hidden && list.firstChild) {
        event.preventDefault(); // pick the first result rather than submit the filter
        list.firstChild.click();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.target, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.target.click();
      } else if (event.key === "Escape") {
        close();
        box.focus();
      }
    });
  }

  document.querySelectorAll("select[data-lookup]").forEach(setUp);
})();
