/* Composers (a reply, a new topic): drafts saved on the server as the member types, and an
 * @mention list.
 *
 * Drafts: every form[data-composer] whose textarea carries data-draft-key posts the text to
 * data-draft-url a moment after the member stops typing (and when the page is left). The server
 * puts a saved draft back into the form on any device, and removes it once the post is made.
 *
 * @mentions: typing "@" and a few letters asks data-mention-url for pseudonyms and offers them
 * in a listbox the textarea controls (WAI-ARIA combobox pattern, list autocomplete): Down/Up
 * move through it, Enter or Tab inserts, Escape closes. Names are inserted as text, never HTML.
 */
(function () {
  "use strict";

  var SAVE_AFTER_MS = 800;
  var LOOKUP_AFTER_MS = 150;
  var MENTION_BEFORE_CARET = /(^|[^A-Za-z0-9_.\-@])@([A-Za-z0-9_.\-]{1,30})$/;
  var counter = 0;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function status(after, className) {
    var el = document.createElement("p");
    el.className = className;
    el.setAttribute("role", "status");
    after.insertAdjacentElement("afterend", el);
    return el;
  }

  function setupDrafts(form, body) {
    var url = body.getAttribute("data-draft-url");
    var key = body.getAttribute("data-draft-key");
    var title = form.querySelector("[data-draft-title]");
    var note = status(body, "help draft-status");
    var timer = null;
    var dirty = false;
    var submitted = false;
    var inFlight = null;

    function payload() {
      var data = new URLSearchParams();
      data.set("key", key);
      data.set("body", body.value);
      data.set("title", title ? title.value : "");
      return data;
    }

    function save(keepalive) {
      if (submitted || !dirty) {
        return;
      }
      dirty = false;
      var controller = "AbortController" in window ? new AbortController() : null;
      inFlight = controller;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        signal: controller ? controller.signal : undefined,
        headers: { "X-CSRFToken": csrfToken(form) },
        body: payload(),
      })
        .then(function (response) {
          if (submitted) {
            return;
          }
          if (!response.ok) {
            dirty = true; /* tried again on the next change or when the page is left */
          }
          note.textContent = response.ok
            ? "Draft saved. It will be here on any device until you post."
            : "Your draft could not be saved just now; your text is still here.";
        })
        .catch(function () {
          if (!submitted) {
            dirty = true;
          }
        });
    }

    function changed() {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, SAVE_AFTER_MS);
    }

    body.addEventListener("input", changed);
    if (title) {
      title.addEventListener("input", changed);
    }
    form.addEventListener("submit", function () {
      submitted = true;
      window.clearTimeout(timer);
      if (inFlight) {
        inFlight.abort();
      }
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
  }

  function setupMentions(body) {
    var url = body.getAttribute("data-mention-url");
    if (!url || !("fetch" in window)) {
      return;
    }
    counter += 1;
    var listId = (body.id || "composer-" + counter) + "-mentions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    body.insertAdjacentElement("afterend", list);
    var announce = status(list, "visually-hidden");
    body.setAttribute("aria-controls", listId);

    var names = [];
    var active = -1;
    var timer = null;
    var lookup = null;
    var query = "";

    function match() {
      var before = body.value.slice(0, body.selectionStart);
      if (body.selectionStart !== body.selectionEnd) {
        return null;
      }
      var found = MENTION_BEFORE_CARET.exec(before);
      return found ? found[2] : null;
    }

    function close() {
      names = [];
      active = -1;
      list.hidden = true;
      list.textContent = "";
      body.removeAttribute("aria-activedescendant");
    }

    function setActive(index) {
      active = index;
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        body.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        body.removeAttribute("aria-activedescendant");
      }
    }

    function show(found) {
      list.textContent = "";
      names = found;
      if (!found.length) {
        close();
        announce.textContent = "No member found.";
        return;
      }
      found.forEach(function (name, n) {
        var option = document.createElement("li");
        option.id = listId + "-" + n;
        option.setAttribute("role", "option");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); /* keep the focus in the textarea */
          insert(name);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      setActive(0);
      announce.textContent =
        found.length +
        (found.length === 1 ? " member" : " members") +
        " found: Up and Down to choose, Enter to insert, Escape to close.";
    }

    function insert(name) {
      var start = body.selectionStart;
      var before = body.value.slice(0, start);
      var at = before.lastIndexOf("@");
      var text = "@" + name + " ";
      body.value = body.value.slice(0, at) + text + body.value.slice(start);
      var caret = at + text.length;
      body.setSelectionRange(caret, caret);
      close();
      announce.textContent = name + " inserted.";
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function ask(prefix) {
      if (lookup) {
        lookup.abort();
      }
      lookup = "AbortController" in window ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(prefix), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: lookup ? lookup.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { pseudonyms: [] };
        })
        .then(function (data) {
          if (match() === prefix) {
            show(Array.isArray(data.pseudonyms) ? data.pseudonyms.map(String) : []);
          }
        })
        .catch(function () {});
    }

    body.addEventListener("input", function () {
      var prefix = match();
      window.clearTimeout(timer);
      if (prefix === null) {
        query = "";
        close();
        return;
      }
      if (prefix === query && !list.hidden) {
        return;
      }
      query = prefix;
      timer = window.setTimeout(function () {
        ask(prefix);
      }, LOOKUP_AFTER_MS);
    });

    body.addEventListener("keydown", function (event) {
      if (list.hidden || !names.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        setActive((active + 1) % names.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        setActive((active - 1 + names.length) % names.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        insert(names[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
        announce.textContent = "Suggestions closed.";
      }
    });
    body.addEventListener("blur", close);
  }

  document.querySelectorAll("form[data-composer]").forEach(function (form) {
    var body = form.querySelector("textarea[data-draft-key]");
    if (!body) {
      return;
    }
    setupDrafts(form, body);
    setupMentions(body);
  });
})();
