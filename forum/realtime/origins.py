"""Which pages may open the site's WebSockets: the socket's own origin, or a trusted one.

A browser sends the page's origin with every WebSocket handshake, and a socket carries the
member's session cookie whatever page opened it, so the origin is the only defence against
another site (or another port on the same host) talking to the chat as the member. An origin is
compared whole — scheme, host and port (the scheme's default port when none is written):

- the socket's own origin: ``http(s)://`` + the Host header, whose host is in ``ALLOWED_HOSTS``
  (``ws`` goes with ``http``, ``wss`` with ``https``);
- or one of ``CSRF_TRUSTED_ORIGINS`` (``https://forum.example``, ``https://*.example.org``),
  the origins an operator already trusts for forms, e.g. when TLS ends before the ASGI server.

Anything else, or no origin at all, is refused before the handshake completes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import is_same_domain, split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}
PAGE_SCHEME = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def _origin_tuple(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin such as ``https://forum.example:8443``."""
    try:
        parts = urlsplit(value.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def own_origin(scope) -> tuple[str, str, int] | None:
    """The origin of the site as this socket was reached, if its Host is an allowed host."""
    scheme = PAGE_SCHEME.get(scope.get("scheme", "ws"))
    host = _header(scope, b"host")
    if scheme is None or not host:
        return None
    domain, port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    try:
        number = int(port) if port else DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return scheme, domain.strip("[]"), number


def _matches_trusted(origin: tuple[str, str, int], pattern: str) -> bool:
    wildcard = "://*." in pattern
    trusted = _origin_tuple(pattern.replace("://*.", "://", 1) if wildcard else pattern)
    if trusted is None:
        return False
    scheme, host, port = trusted
    if (origin[0], origin[2]) != (scheme, port):
        return False
    return is_same_domain(origin[1], f".{host}") if wildcard else origin[1] == host


def origin_allowed(scope) -> bool:
    header = _header(scope, b"origin")
    origin = _origin_tuple(header) if header else None
    if origin is None:
        return False
    if origin == own_origin(scope):
        return True
    return any(_matches_trusted(origin, pattern) for pattern in settings.CSRF_TRUSTED_ORIGINS)


class OriginValidator:
    """ASGI middleware: hand the socket on when ``origin_allowed``, else deny the handshake."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("OriginValidator is for WebSocket connections only")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
