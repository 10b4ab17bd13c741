"""Real server processes on loopback, and a real reconnecting chat client, for tests and benches.

Used by the across-processes chat and notification tests, the production-layout (nginx) test,
the browser tests and the benchmark suite. Every process started is stopped by ``stop_all``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(
    port: int, process: subprocess.Popen | None = None, *, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.3):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


def test_database_url() -> str:
    """The URL of the database pytest-django created, for processes that must share it."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("server processes can share only a PostgreSQL test database")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def session_cookie(member) -> str:
    """A live session cookie value for ``member`` in the shared database."""
    from django.test import Client

    client = Client()
    client.force_login(member)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def assert_each_acknowledged_message_arrived_once(
    people: list[ChatClient], acked: set[int]
) -> None:
    """Every client holds every acknowledged message exactly once; an author may also get the
    original back once for each resend of it (that is what makes resends idempotent)."""
    for person in people:
        own = {message_id: client_id for client_id, message_id in person.acked.items()}
        for message_id in acked:
            count = person.message_frames[message_id]
            if message_id in own:
                assert 1 <= count <= 1 + person.resends[own[message_id]], (person.name, count)
            else:
                assert count == 1, (person.name, message_id, count)


def presence_after(shown: dict | None, frame: dict) -> dict:
    """What a browser shows after a presence frame: the full list on connect, then diffs."""
    if "members" in frame:
        return frame
    names = set((shown or {}).get("members", [])) - set(frame["left"]) | set(frame["joined"])
    return {"type": "presence", "count": frame["count"], "members": sorted(names, key=str.casefold)}


def shared_database_and_redis() -> bool:
    """Server processes share the test database and Redis: CI's PostgreSQL + Redis pass."""
    return bool(os.environ.get("REDIS_URL")) and os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    )


# Production settings served on loopback, which has no TLS.
LOOPBACK_PRODUCTION = {
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "PYTHONUNBUFFERED": "1",
}


def server_env(
    *, settings_module: str = "config.settings.production", **overrides: str
) -> dict[str, str]:
    """Environment for a server sharing the test database and Redis; TLS off (loopback has none)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        # The test process's key, so sessions it makes (force_login) are valid on the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "WORKBOOK_KEYS": ",".join(settings.WORKBOOK_KEYS),
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DB_CONN_MAX_AGE": "0",
        **LOOPBACK_PRODUCTION,
    }
    env.update(overrides)
    return env


def collect_static(static_root: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(STATIC_ROOT=str(static_root)),
        check=True,
        timeout=300,
    )


class Processes:
    """Starts processes and always stops them (the fixture calls ``stop_all`` in a finalizer)."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.running: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def _start(self, args: list[str], port: int, env: dict | None = None) -> subprocess.Popen:
        log_path = self.log_dir / f"{Path(args[0]).name}-{port}.log"
        self.logs.append(log_path)
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.running.append(process)
        wait_for_port(port, process)
        return process

    def daphne(self, *, redis_url: str, **extra_env: str) -> tuple[str, subprocess.Popen]:
        """An ASGI process on the test settings, sharing the test database and ``redis_url``."""
        port = free_port()
        env = server_env(
            settings_module="config.settings.test",
            REDIS_URL=redis_url,
            CHAT_HEARTBEAT_SECONDS="1",
            CHAT_PRESENCE_TTL="4",
            **extra_env,
        )
        args = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
        return f"127.0.0.1:{port}", self._start(args, port, env)

    def production(
        self, kind: str, *, env: dict[str, str], workers: int = 1, port: int | None = None
    ) -> tuple[int, subprocess.Popen]:
        """A production server process: ``daphne``, ``uvicorn`` (ASGI) or ``gunicorn`` (WSGI).

        ``port`` restarts a server where it ran before (clients reconnect to the same address).
        """
        port = port or free_port()
        commands = {
            "daphne": [
                str(BIN / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "config.asgi:application",
            ],
            "uvicorn": [
                str(BIN / "uvicorn"),
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-access-log",
                "--ws-per-message-deflate",
                "false",
            ],
            "gunicorn": [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
            ],
        }
        return port, self._start(commands[kind], port, env)

    def nginx(self, config_path: Path, port: int) -> subprocess.Popen:
        args = ["nginx", "-c", str(config_path), "-p", str(config_path.parent), "-g", "daemon off;"]
        return self._start(args, port)

    def redis(
        self, port: int | None = None, *, data_dir: Path | None = None
    ) -> tuple[int, subprocess.Popen]:
        """A private redis-server; with ``data_dir`` it keeps its data across a restart."""
        port = port or free_port()
        args = [
            "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--save", "",
        ]  # fmt: skip
        if data_dir is None:
            args += ["--appendonly", "no"]
        else:
            args += ["--dir", str(data_dir), "--appendonly", "yes", "--appendfsync", "always"]
        return port, self._start(args, port)

    def kill(self, process: subprocess.Popen) -> None:
        """Die without any cleanup, like a crashed process."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running:
            stop(process)

    def dump_logs(self) -> str:
        return "\n".join(f"== {p}\n{p.read_text(errors='replace')[-4000:]}" for p in self.logs)


class ChatClient:
    """A chat client like static/js/chat.js: resumes with ?after=, resends unacknowledged
    messages with their client_id, de-duplicates by id, and counts every frame it gets."""

    def __init__(self, name: str, host: str, slug: str, cookie: str):
        self.name = name
        self.host = host
        self.slug = slug
        self.cookie = cookie
        self.frames: list[dict] = []
        self.message_frames: Counter[int] = Counter()
        self.resends: Counter[str] = Counter()
        self.last_id = 0
        self.pending: dict[str, str] = {}
        self.acked: dict[str, int] = {}
        self.presence: dict | None = None
        self.closed_code: int | None = None
        self.connections = 0
        self.ws = None
        self.task: asyncio.Task | None = None
        self.changed = asyncio.Event()
        self.stopping = False
        self.keep_reconnecting = True

    def url(self) -> str:
        query = f"?after={self.last_id}" if self.last_id else ""
        return f"ws://{self.host}/ws/chat/{self.slug}/{query}"

    async def open_once(self):
        self.ws = await connect(
            self.url(),
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}"},
            origin=f"http://{self.host}",
            open_timeout=5,
            close_timeout=2,
        )
        self.connections += 1
        for client_id, body in list(self.pending.items()):
            if client_id in self.acked:
                continue
            self.resends[client_id] += 1
            await self.ws.send(
                json.dumps({"type": "message", "body": body, "client_id": client_id})
            )

    async def run(self) -> None:
        backoff = 0.2
        while not self.stopping:
            try:
                await self.open_once()
                backoff = 0.2
                async for raw in self.ws:
                    self._on_frame(json.loads(raw))
                code = self.ws.close_code
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
            except (OSError, InvalidHandshake, InvalidStatus, TimeoutError):
                code = None
            self.ws = None
            self.closed_code = code
            self.changed.set()
            if self.stopping or not self.keep_reconnecting or (code and code >= 4000):
                return
            await asyncio.sleep(backoff * (0.5 + 0.5 * (uuid.uuid4().int % 100) / 100))
            backoff = min(backoff * 2, 2.0)

    def _on_frame(self, frame: dict) -> None:
        self.frames.append(frame)
        kind = frame.get("type")
        if kind == "message":
            self.message_frames[frame["id"]] += 1
            self.last_id = max(self.last_id, frame["id"])
            client_id = frame.get("client_id")
            if client_id and client_id in self.pending:
                self.acked[client_id] = frame["id"]
                del self.pending[client_id]
        elif kind == "presence":
            self.presence = presence_after(self.presence, frame)
        self.changed.set()

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def send(self, body: str, client_id: str | None = None) -> str:
        client_id = client_id or uuid.uuid4().hex
        self.pending[client_id] = body
        if self.ws is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.ws.send(
                    json.dumps({"type": "message", "body": body, "client_id": client_id})
                )
        return client_id

    async def send_raw(self, frame: dict) -> None:
        await self.ws.send(json.dumps(frame))

    async def wait_for(self, predicate, *, timeout: float = 15, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{self.name}: timed out waiting for {what or predicate}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))

    def frames_of(self, kind: str) -> list[dict]:
        return [f for f in self.frames if f.get("type") == kind]

    def bodies(self) -> list[str]:
        seen, out = set(), []
        for frame in self.frames_of("message"):
            if frame["id"] not in seen:
                seen.add(frame["id"])
                out.append(frame["body"])
        return out

    async def close(self) -> None:
        self.stopping = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
