"""Chat fan-out across two ASGI processes sharing Redis: latency, load, loss and memory.

All clients run in this process on one event loop, so figures include the client side too.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.processes import Processes

ROOM_SLUG = "bench-fanout"


@contextmanager
def asgi_process(env: dict[str, str]):
    """One uvicorn process; yields (port, process)."""
    processes = Processes(Path(tempfile.mkdtemp(prefix="homegroup-bench-")))
    try:
        yield processes.production("uvicorn", env=env)
    finally:
        processes.stop_all()


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages, printed beside each section: a figure measured
    while the machine was busy shows as such."""
    try:
        return [round(float(v), 2) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return []


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(latencies: list[float], *, prefix: str = "") -> dict:
    """p50 and p99 in ms (None when nothing arrived)."""
    return {
        f"{prefix}p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        f"{prefix}p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
    }


class Tally:
    """Counts the members a body reached, so a round waits on an event instead of polling
    every client (500 clients polled every half millisecond starved the clients' own reads)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.waiting: dict[str, tuple[int, asyncio.Event]] = {}

    def arrived(self, body: str) -> None:
        count = self.counts[body] = self.counts.get(body, 0) + 1
        due = self.waiting.get(body)
        if due is not None and count >= due[0]:
            due[1].set()

    async def wait(self, body: str, members: int, *, timeout: float) -> None:
        event = asyncio.Event()
        self.waiting[body] = (members, event)
        if self.counts.get(body, 0) >= members:
            event.set()
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            del self.waiting[body]


TALLY = Tally()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def prepare_members(count: int, prefix: str = "BenchChat") -> list[str]:
    """Members with live sessions in the shared database; returns their session keys."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from forum.models import Room

    Room.objects.get_or_create(
        slug=ROOM_SLUG, defaults={"title": "Bench fan-out", "description": "benchmark room"}
    )
    User = get_user_model()
    names = [f"{prefix}{i:04d}" for i in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=n, password="!unusable", current_step=3) for n in names if n not in existing]  # noqa: S106
    )
    keys = []
    for member in User.objects.filter(username__in=names).order_by("username"):
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


class BenchSocket:
    """One member's socket in a benchmark: records when each body of ``ARRIVAL`` frames first
    arrives; subclasses read the other frames they care about in ``on_frame``."""

    ARRIVAL = "message"
    OPEN_TIMEOUT = 60

    def __init__(self, url: str, session_key: str, origin: str) -> None:
        self.url, self.session_key, self.origin = url, session_key, origin
        self.arrivals: dict[str, float] = {}
        self.socket = None
        self.reader: asyncio.Task | None = None

    async def connect(self) -> None:
        import websockets

        self.socket = await websockets.connect(
            self.url,
            additional_headers={"Cookie": f"sessionid={self.session_key}", "Origin": self.origin},
            max_queue=None,
            open_timeout=self.OPEN_TIMEOUT,
            # No client keepalive: on a busy machine a late pong closed a socket and ended the
            # whole run; a lost socket would show as incomplete messages anyway.
            ping_interval=None,
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.socket:
            frame = json.loads(raw)
            if frame.get("type") == self.ARRIVAL:
                if frame["body"] not in self.arrivals:
                    self.arrivals[frame["body"]] = time.perf_counter()
                    TALLY.arrived(frame["body"])
            else:
                self.on_frame(frame)

    def on_frame(self, frame: dict) -> None:
        """Any other frame."""

    async def close(self) -> None:
        if self.reader:
            self.reader.cancel()
        if self.socket:
            await self.socket.close()


class Client(BenchSocket):
    """One member's chat socket: message arrivals and the room's presence count."""

    def __init__(self, url: str, session_key: str, origin: str) -> None:
        super().__init__(url, session_key, origin)
        self.present = 0

    def on_frame(self, frame: dict) -> None:
        if frame.get("type") == "presence":
            self.present = frame.get("count", self.present)

    async def send(self, body: str) -> None:
        await self.socket.send(
            json.dumps({"type": "message", "body": body, "client_id": uuid.uuid4().hex})
        )


async def _connect_all(ports: list[int], keys: list[str], timing: dict | None = None):
    """Open every socket, 50 at a time, alternating processes; ``timing["join_s"]`` is how long
    until the last was open, ``timing["settled_s"]`` until every member was told of them all."""
    clients = [
        Client(
            f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/chat/{ROOM_SLUG}/",
            key,
            f"http://127.0.0.1:{ports[i % len(ports)]}",
        )
        for i, key in enumerate(keys)
    ]
    started = time.perf_counter()
    for start in range(0, len(clients), 50):
        await asyncio.gather(*(c.connect() for c in clients[start : start + 50]))
    joined = time.perf_counter() - started
    deadline = time.perf_counter() + 30 + len(clients) / 20
    while time.perf_counter() < deadline and any(c.present < len(clients) for c in clients):
        await asyncio.sleep(0.05)
    if timing is not None:
        timing["join_s"] = round(joined, 2)
        timing["settled_s"] = round(time.perf_counter() - started, 2)
    await asyncio.sleep(1.0)
    return clients


async def _one_in_flight(clients: list[Client], messages: int) -> dict:
    latencies = []
    for i in range(messages):
        body = f"fanout {uuid.uuid4().hex}"
        sender = clients[i % len(clients)]
        sent = time.perf_counter()
        await sender.send(body)
        await TALLY.wait(body, len(clients), timeout=10)
        arrived = [c.arrivals[body] for c in clients if body in c.arrivals]
        if len(arrived) == len(clients):
            latencies.append((max(arrived) - sent) * 1000)
        await asyncio.sleep(0.05)
    return {
        "messages": messages,
        "complete": len(latencies),
        **summary(latencies, prefix="last_member_"),
    }


async def _load(
    clients: list[Client], *, senders: int, seconds: int, rate_per_sender: float
) -> dict:
    sent_at: dict[str, float] = {}
    sent_by: dict[str, Client] = {}

    async def sender_loop(client: Client) -> None:
        interval = 1.0 / rate_per_sender
        next_at = time.perf_counter()
        end = next_at + seconds
        while next_at < end:
            body = f"load {uuid.uuid4().hex}"
            sent_at[body], sent_by[body] = time.perf_counter(), client
            await client.send(body)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    started = time.perf_counter()
    await asyncio.gather(*(sender_loop(c) for c in clients[:senders]))
    await asyncio.sleep(5)
    acknowledged = [body for body, sender in sent_by.items() if body in sender.arrivals]
    deliveries, latencies = 0, []
    for client in clients:
        for body, at in sent_at.items():
            arrived = client.arrivals.get(body)
            if arrived is not None:
                deliveries += 1
                latencies.append((arrived - at) * 1000)
    # Every message sent should reach every member, the sender included (its echo): lost is
    # what was due and did not arrive within the grace period, acknowledged or not.
    expected = len(sent_at) * len(clients)
    return {
        "senders": senders,
        "members": len(clients),
        "seconds": seconds,
        "messages_sent": len(sent_at),
        "messages_acknowledged": len(acknowledged),
        "deliveries": deliveries,
        "deliveries_per_s": round(deliveries / seconds, 1),
        **summary(latencies),
        "deliveries_expected": expected,
        "messages_lost": expected - deliveries,
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


async def _close_all(clients: list[Client]) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


def measure_layer(env: dict[str, str], *, sizes: list[int], load_seconds: int, log=print) -> dict:
    results: dict = {"fanout": {}, "load": None, "load_before": load_average()}
    keys = prepare_members(max([*sizes, 100]))
    with ExitStack() as stack:
        ports = [stack.enter_context(asgi_process(env))[0] for _ in range(2)]
        for n in sizes:
            figures = asyncio.run(_fanout_round(ports, keys[:n]))
            results["fanout"][str(n)] = figures
            log(f"  fan-out N={n}: {figures}")
        results["load"] = asyncio.run(_load_round(ports, keys[:100], load_seconds))
        log(f"  load: {results['load']}")
    results["load_after"] = load_average()
    return results


async def _fanout_round(ports, keys) -> dict:
    timing: dict = {}
    clients = await _connect_all(ports, keys, timing)
    try:
        return {**await _one_in_flight(clients, messages=30), **timing}
    finally:
        await _close_all(clients)


async def _load_round(ports, keys, seconds) -> dict:
    clients = await _connect_all(ports, keys)
    try:
        return await _load(clients, senders=10, seconds=seconds, rate_per_sender=1.0)
    finally:
        await _close_all(clients)


def measure_idle_memory(env: dict[str, str], *, sockets: int = 1000, log=print) -> dict:
    keys = prepare_members(sockets, prefix="BenchIdle")
    load_before = load_average()
    with asgi_process(env) as (port, process):
        time.sleep(2)
        before = rss_kib(process.pid)

        async def hold() -> int:
            clients = await _connect_all([port], keys)
            await asyncio.sleep(5)
            after = rss_kib(process.pid)
            await _close_all(clients)
            return after

        after = asyncio.run(hold())
    result = {
        "sockets": sockets,
        "load_before": load_before,
        "rss_before_mib": round(before / 1024, 1),
        "rss_after_mib": round(after / 1024, 1),
        "mib_per_1000_sockets": round((after - before) / 1024 * 1000 / sockets, 1),
    }
    log(f"  idle memory: {result}")
    return result


def measure_chat(
    env: dict[str, str],
    *,
    sizes: list[int],
    load_seconds: int,
    layers: tuple[str, ...] = ("core", "pubsub"),
    log=print,
) -> dict:
    report = {}
    for layer in layers:
        log(f"chat with the {layer} channel layer")
        # The per-member rate limit is not what is measured here: senders run at 1 msg/s, which
        # brushes the default 5 per 5 s at window edges.
        report[layer] = measure_layer(
            {**env, "CHANNEL_LAYER": layer, "CHAT_RATE_LIMIT": "1000000"},
            sizes=sizes,
            load_seconds=load_seconds,
            log=log,
        )
    report["idle_memory"] = measure_idle_memory(env, log=log)
    return report
