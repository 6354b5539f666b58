// The workspace keeps what an official typed: when a form on the page has changes that were
// not saved, another form's button or a link does not silently throw them away. The first
// click shows a message next to it (the changed form is marked); a second click goes on.
// Pairs that belong together (a milestone's "publish" saves its edits) are handled on the
// server, so this is only a guard for everything else; without JavaScript nothing changes.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var main = document.querySelector("[data-unsaved-message]");
  if (!main) {
    return;
  }
  var message = main.getAttribute("data-unsaved-message");
  var dirty = new Set();

  function watched(form) {
    return (
      form &&
      main.contains(form) &&
      (form.getAttribute("method") || "").toLowerCase() === "post"
    );
  }

  function markDirty(event) {
    var form = event.target.form;
    if (watched(form)) {
      dirty.add(form);
    }
  }
  main.addEventListener("input", markDirty);
  main.addEventListener("change", markDirty);

  function warn(element) {
    dirty.forEach(function (form) {
      form.classList.add("has-unsaved-changes");
    });
    var note = document.createElement("p");
    note.className = "notice notice-warning unsaved-warning";
    note.setAttribute("role", "alert");
    note.textContent = message;
    element.insertAdjacentElement("afterend", note);
    element.setAttribute("data-unsaved-warned", "1");
  }

  function othersDirty(form) {
    var found = false;
    dirty.forEach(function (other) {
      if (other !== form) {
        found = true;
      }
    });
    return found;
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!watched(form)) {
        return;
      }
      var button = event.submitter || form;
      if (othersDirty(form) && !button.hasAttribute("data-unsaved-warned")) {
        event.preventDefault();
        warn(button);
        return;
      }
      dirty.delete(form);
    },
    true
  );

  main.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || dirty.size === 0 || link.getAttribute("href").charAt(0) === "#") {
      return;
    }
    if (link.target || link.hasAttribute("download") || link.hasAttribute("data-unsaved-warned")) {
      return;
    }
    event.preventDefault();
    warn(link);
  });
});
