"""What makes the site installable and private by default: the web app manifest, the service
worker, the offline page, robots.txt and /favicon.ico."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from forum.caching import cache_for_visitors
from forum.permissions.posts import can_search_engines_index

# Static files the service worker keeps so that /crisis/ and the offline page look right offline.
OFFLINE_ASSETS = (
    "css/site.css",
    "favicon.svg",
    "icons/icon-192.png",
    "js/pwa.js",
)
# The only pages the service worker stores: public, the same for everyone, fetched without
# cookies so no member's page is ever kept.
OFFLINE_PAGES = ("/crisis/", "/offline/")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "Homegroup",
        "short_name": "Homegroup",
        "description": "Anonymous peer support for people working a 12-step program.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#1f5f8b",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [{"name": "Get help now", "url": "/crisis/"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(name) for name in OFFLINE_ASSETS]
    version = hashlib.sha256("\n".join([*assets, *OFFLINE_PAGES]).encode()).hexdigest()[:12]
    return render(
        request,
        "forum/app/sw.js",
        {"version": version, "assets": assets, "pages": OFFLINE_PAGES},
        content_type="application/javascript",
    )


@cache_for_visitors
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/app/offline.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    if can_search_engines_index(None):
        lines = [
            "User-agent: *",
            "Allow: /$",
            "Allow: /steps/",
            "Allow: /boards/",
            "Allow: /t/",
            "Disallow: /",
        ]
    else:
        lines = ["User-agent: *", "Disallow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.ico"))
