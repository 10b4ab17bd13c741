/* Homegroup live chat: plain JavaScript, no build step.
 *
 * The page already shows recent history (it works without JavaScript). This script opens the
 * room's socket, resumes after the last message id it has (?after=), de-duplicates by id,
 * reconnects with exponential backoff and jitter, and resends unacknowledged messages with the
 * same client_id, which the server uses to store each message once.
 * User text only ever reaches the page through textContent; links are <a> elements built here,
 * with an href only for http and https addresses.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-chat]");
  if (!root || !("WebSocket" in window)) {
    return;
  }

  var log = root.querySelector("[data-chat-log]");
  var statusEl = root.querySelector("[data-chat-status]");
  var presenceEl = root.querySelector("[data-chat-presence]");
  var errorEl = root.querySelector("[data-chat-error]");
  var newMessagesButton = root.querySelector("[data-chat-new]");
  var form = root.querySelector("[data-chat-form]");
  var textarea = form ? form.querySelector("textarea") : null;
  var sendButton = form ? form.querySelector("[data-chat-send]") : null;
  var wsPath = root.getAttribute("data-ws-path");
  var slowModeSeconds = parseInt(root.getAttribute("data-slow-mode"), 10) || 0;

  var FINAL_CLOSES = {
    4401: "Your session has ended. Please log in again to chat.",
    4403: "You cannot join this chat right now. You can still read this page.",
    4404: "This room is not available.",
    4429: "The chat is open in too many tabs or windows, so it was closed here. Reload this page to chat here again."
  };
  var ERROR_TEXT = {
    rate_limited: "You are sending quickly. Take a breath; you can send again shortly.",
    slow_mode: "Slow mode is on in this room; you can send again shortly.",
    too_long: "That message is too long. Please shorten it and try again.",
    bad_characters: "That message has characters that cannot be stored (perhaps part of an emoji was lost when the text was copied). Please retype it.",
    not_stored: "That message could not be stored, so it will not be sent again. Please change it and try once more.",
    invalid: "That message could not be sent. Please check it and try again.",
    locked: "A moderator has locked this room for now.",
    muted: "A moderator has paused your messages in this room for a while.",
    read_only: "This mentorship has ended, so the room is read-only.",
    suspended: "Your account is suspended for now, so you can read but not write.",
    unavailable: "The chat is having trouble; your message will be sent again shortly."
  };

  var seen = new Set();
  var lastId = 0;
  var pending = new Map(); // client_id -> {body, li}
  var socket = null;
  var attempt = 0;
  var reconnectTimer = null;
  var pingTimer = null;
  var countdownTimer = null;
  var stopped = false;

  Array.prototype.forEach.call(log.querySelectorAll("[data-id]"), function (li) {
    var id = parseInt(li.getAttribute("data-id"), 10);
    seen.add(id);
    lastId = Math.max(lastId, id);
  });

  function setStatus(text, state) {
    statusEl.textContent = text;
    root.setAttribute("data-connection", state);
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
  var TRAILING = /[.,;:!?)\]]+$/;

  function appendLinkified(parent, text) {
    var lines = text.split("\n");
    lines.forEach(function (line, index) {
      if (index > 0) {
        parent.appendChild(document.createElement("br"));
      }
      var last = 0;
      line.replace(URL_RE, function (match, offset) {
        var url = match;
        var trail = "";
        var t = url.match(TRAILING);
        if (t) {
          trail = t[0];
          url = url.slice(0, url.length - trail.length);
        }
        parent.appendChild(document.createTextNode(line.slice(last, offset)));
        var safe = null;
        try {
          var parsed = new URL(url);
          if (parsed.protocol === "http:" || parsed.protocol === "https:") {
            safe = parsed.href;
          }
        } catch (e) {
          safe = null;
        }
        if (safe) {
          var a = document.createElement("a");
          a.href = safe;
          a.rel = "nofollow noopener noreferrer ugc";
          a.textContent = url;
          parent.appendChild(a);
        } else {
          parent.appendChild(document.createTextNode(url));
        }
        parent.appendChild(document.createTextNode(trail));
        last = offset + match.length;
        return match;
      });
      parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  // One format for server-rendered and live messages (static/js/local-time.js).
  function formatTime(iso) {
    return window.HomegroupTime ? window.HomegroupTime.format(iso) : "";
  }

  function buildItem(author, created, body) {
    var li = document.createElement("li");
    li.className = "chat-message";
    var who = document.createElement("span");
    who.className = "chat-author";
    who.textContent = author;
    var time = document.createElement("time");
    time.className = "chat-time local-time";
    if (created) {
      time.setAttribute("datetime", created);
      time.textContent = formatTime(created);
    }
    var p = document.createElement("p");
    p.className = "chat-body";
    appendLinkified(p, body);
    li.appendChild(who);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(time);
    li.appendChild(p);
    return li;
  }

  // Issue 5: a message from a member the viewer blocked arrives with "blocked"; fold its body
  // the same way the server-rendered list does.
  function foldBlocked(li) {
    var body = li.querySelector(".chat-body");
    if (!body) {
      return;
    }
    var details = document.createElement("details");
    details.className = "blocked-fold";
    var summary = document.createElement("summary");
    summary.textContent = "Message from a member you blocked — show";
    details.appendChild(summary);
    li.replaceChild(details, body);
    details.appendChild(body);
  }

  // Scrolling: the log opens at the newest message and follows new ones, unless the member has
  // scrolled up to read; then a "New messages" button offers the way back down.
  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function scrollToNewest() {
    log.scrollTop = log.scrollHeight;
    if (newMessagesButton) {
      newMessagesButton.hidden = true;
    }
  }

  function watchScrolling() {
    log.addEventListener("scroll", function () {
      if (newMessagesButton && nearBottom()) {
        newMessagesButton.hidden = true;
      }
    });
    if (newMessagesButton) {
      newMessagesButton.addEventListener("click", function () {
        scrollToNewest();
        log.focus();
      });
    }
  }

  function append(li, own) {
    var stick = own || nearBottom();
    var empty = log.querySelector("[data-chat-empty]");
    if (empty) {
      empty.remove();
    }
    log.appendChild(li);
    if (stick) {
      scrollToNewest();
    } else if (newMessagesButton) {
      newMessagesButton.hidden = false;
    }
  }

  function onMessage(frame) {
    if (frame.client_id && pending.has(frame.client_id)) {
      var entry = pending.get(frame.client_id);
      pending.delete(frame.client_id);
      if (entry.li) {
        entry.li.remove();
      }
      startCountdown(slowModeSeconds);
    }
    if (frame.returning) {
      // Moderation brought an older message back: place it among the others by id.
      seen.delete(frame.id);
    }
    if (seen.has(frame.id) || document.getElementById("m-" + frame.id)) {
      return;
    }
    seen.add(frame.id);
    lastId = Math.max(lastId, frame.id);
    var li = buildItem(frame.author, frame.created, frame.body);
    li.id = "m-" + frame.id;
    li.setAttribute("data-id", String(frame.id));
    if (frame.blocked) {
      foldBlocked(li);
    }
    if (frame.mine) {
      li.classList.add("chat-mine");
    } else {
      // Moderation: any member can report a message (same link as the server-rendered list).
      var report = document.createElement("a");
      report.className = "report-link";
      report.href = "/report/chat_message/" + frame.id + "/";
      report.rel = "nofollow";
      report.textContent = "Report";
      li.appendChild(report);
    }
    var later = frame.returning ? laterThan(frame.id) : null;
    if (later) {
      log.insertBefore(li, later);
    } else {
      append(li, !!frame.mine);
    }
  }

  function laterThan(id) {
    var items = log.querySelectorAll("[data-id]");
    for (var i = 0; i < items.length; i++) {
      if (Number(items[i].getAttribute("data-id")) > id) {
        return items[i];
      }
    }
    return null;
  }

  function onHidden(frame) {
    seen.add(frame.id);
    var li = document.getElementById("m-" + frame.id);
    if (li) {
      li.remove();
    }
  }

  var presentNames = [];

  function byName(a, b) {
    return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  }

  // The full list arrives on connect ("members"); after that only what changed ("joined", "left").
  function onPresence(frame) {
    if (frame.members) {
      presentNames = frame.members.slice();
    } else {
      var left = frame.left || [];
      presentNames = presentNames.filter(function (name) {
        return left.indexOf(name) === -1;
      });
      (frame.joined || []).forEach(function (name) {
        if (presentNames.indexOf(name) === -1) {
          presentNames.push(name);
        }
      });
      presentNames.sort(byName);
    }
    var names = presentNames.join(", ");
    presenceEl.textContent =
      frame.count === 1 ? "1 member here: " + names : frame.count + " members here" + (names ? ": " + names : ".");
  }

  function onRoom(frame) {
    slowModeSeconds = frame.slow_mode_seconds || 0;
    var muted = frame.muted_until && new Date(frame.muted_until) > new Date();
    var locked = frame.locked && !frame.moderator;
    var blocked = frame.read_only || locked || muted;
    if (form) {
      form.hidden = !!(frame.read_only || locked);
      if (textarea) {
        textarea.disabled = !!blocked;
      }
      if (sendButton && !countdownTimer) {
        sendButton.disabled = !!blocked;
      }
    }
    if (frame.read_only) {
      showError(ERROR_TEXT.read_only);
    } else if (locked) {
      showError(ERROR_TEXT.locked);
    } else if (muted) {
      showError(ERROR_TEXT.muted);
    } else {
      showError("");
    }
  }

  function onError(frame) {
    var text = ERROR_TEXT[frame.code] || frame.message || "Something went wrong.";
    if (frame.code === "held_for_review") {
      // Moderation: stored, but shown to others only once a moderator approves it.
      if (frame.client_id && pending.has(frame.client_id)) {
        var held = pending.get(frame.client_id);
        pending.delete(frame.client_id);
        if (held.li) {
          held.li.classList.remove("chat-pending");
          held.li.classList.add("chat-held");
        }
      }
      showError(text);
      return;
    }
    if (frame.code === "unavailable" && !frame.permanent) {
      showError(text);
      return; // keep it pending: it is resent on the next connection
    }
    // Every other error is permanent: resending the same text cannot help, so the message
    // leaves the resend queue and goes back into the box for the member to change.
    if (frame.client_id && pending.has(frame.client_id)) {
      var entry = pending.get(frame.client_id);
      pending.delete(frame.client_id);
      if (entry.li) {
        entry.li.remove();
      }
      if (textarea && !textarea.value) {
        textarea.value = entry.body;
      }
    }
    showError(text);
    if (frame.retry_after) {
      startCountdown(frame.retry_after);
    }
  }

  // Moderation: the author's own message matched a crisis phrase. Only their sockets get this.
  function onCrisis(frame) {
    var panel = root.querySelector("[data-crisis-panel]");
    if (panel) {
      panel.remove();
    }
    panel = document.createElement("aside");
    panel.className = "crisis-panel";
    panel.setAttribute("data-crisis-panel", "");
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Help is here");
    var heading = document.createElement("h2");
    heading.textContent = "We're glad you wrote";
    panel.appendChild(heading);
    var intro = document.createElement("p");
    intro.textContent = "It sounds like things may be very hard right now. Your message is posted, " +
      "and you are not alone with this. If you might be in danger, please reach out now:";
    panel.appendChild(intro);
    var list = document.createElement("ul");
    (frame.resources || []).forEach(function (resource) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = resource.name + ": ";
      item.appendChild(name);
      item.appendChild(document.createTextNode(resource.contact + " (" + resource.detail + ")"));
      list.appendChild(item);
    });
    panel.appendChild(list);
    var more = document.createElement("p");
    var link = document.createElement("a");
    link.href = "/crisis/";
    link.textContent = "All crisis resources";
    more.appendChild(link);
    more.appendChild(document.createTextNode(". Only you can see this note."));
    panel.appendChild(more);
    root.insertBefore(panel, root.firstChild);
  }

  function startCountdown(seconds) {
    if (!sendButton || !seconds) {
      return;
    }
    var left = seconds;
    clearInterval(countdownTimer);
    sendButton.disabled = true;
    sendButton.textContent = "Send (" + left + ")";
    sendButton.setAttribute("aria-label", "Send, available in " + left + " seconds");
    countdownTimer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(countdownTimer);
        countdownTimer = null;
        sendButton.disabled = textarea ? textarea.disabled : false;
        sendButton.textContent = "Send";
        sendButton.removeAttribute("aria-label");
        return;
      }
      sendButton.textContent = "Send (" + left + ")";
    }, 1000);
  }

  function transmit(clientId, body) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", body: body, client_id: clientId }));
    }
  }

  function connect() {
    clearTimeout(reconnectTimer);
    setStatus(attempt ? "Reconnecting…" : "Connecting…", "connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + wsPath + (lastId ? "?after=" + lastId : "");
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      attempt = 0;
      setStatus("Live", "open");
      pending.forEach(function (entry, clientId) {
        transmit(clientId, entry.body);
      });
      clearInterval(pingTimer);
      pingTimer = setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send('{"type":"ping"}');
        }
      }, 25000);
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (frame.type === "message") {
        onMessage(frame);
      } else if (frame.type === "message_hidden") {
        onHidden(frame);
      } else if (frame.type === "presence") {
        onPresence(frame);
      } else if (frame.type === "room") {
        onRoom(frame);
      } else if (frame.type === "error") {
        onError(frame);
      } else if (frame.type === "crisis") {
        onCrisis(frame);
      }
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      if (FINAL_CLOSES[event.code]) {
        stopped = true;
        setStatus(FINAL_CLOSES[event.code], "closed");
        return;
      }
      if (stopped) {
        return;
      }
      attempt += 1;
      var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt - 1));
      var delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      setStatus("Connection lost. Reconnecting in " + Math.ceil(delay / 1000) + " s…", "waiting");
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) {
        showError("Write something before sending.");
        textarea.focus();
        return;
      }
      showError("");
      var clientId = newClientId();
      var li = buildItem("You (sending…)", "", body);
      li.classList.add("chat-pending", "chat-mine");
      append(li, true);
      pending.set(clientId, { body: body, li: li });
      textarea.value = "";
      transmit(clientId, body);
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        showError("You are offline. Your message will be sent when the connection is back.");
      }
      textarea.focus();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (!sendButton || !sendButton.disabled) {
          form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
        }
      }
    });
  }

  window.addEventListener("online", function () {
    if (!stopped && (!socket || socket.readyState === WebSocket.CLOSED)) {
      attempt = 0;
      connect();
    }
  });

  watchScrolling();
  scrollToNewest();
  connect();
})();
