// The step workbook: drafts save to the server as the member types, so a bad connection or a
// closed tab loses nothing. The form still works without this script (the Save button).
// Also: "Copy into my share" buttons on the share composer.
(function () {
  "use strict";

  const DELAY_MS = 800;

  function autosave(form) {
    const status = form.querySelector("[data-autosave-status]");
    const entryInput = form.querySelector("[data-entry-id]");
    let timer = null;
    let inFlight = false;
    let again = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    async function save() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      const data = new FormData(form);
      data.set("autosave", "1");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        const answer = await response.json();
        if (answer.saved) {
          if (entryInput) entryInput.value = answer.entry;
          form.action = answer.action;
          say("Draft saved at " + answer.saved_at + ".");
        } else if (answer.error) {
          say(answer.error);
        }
      } catch (error) {
        say("Not saved yet: no connection. Keep writing; it will try again.");
        again = true;
      } finally {
        inFlight = false;
        if (again) {
          again = false;
          schedule();
        }
      }
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", function () {
      say("Saving…");
      schedule();
    });
    form.addEventListener("change", schedule);
  }

  function copyButtons() {
    for (const button of document.querySelectorAll("[data-copy-from]")) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const source = document.getElementById(button.dataset.copyFrom);
        const target = document.getElementById(button.dataset.copyTo);
        if (!source || !target) return;
        const text = source.textContent.trim();
        target.value = target.value ? target.value.replace(/\s*$/, "") + "\n\n" + text : text;
        target.focus();
      });
    }
  }

  for (const form of document.querySelectorAll("form[data-autosave]")) {
    autosave(form);
  }
  copyButtons();
})();
