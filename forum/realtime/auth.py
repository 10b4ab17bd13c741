"""Who opened a socket: the member behind the session cookie, read once.

Channels' ``AuthMiddlewareStack`` keeps, for the whole life of every socket, a session object,
a lazy user, a parsed cookie dict and a wrapper around ``send`` that asks the session on each
frame whether it was modified. A socket never writes its session, so this middleware reads the
member once (channels' own ``get_user``: backend, session hash check, flush on mismatch) and
puts only ``scope["user"]`` in the scope. With a thousand idle sockets in one process that is
memory the server does not hold (issue 16).
"""

from __future__ import annotations

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie


def _session_key(scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return parse_cookie(value.decode("latin1")).get(settings.SESSION_COOKIE_NAME)
    return None


class SessionMemberMiddleware:
    """Sets ``scope["user"]`` (a member, or ``AnonymousUser``) from the session cookie."""

    def __init__(self, inner) -> None:
        self.inner = inner

    async def __call__(self, scope, receive, send):
        session = import_module(settings.SESSION_ENGINE).SessionStore(_session_key(scope))
        user = await get_user({"session": session})  # reads the session in a worker thread
        return await self.inner(dict(scope, user=user), receive, send)
