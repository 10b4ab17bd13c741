"""A whole-page cache for visitors who are not logged in.

Public pages look the same for every visitor, so the rendered HTML is kept in the cache (Redis in
production) under a content version. Any change to public content replaces the version, so a
visitor never sees a page older than the last change: a moderator's hide is never served stale.
Two places change the version, and together they cover every write:

- ``InvalidateVisitorPagesMiddleware``: every successful state-changing HTTP request;
- ``invalidate_visitor_pages_on_commit()``: the write actions for public content (topics, posts,
  reactions, moderation, account deletion), for writes that arrive another way.

Pages for members are never cached here: they show the member's own state.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from forum.fragments import templates_version

VERSION_KEY = "visitor-pages:version"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _ttl() -> int:
    return settings.HOMEGROUP.get("VISITOR_PAGE_CACHE_SECONDS", 60)


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(6), None)
        version = cache.get(VERSION_KEY, "")
    return version


def invalidate_visitor_pages() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(6), None)


def invalidate_visitor_pages_on_commit() -> None:
    transaction.on_commit(invalidate_visitor_pages)


def _is_plain_visitor(request: HttpRequest) -> bool:
    """No session and no pending messages: the page cannot hold anything personal."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cache_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_plain_visitor(request) or _ttl() <= 0:
            return view(request, *args, **kwargs)
        # A release that prints pages differently reads none of the pages cached before it.
        key = f"visitor-page:{templates_version()}:{content_version()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached, content_type="text/html; charset=utf-8")
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        cacheable = (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.has_header("Set-Cookie")
        )
        if cacheable:
            cache.set(key, response.content, _ttl())
        return response

    return wrapped


class InvalidateVisitorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and not getattr(request, "private_write", False)
        ):
            invalidate_visitor_pages()
        return response


def private_write(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views that change only the member's own private state (drafts, follows, bookmarks):
    visitors' pages cannot show it, so the cache stays (a draft is saved every few seconds)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.private_write = True
        return view(request, *args, **kwargs)

    return wrapped
