// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // The language switch submits as soon as a language is chosen (its button stays for no-JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
