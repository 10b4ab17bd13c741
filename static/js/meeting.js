// Meetings: local times, the schedule form's time zone, and the live meeting on a room page.
// Plain JavaScript, no inline code (CSP-clean); every member-written text is inserted as text.
(function () {
  "use strict";

  document.querySelectorAll("[data-local-time]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when)) {
      el.textContent = when.toLocaleString([], {
        weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      });
    }
  });
  document.querySelectorAll("[data-meeting-schedule] input[name=tz_offset]").forEach(function (el) {
    el.value = String(new Date().getTimezoneOffset());
  });

  var root = document.querySelector("[data-meeting]");
  if (!root || !window.WebSocket) return;
  // The plain forms for members without JavaScript give way to the live view.
  root.querySelectorAll("[data-meeting-nojs]").forEach(function (el) { el.hidden = true; });
  root.querySelectorAll("[data-meeting-hands]").forEach(function (el) { el.hidden = false; });
  function q(name) { return root.querySelector("[data-meeting-" + name + "]"); }
  var status = q("status"), phase = q("phase"), texts = q("texts"), sharer = q("sharer");
  var timer = q("timer"), queue = q("queue"), shares = q("shares"), error = q("error");
  var hand = q("hand"), thanks = q("thanks"), pass = q("pass"), form = q("form");
  var chair = q("chair"), lobby = q("lobby"), people = q("people");
  var body = form.querySelector("textarea");
  var roomChat = document.querySelector("[data-chat-form]");
  var state = null, socket = null, backoff = 500, seen = {}, endsAt = null, closed = false;

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }
  function setText(el, text) { el.textContent = text || ""; }
  function show(el, on) { el.hidden = !on; }

  function tick() {
    if (!endsAt) { setText(timer, ""); return; }
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    setText(timer, "Time left for this share: " + m + ":" + (s < 10 ? "0" : "") + s);
  }
  setInterval(tick, 1000);

  function personItem(person, buttons) {
    var li = document.createElement("li");
    li.appendChild(document.createTextNode(person.name + " "));
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b.label;
      button.setAttribute("aria-label", b.label + " " + person.name);
      button.addEventListener("click", function () { send(b.frame); });
      li.appendChild(button);
    });
    return li;
  }

  function render(s) {
    state = s;
    var me = s.me || {};
    setText(phase, s.phase_label);
    texts.replaceChildren.apply(texts, (s.texts || []).map(function (t) {
      var p = document.createElement("p"); p.textContent = t; return p;
    }));
    if (s.status === "ended") {
      setText(status, "The meeting has ended. Thank you for coming; its shares are gone.");
    } else if (me.status === "lobby") {
      setText(status, "You are in the lobby. The chair will let you in shortly.");
    } else {
      setText(status, "Chair: " + (s.chair || "none") + (s.cohost ? ", co-host: " + s.cohost : "") +
        (s.attendees ? ". " + s.attendees + " here" : "") + (s.locked ? ". Locked" : ""));
    }
    setText(sharer, s.sharer ? (me.sharing ? "You are sharing. Only you can write now." :
      s.sharer + " is sharing." + (s.thanks ? " Thank-yous: " + s.thanks : "")) : "");
    endsAt = s.share_ends_at ? Date.now() + (s.remaining_seconds || 0) * 1000 : null;
    tick();
    setText(queue, (s.queue && s.queue.length) ? s.queue.join(", ") : "none");
    var inside = me.status === "in" && s.status === "live";
    show(hand, inside && !me.sharing && !me.muted);
    hand.textContent = me.hand_raised ? "Lower my hand" : "Raise hand";
    hand.setAttribute("aria-pressed", me.hand_raised ? "true" : "false");
    show(thanks, inside && !!s.sharer && !me.sharing);
    show(pass, inside && me.sharing);
    show(form, !!me.can_write);
    show(chair, !!me.runs && s.status === "live");
    if (roomChat && s.status === "live") roomChat.hidden = true;
    if (me.runs) {
      lobby.replaceChildren.apply(lobby, (s.lobby || []).map(function (p) {
        return personItem(p, [{ label: "Admit", frame: { type: "admit", member_id: p.id } }]);
      }));
      people.replaceChildren.apply(people, (s.people || []).map(function (p) {
        return personItem(p, [
          { label: p.muted ? "Unmute" : "Mute", frame: { type: "mute", member_id: p.id, on: !p.muted } },
          { label: "Remove", frame: { type: "remove", member_id: p.id } },
        ]);
      }));
      chair.querySelectorAll("[data-meeting-toggle]").forEach(function (b) {
        var name = b.getAttribute("data-meeting-toggle");
        var on = { auto_advance: s.auto_advance, lobby: s.lobby_on, lock: s.locked }[name];
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
  }

  function addShare(f) {
    if (seen[f.id]) return;
    seen[f.id] = true;
    var li = document.createElement("li");
    li.className = "chat-message";
    li.setAttribute("data-share-id", String(f.id));
    var who = document.createElement("strong");
    who.textContent = f.author + (f.open_chat ? "" : " (sharing)") + ": ";
    var text = document.createElement("span");
    text.textContent = f.body;
    li.appendChild(who);
    li.appendChild(text);
    if (!f.mine) {
      var report = document.createElement("button");
      report.type = "button";
      report.className = "report-link";
      report.textContent = "Report";
      var whose = document.createElement("span");
      whose.className = "visually-hidden";
      whose.textContent = " this share by " + f.author;
      report.appendChild(whose);
      report.setAttribute("data-share-report", String(f.id));
      report.addEventListener("click", function () { send({ type: "report", share_id: f.id }); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(report);
    }
    shares.appendChild(li);
  }

  hand.addEventListener("click", function () {
    send({ type: state && state.me.hand_raised ? "lower_hand" : "raise_hand" });
  });
  thanks.addEventListener("click", function () { send({ type: "thanks" }); });
  pass.addEventListener("click", function () { send({ type: "pass" }); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = body.value.trim();
    if (!text) return;
    send({ type: "share", body: text });
    body.value = "";
  });
  body.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  chair.querySelectorAll("[data-meeting-do]").forEach(function (b) {
    b.addEventListener("click", function () {
      var kind = b.getAttribute("data-meeting-do");
      if (kind === "end" && !b.hasAttribute("data-confirming")) {
        // Two presses, no dialog: the first asks, the second ends the meeting.
        b.setAttribute("data-confirming", "");
        b.textContent = "Press again to end the meeting for everyone (its shares will be removed)";
        return;
      }
      send({ type: kind });
    });
  });
  chair.querySelectorAll("[data-meeting-toggle]").forEach(function (b) {
    b.addEventListener("click", function () {
      send({ type: b.getAttribute("data-meeting-toggle"), on: b.getAttribute("aria-pressed") !== "true" });
    });
  });

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws-path"));
    socket.addEventListener("open", function () { backoff = 500; });
    socket.addEventListener("message", function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "meeting") { show(error, false); render(frame); }
      else if (frame.type === "share") addShare(frame);
      else if (frame.type === "share_hidden") {
        var gone = shares.querySelector('[data-share-id="' + frame.id + '"]');
        if (gone) gone.remove();
      }
      else if (frame.type === "reported") {
        var done = shares.querySelector('[data-share-report="' + frame.share_id + '"]');
        if (done) { done.disabled = true; done.textContent = "Reported: a moderator will look"; }
      }
      else if (frame.type === "error") { setText(error, frame.message); show(error, true); }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 1000 || event.code >= 4000) {
        closed = true;
        if (event.code === 4403 && !(state && state.status === "ended")) {
          setText(status, "You are no longer in this meeting.");
        }
        return;
      }
      if (!closed) setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 8000);
    });
  }
  connect();
})();
