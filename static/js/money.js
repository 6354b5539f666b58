// The money input (registry/money.py): shows the sum it reads ("= 2.000.000 ₫") while the
// user types. The server reads the same spellings (parse_vnd) and shows the same hint after
// a round trip, so the page works without this file; this only makes the hint instant.
(function () {
  "use strict";
  var SPACES = "[ \u00a0\u2007\u2009\u202f]";
  var UNIT = new RegExp("\\s*(₫|đ|đồng|vnd|vnđ)\\.?\\s*$", "i");
  var GROUPED = new RegExp("^[0-9]{1,3}(?:([." + SPACES.slice(1, -1) + "])[0-9]{3})(?:\\1[0-9]{3})*$");

  function parse(text) {
    text = text.replace(new RegExp("^" + SPACES + "+|" + SPACES + "+$", "g"), "").trim();
    if (!text) {
      return "";
    }
    text = text.replace(UNIT, "").trim();
    var sign = "";
    if (text.charAt(0) === "-" || text.charAt(0) === "\u2212") {
      sign = "-";
      text = text.slice(1).trim();
    }
    if (/^[0-9]+$/.test(text) || GROUPED.test(text)) {
      var digits = text.replace(/[^0-9]/g, "").replace(/^0+(?=[0-9])/, "");
      return sign + digits;
    }
    return null;
  }

  function group(digits) {
    var sign = digits.charAt(0) === "-" ? "-" : "";
    digits = digits.replace("-", "");
    return sign + digits.replace(/\B(?=([0-9]{3})+(?![0-9]))/g, ".");
  }

  function update(input) {
    var hint = document.getElementById(input.id + "_money");
    if (!hint) {
      return;
    }
    var parsed = parse(input.value);
    if (parsed === "") {
      hint.textContent = "";
      hint.classList.remove("money-unclear");
    } else if (parsed === null) {
      hint.textContent = input.getAttribute("data-money-unclear") || "?";
      hint.classList.add("money-unclear");
    } else {
      hint.textContent = "= " + group(parsed) + "\u00a0₫";
      hint.classList.remove("money-unclear");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-money]").forEach(function (input) {
      input.addEventListener("input", function () {
        update(input);
      });
    });
  });
})();
