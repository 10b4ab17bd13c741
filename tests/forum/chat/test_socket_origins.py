"""Which pages may open a socket: scheme, host and port all count (issue 11, item 14)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from tests.processes import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


async def handshake(member, *, origin: str | None, host: str = "127.0.0.1", scheme="ws"):
    """Open /ws/notifications/ through the real ASGI stack; whether the server accepted it."""
    from config.asgi import application

    cookie = await database_sync_to_async(session_cookie)(member)
    headers = [
        (b"host", host.encode()),
        (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    socket = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    socket.scope["scheme"] = scheme
    connected, _ = await socket.connect(timeout=5)
    await socket.disconnect()
    return connected


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "accepted"),
    [
        ("http://127.0.0.1", "127.0.0.1", "ws", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("https://localhost", "localhost", "wss", True),
        ("https://localhost:443", "localhost", "wss", True),
        # Another port on the same host is another origin (another program, another site).
        ("http://127.0.0.1:8001", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1:8001", "127.0.0.1", "ws", False),
        ("http://localhost:9999", "localhost", "ws", False),
        # The scheme counts too: a plain-http page may not use the site's secure socket.
        ("http://localhost", "localhost", "wss", False),
        ("https://localhost", "localhost", "ws", False),
        # A host the site does not serve, however it is dressed.
        ("http://evil.example", "127.0.0.1", "ws", False),
        ("http://127.0.0.1.evil.example", "127.0.0.1", "ws", False),
        ("http://evil.example:8000", "evil.example:8000", "ws", False),
        ("null", "127.0.0.1", "ws", False),
        (None, "127.0.0.1", "ws", False),
    ],
)
async def test_only_the_sites_own_origin_may_open_a_socket(member, origin, host, scheme, accepted):
    assert await handshake(member, origin=origin, host=host, scheme=scheme) is accepted


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("https://forum.example", True),
        ("https://forum.example:443", True),
        ("https://forum.example:8443", False),
        ("http://forum.example", False),
        ("https://chat.example.org", True),
        ("https://chat.example.org:444", False),
        ("https://example.org.evil.example", False),
    ],
)
async def test_trusted_origins_are_compared_with_their_port(member, settings, origin, accepted):
    """Behind a proxy that ends TLS, the socket may not see its own scheme: the operator's
    CSRF_TRUSTED_ORIGINS then name the site's origin, port included."""
    settings.CSRF_TRUSTED_ORIGINS = ["https://forum.example", "https://*.example.org"]

    assert await handshake(member, origin=origin, host="127.0.0.1:8002") is accepted
