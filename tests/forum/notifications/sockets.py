"""Open a socket through the real ASGI app (origin check, session auth, routing), like a browser."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client


def session_cookie(member) -> str:
    client = Client()
    client.force_login(member)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def socket_for(member, path: str) -> WebsocketCommunicator:
    from config.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if member is not None:
        cookie = await database_sync_to_async(session_cookie)(member)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def close_code(communicator, *, timeout: float = 3) -> int | None:
    """Connect and wait for the server to close; the close code it sent."""
    connected, code = await communicator.connect(timeout=timeout)
    if not connected:
        return code
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")
