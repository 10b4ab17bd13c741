/* Homegroup service worker (version {{ version }}).
 *
 * Keeps exactly two pages for use without a connection, /crisis/ and the offline page, fetched
 * without cookies so they are the visitor's copy, plus the static files they need. It never
 * stores a member's page or anything private: other pages go to the network untouched, and a
 * page that cannot load offline shows the offline page instead.
 */
"use strict";

var CACHE = "homegroup-{{ version }}";
var PAGES = [{% for page in pages %}"{{ page|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var ASSETS = [{% for asset in assets %}"{{ asset|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

function storePage(cache, path) {
  return fetch(path, { credentials: "omit", cache: "no-store" }).then(function (response) {
    if (!response.ok) {
      throw new Error(path + " answered " + response.status);
    }
    return cache.put(path, response);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(PAGES.map(function (path) { return storePage(cache, path); }).concat([cache.addAll(ASSETS)]));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (PAGES.indexOf(url.pathname) !== -1 && !url.search) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(url.pathname);
    }));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match("/offline/");
    }));
  }
});
