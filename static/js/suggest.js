// As-you-type suggestions for search boxes: the WAI-ARIA 1.2 combobox pattern with a listbox popup.
//
// Every <input data-suggest="URL"> gets it. As the reader types (two characters or more) the script
// asks URL + "?q=..." ("&q=..." when URL already has a query) for JSON {"suggestions": [{"label", "detail",
// "url"}]} and lists them under the box. Down and Up arrows move through the list, Enter picks the
// highlighted suggestion, Escape closes the list (or, when it is closed, clears the box), and a click
// picks one too. Picking goes to the suggestion's url, unless a listener of the cancelable
// "suggest:pick" event on the input (event.detail = {label, url}) calls preventDefault() to use it
// otherwise. A polite live region says how many suggestions there are. Without this script the boxes
// are plain search forms.
(function () {
  "use strict";

  var DELAY = 150; // ms of typing pause before asking the server
  var MIN_LENGTH = 2;

  function suggestionUrl(base, query) {
    return base + (base.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
  }

  function setUp(input, index) {
    var id = "suggest-" + index;
    var wrapper = document.createElement("div");
    wrapper.className = "suggest";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.className = "suggest-list";
    listbox.setAttribute("role", "listbox");
    var label = input.labels && input.labels.length ? input.labels[0] : null;
    if (label) {
      if (!label.id) {
        label.id = id + "-label";
      }
      listbox.setAttribute("aria-labelledby", label.id);
    } else {
      listbox.setAttribute("aria-label", "Suggestions");
    }
    listbox.hidden = true;
    wrapper.appendChild(listbox);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var items = []; // the suggestions shown: {label, url}
    var active = -1; // index of the highlighted option, -1 for none
    var timer = null;
    var asked = ""; // the latest query sent; older answers are dropped

    function options() {
      return listbox.querySelectorAll("[role=option]");
    }

    function highlight(next) {
      var all = options();
      if (active >= 0 && all[active]) {
        all[active].setAttribute("aria-selected", "false");
      }
      active = next;
      if (active >= 0 && all[active]) {
        all[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (items.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      highlight(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function announce(text) {
      status.textContent = text;
    }

    function show(suggestions, query) {
      items = suggestions;
      listbox.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, position) {
        var option = document.createElement("li");
        option.id = id + "-option-" + position;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label;
        if (item.detail) {
          // Why it matched ("Also called PKU"), read with the name.
          var detail = document.createElement("span");
          detail.className = "suggest-detail";
          detail.textContent = " (" + item.detail + ")";
          option.appendChild(detail);
        }
        listbox.appendChild(option);
      });
      if (items.length) {
        open();
        announce(
          items.length + " suggestion" + (items.length === 1 ? "" : "s") + " for " + query +
            ". Use the up and down arrow keys to choose, Enter to go."
        );
      } else {
        close();
        announce(query ? "No suggestions for " + query + "." : "");
      }
    }

    function pick(position) {
      var item = items[position];
      if (!item) {
        return;
      }
      var event = new CustomEvent("suggest:pick", { cancelable: true, detail: item });
      close();
      if (input.dispatchEvent(event)) {
        // The finder's "does not have it" choice: a suggestion may carry the address adding it as absent.
        var absent = input.form && input.form.querySelector('input[name="as"][value="absent"]:checked');
        window.location.assign(absent && item.absent_url ? item.absent_url : item.url);
      }
    }

    function ask(query) {
      asked = query;
      fetch(suggestionUrl(input.getAttribute("data-suggest"), query), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .catch(function () {
          return { suggestions: [] };
        })
        .then(function (data) {
          if (query === asked && query === input.value.trim()) {
            show(data.suggestions || [], query);
          }
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        asked = "";
        show([], "");
        return;
      }
      timer = setTimeout(function () {
        ask(query);
      }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        open();
        event.preventDefault();
        return;
      }
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (!items.length) {
            return;
          }
          event.preventDefault();
          if (listbox.hidden) {
            open();
            highlight(event.key === "ArrowDown" ? 0 : items.length - 1);
          } else if (event.key === "ArrowDown") {
            highlight(active + 1 < items.length ? active + 1 : 0);
          } else {
            highlight(active > 0 ? active - 1 : items.length - 1);
          }
          break;
        case "Enter":
          if (!listbox.hidden && active >= 0) {
            event.preventDefault(); // go to the suggestion, not the search results
            pick(active);
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            show([], "");
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    // Keep the focus in the box while the mouse presses an option, so the list stays open until the click.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        pick(Array.prototype.indexOf.call(options(), option));
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () {
      if (input.value.trim().length >= MIN_LENGTH) {
        open();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), setUp);
})();
