/* Homegroup: one timestamp format, in the reader's own time zone.
 *
 * The server renders <time class="local-time" datetime="..."> as "1 Dec, 14:05" in UTC; this
 * rewrites each in the browser's time zone with the same pattern, and chat.js formats live
 * messages through window.HomegroupTime.format, so every timestamp on the page reads alike.
 */
(function () {
  "use strict";

  var formatter = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23"
  });

  function format(iso) {
    var date = new Date(iso);
    return isNaN(date.getTime()) ? "" : formatter.format(date);
  }

  function localise(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("time.local-time[datetime]"), function (el) {
      var text = format(el.getAttribute("datetime"));
      if (text) {
        el.textContent = text;
      }
    });
  }

  window.HomegroupTime = { format: format, localise: localise };
  localise(document);
})();
