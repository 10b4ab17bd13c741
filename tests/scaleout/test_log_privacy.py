"""README's production commands, started exactly as written, log no client address, no recovery
address and no reset key.

A canary ``X-Forwarded-For`` goes to every process (through nginx and directly), a password reset
fails at a mail server that refuses the address, and a live reset link is posted without a CSRF
token; then every log of every process is read.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import re
import shlex
import shutil
import socketserver
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.processes import BIN, ROOT, free_port, server_env, shared_database_and_redis

CANARY = "198.51.100.23"
ADDRESS = "canary-owner@example.org"
RESET_KEY = "4-cz9-0b4f5e6a7d8c9e0f1a2b"

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not shared_database_and_redis(),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI's PostgreSQL + Redis pass)",
    ),
    pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed"),
    pytest.mark.django_db(transaction=True),
]


def documented_commands() -> list[str]:
    """The shell lines of README's production layout block, continuations joined."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("### The layout", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    commands = []
    for line in lines:
        line = line.split("  #", 1)[0].strip().removesuffix("&").strip()
        commands.extend(part.strip() for part in line.split("&&"))
    return [c for c in commands if c and not c.startswith("export")]


class RefusingSMTPHandler(socketserver.StreamRequestHandler):
    """A mail server that refuses every recipient, naming them, like a real one may."""

    def handle(self):
        self.wfile.write(b"220 refusing ESMTP\r\n")
        for raw in self.rfile:
            verb = raw[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 refusing\r\n")
            elif verb == b"RCPT":
                self.wfile.write(b"550 5.1.1 " + raw[8:].strip() + b" unknown\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def refusing_smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTPHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def documented_layout(procs, tmp_path, refusing_smtp):
    from tests.processes import collect_static

    static_root = tmp_path / "static"
    collect_static(static_root)
    run_dir = tmp_path / "nginx"
    ports = {old: str(free_port()) for old in ("8001", "8002", "8003", "8080")}
    env = server_env(
        STATIC_ROOT=str(static_root),
        TRUSTED_PROXY_COUNT="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(refusing_smtp),
        LOG_LEVEL="INFO",
    )
    started = []
    for command in documented_commands():
        for old, new in ports.items():
            command = re.sub(rf"\b{old}\b", new, command)
        command = command.replace("/var/lib/homegroup/nginx", str(run_dir))
        args = shlex.split(command.replace(".venv/bin/", f"{BIN}/"))
        if args[:2] == ["mkdir", "-p"]:
            Path(args[2]).mkdir(parents=True)
        elif "manage.py" in command:
            continue  # migrate and collectstatic: the test database and static_root are ready
        elif args[0].endswith("render_nginx.py") or args[1:2] == ["deploy/render_nginx.py"]:
            subprocess.run(args, cwd=ROOT, check=True, timeout=60)
        elif args[0] == "nginx":
            procs._start([*args, "-g", "daemon off;"], int(ports["8080"]))
            started.append("nginx")
        else:
            port = next(int(p) for p in ports.values() if p in args or f"127.0.0.1:{p}" in args)
            procs._start(args, port, env)
            started.append(Path(args[0]).name)
    assert started == ["gunicorn", "uvicorn", "uvicorn", "nginx"], started
    try:
        yield {"ports": ports, "run_dir": run_dir}
    except BaseException:
        print(procs.dump_logs())
        raise


def every_log(procs, run_dir: Path) -> str:
    logs = [path.read_text(errors="replace") for path in procs.logs]
    logs += [path.read_text(errors="replace") for path in run_dir.glob("*.log")]
    return "\n".join(logs)


def request(opener, url: str, data: dict | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": CANARY})
    try:
        return opener.open(req, timeout=15).status
    except urllib.error.HTTPError as error:
        return error.code


async def handshake(host: str, path: str) -> None:
    try:
        async with connect(
            f"ws://{host}{path}",
            additional_headers={"X-Forwarded-For": CANARY},
            origin=f"http://{host}",
            open_timeout=5,
        ) as ws:
            await asyncio.sleep(0.2)
            await ws.close()
    except InvalidStatus:
        pass


def test_the_documented_production_commands_log_no_client_address_no_email_and_no_reset_key(
    documented_layout, procs, member_factory
):
    member_factory(username="CanaryOwner", email=ADDRESS)
    ports, run_dir = documented_layout["ports"], documented_layout["run_dir"]
    site, pages = f"http://127.0.0.1:{ports['8080']}", f"http://127.0.0.1:{ports['8001']}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    for base in (site, pages):
        assert request(opener, f"{base}/") == 200
        request(opener, f"{base}/account/login/", {"login": "CanaryOwner", "password": "wrong"})
        request(opener, f"{base}/no-such-page/")
    page = opener.open(f"{site}/account/password/reset/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    reset_status = request(
        opener,
        f"{site}/account/password/reset/",
        {"email": ADDRESS, "csrfmiddlewaretoken": token},
    )
    fresh = urllib.request.build_opener()
    request(fresh, f"{site}/account/password/reset/key/{RESET_KEY}/", {"password1": "x"})
    for host in (
        f"127.0.0.1:{ports['8080']}",
        *(f"127.0.0.1:{ports[p]}" for p in ("8002", "8003")),
    ):
        for path in ("/ws/chat/open-room/", "/ws/notifications/"):
            asyncio.run(handshake(host, path))
    asyncio.run(asyncio.sleep(1))

    written = every_log(procs, run_dir)
    assert reset_status == 500  # the refusing mail server made Django log a traceback
    assert "Internal Server Error: /account/password/reset/" in written
    assert "SMTPRecipientsRefused" in written
    assert "Forbidden (CSRF cookie not set.): /account/password/reset/key/[key]/" in written
    assert "/ws/chat/open-room/" in written  # nginx's access log saw the handshakes
    assert CANARY not in written
    assert ADDRESS not in written and ADDRESS.split("@")[0] not in written
    assert RESET_KEY not in written and RESET_KEY[2:] not in written
