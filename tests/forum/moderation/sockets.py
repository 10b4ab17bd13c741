"""WebSocket helpers: a connected communicator through the real ASGI stack, like a browser."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client


def session_cookie(member) -> str:
    client = Client()
    client.force_login(member)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def communicator(member, path: str) -> WebsocketCommunicator:
    from config.asgi import application

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if member is not None:
        cookie = await database_sync_to_async(session_cookie)(member)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connect(member, path: str) -> WebsocketCommunicator:
    socket = await communicator(member, path)
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


async def next_frame(socket, kind: str, *, timeout: float = 3) -> dict:
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame.get("type") == kind:
            return frame


async def closed_with(socket, *, timeout: float = 3) -> int:
    while True:
        output = await socket.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]
