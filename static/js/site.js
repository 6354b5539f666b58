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
});
