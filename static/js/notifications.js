/* Live notifications: keeps the header's unread count current and shows a short toast.
 *
 * Connects to the socket named by [data-notifications-ws] and reconnects with backoff. On
 * every (re)connect the server sends the current count, so nothing is missed while offline;
 * the list itself always comes from /notifications/. Text is inserted as text, never as HTML.
 */
(function () {
  "use strict";

  var link = document.querySelector("[data-notifications-ws]");
  if (!link || !("WebSocket" in window)) {
    return;
  }
  var countEls = document.querySelectorAll("[data-unread-count]");
  var region = document.querySelector("[data-toast-region]");
  var path = link.getAttribute("data-notifications-ws");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + path;
  var delay = 1000;
  var maxDelay = 30000;
  var TOAST_MS = 8000;
  var MAX_TOASTS = 3;
  var socket = null;
  var timer = null;

  function setCount(n) {
    if (typeof n !== "number" || n < 0) {
      return;
    }
    countEls.forEach(function (el) {
      el.textContent = String(n);
    });
    link.classList.toggle("has-unread", n > 0);
  }

  function sameOriginPath(href) {
    if (typeof href !== "string" || href.charAt(0) !== "/" || href.charAt(1) === "/") {
      return null;
    }
    return href;
  }

  function toast(frame) {
    if (!region) {
      return;
    }
    var box = document.createElement("div");
    box.className = "toast";
    var text = document.createElement("p");
    text.textContent = frame.text || "You have a new notification.";
    box.appendChild(text);
    var target = sameOriginPath(frame.url);
    var actions = document.createElement("p");
    var open = document.createElement("a");
    open.href = target || "/notifications/";
    open.textContent = target ? "Open" : "See notifications";
    actions.appendChild(open);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link-button";
    close.textContent = "Dismiss";
    close.addEventListener("click", function () {
      box.remove();
    });
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(close);
    box.appendChild(actions);
    region.appendChild(box);
    while (region.children.length > MAX_TOASTS) {
      region.removeChild(region.firstElementChild);
    }
    window.setTimeout(function () {
      box.remove();
    }, TOAST_MS);
  }

  function onFrame(event) {
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame !== "object") {
      return;
    }
    if (frame.type === "count") {
      setCount(frame.unread);
    } else if (frame.type === "notification") {
      setCount(frame.unread);
      toast(frame);
    }
  }

  function schedule() {
    if (timer) {
      return;
    }
    var wait = delay + Math.floor(Math.random() * 500);
    delay = Math.min(delay * 2, maxDelay);
    timer = window.setTimeout(function () {
      timer = null;
      connect();
    }, wait);
  }

  function connect() {
    try {
      socket = new WebSocket(url);
    } catch (e) {
      schedule();
      return;
    }
    socket.addEventListener("open", function () {
      delay = 1000;
    });
    socket.addEventListener("message", onFrame);
    socket.addEventListener("close", function (event) {
      socket = null;
      // 4401: logged out; 4403: suspended or banned; 4429: the member's newer tabs took this
      // socket's place (too many open). Retrying would not help, or would close another tab.
      if (event.code === 4401 || event.code === 4403 || event.code === 4429) {
        return;
      }
      schedule();
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !socket && timer) {
      window.clearTimeout(timer);
      timer = null;
      delay = 1000;
      connect();
    }
  });

  connect();
})();
