// As-you-type suggestions for the search boxes. Without this script the boxes are
// plain forms that submit to /search/; with it, a native <datalist> offers the best
// matching diseases and symptoms, and picking one goes straight to its page.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input, index) {
    var list = document.createElement("datalist");
    list.id = "suggestions-" + index;
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);
    var urls = {};
    var timer = null;
    var latest = "";

    function show(suggestions) {
      list.textContent = "";
      urls = {};
      suggestions.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.label;
        urls[item.label] = item.url;
        list.appendChild(option);
      });
    }

    input.addEventListener("input", function (event) {
      if (event.inputType === "insertReplacementText" && urls[input.value]) {
        window.location.href = urls[input.value];
        return;
      }
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) {
        show([]);
        return;
      }
      timer = setTimeout(function () {
        latest = query;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) { if (query === latest) { show(data.suggestions || []); } })
          .catch(function () { show([]); });
      }, 150);
    });
  });
})();
