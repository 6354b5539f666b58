// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // The language switch submits as soon as a language is picked from its list (its button
  // stays for no-JS). Arrow keys on the closed list change the value one step at a time:
  // switching the page's language on each step would yank keyboard users away (WCAG 3.2.2),
  // so after a key press the choice waits for the button, or for Enter.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var stepping = false;
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && stepping) {
        event.preventDefault();
        select.form.requestSubmit();
        return;
      }
      stepping = event.key !== "Enter" && event.key !== " " && event.key !== "Tab";
    });
    select.addEventListener("pointerdown", function () {
      stepping = false;
    });
    select.addEventListener("change", function () {
      if (!stepping) {
        select.form.requestSubmit();
      }
    });
  });

  // A refused form: focus its error summary, so that screen readers read it and keyboard
  // users start from it. Done here, before the browser honours a field's autofocus (the
  // login form's), which it then skips because something already has the focus.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // The private link of a resident's feedback: the copy button appears only with a script
  // (without it the read-only field is there to select); focusing the field selects it all.
  document.querySelectorAll("input[data-copy-source]").forEach(function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied-text");
        }
      };
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) {
            done();
          }
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
});
