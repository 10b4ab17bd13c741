"""WebSocket test helpers: sockets opened through the real ASGI stack (origin check, session
auth, routing), like a browser's, and ways to read what the server sends."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from tests.processes import session_cookie


async def socket_for(member, path: str) -> WebsocketCommunicator:
    """A communicator for ``path`` as ``member`` (None: a visitor), not yet connected."""
    from config.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if member is not None:
        cookie = await database_sync_to_async(session_cookie)(member)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connect(member, path: str) -> WebsocketCommunicator:
    socket = await socket_for(member, path)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


async def frames_until(socket, kind: str, *, timeout: float = 3) -> list[dict]:
    """Every frame up to and including the first of type ``kind``."""
    frames = []
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        frames.append(frame)
        if frame.get("type") == kind:
            return frames


async def next_frame(socket, kind: str, *, timeout: float = 3) -> dict:
    return (await frames_until(socket, kind, timeout=timeout))[-1]


async def closed_with(socket, *, timeout: float = 3) -> int | None:
    """Wait for the server to close an open socket; the close code it sent."""
    while True:
        output = await socket.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


async def close_code(socket, *, timeout: float = 3) -> int | None:
    """Connect and wait for the server to close; the close code it sent."""
    connected, code = await socket.connect(timeout=timeout)
    if not connected:
        return code
    return await closed_with(socket, timeout=timeout)
