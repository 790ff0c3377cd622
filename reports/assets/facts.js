// Filter and search of the facts table: by topic, party and source, and words in English or Arabic.
// Plain script, no library, no request. Without it the form stays hidden and every row is shown.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("facts");
  var count = document.getElementById("count");
  if (!form || !table || !count || !table.tBodies.length) {
    return;
  }
  // Folds what Arabic spelling varies in (diacritics, tatweel, alef, ya and ta marbuta forms) and letter case.
  function fold(text) {
    return text
      .toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A")
      .replace(/\u0629/g, "\u0647");
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (row) {
    return fold((row.getAttribute("data-search") || "") + " " + row.textContent);
  });
  var template = count.getAttribute("data-template") || "{shown} / {total}";
  function has(row, name, value) {
    if (!value) {
      return true;
    }
    return (" " + (row.getAttribute("data-" + name) || "") + " ").indexOf(" " + value + " ") >= 0;
  }
  function update() {
    var query = fold(form.elements.q.value.trim());
    var words = query ? query.split(/\s+/) : [];
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok =
        has(row, "topic", form.elements.topic.value) &&
        has(row, "party", form.elements.party.value) &&
        has(row, "source", form.elements.source.value) &&
        words.every(function (word) {
          return texts[i].indexOf(word) >= 0;
        });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    count.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(update, 0);
  });
  form.hidden = false;
  update();
})();
