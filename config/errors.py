"""Django's error pages, each run on a database connection checked first.

Under ASGI, Django renders the response for an exception (a 404 raised by the resolver or a
view, a 403, a 400) with ``sync_to_async(thread_sensitive=False)``: in a worker thread of its
own, whose database connection the per-request ``close_old_connections`` never sees. Our error
pages extend ``base.html``, whose header reads the member and their notifications, so after
PostgreSQL reset its connections that thread kept a dead connection and every member's 404
became a 500 until the process restarted. Checking the connections around the page, as Django
does around every request, lets it reconnect.

A connection inside a transaction is left alone: that is a test's transaction (the test client
runs views inside it), never a worker thread's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.db import connections
from django.http import HttpResponse
from django.views import defaults


def check_connections() -> None:
    """``close_old_connections`` for connections outside a transaction: drop the dead or old."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def with_checked_connections(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request, *args, **kwargs) -> HttpResponse:
        check_connections()
        try:
            return view(request, *args, **kwargs)
        finally:
            check_connections()

    return wrapped


bad_request = with_checked_connections(defaults.bad_request)
permission_denied = with_checked_connections(defaults.permission_denied)
page_not_found = with_checked_connections(defaults.page_not_found)
