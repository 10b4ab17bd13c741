"""Homegroup's benchmark suite: `python -m bench.run` (see README, "Benchmarks").

Seeds a PostgreSQL database, starts production-like servers on loopback with Redis, measures
pages (WSGI and ASGI, against a bare-view ceiling) and chat fan-out, and writes
docs/benchmarks.json and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import ROOT, bench_env, manage, recreate_database
from bench.report import previous_of, render

DOCS = ROOT / "docs"


def machine() -> dict:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def read_previous(path: Path) -> dict | None:
    """The run this one replaces, so its figures print beside the new ones (a regression shows)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="peer", choices=["tiny", "peer", "large"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--servers", default="wsgi,asgi")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-chat", action="store_true")
    parser.add_argument("--chat-sizes", default="10,100,500")
    parser.add_argument("--chat-load-seconds", type=int, default=60)
    parser.add_argument("--reuse-data", action="store_true", help="keep the seeded database")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/homegroup_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--out", default=str(DOCS / "benchmarks.json"))
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="homegroup-bench-"))
    static_root = tmp / "static"
    env = bench_env(
        database_url=args.database_url, redis_url=args.redis_url, static_root=static_root
    )
    report: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "size": args.size,
        "settings": {"runs": args.runs, "seconds": args.seconds, "connections": args.connections},
    }
    if not args.reuse_data:
        print(f"seeding the {args.size} size into {args.database_url} ...", flush=True)
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        report["seed_output"] = manage(env, "seed_demo", "--size", args.size).strip()
        report["seed_seconds"] = round(time.monotonic() - started, 1)
        print(report["seed_output"], flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(env)

    import django

    django.setup()
    if not args.skip_pages:
        from bench.pages import bench_pages, count_queries, measure_server, member_cookie

        pages = bench_pages()
        cookie = member_cookie()
        report["pages"] = pages
        report["queries"] = count_queries(pages, cookie)
        print("queries per page:", report["queries"], flush=True)
        report["servers"] = {}
        for kind in args.servers.split(","):
            report["servers"][kind] = measure_server(
                kind,
                env,
                pages,
                cookie,
                runs=args.runs,
                seconds=args.seconds,
                connections=args.connections,
            )
    if not args.skip_chat:
        from bench.chat import measure_chat

        report["chat"] = measure_chat(
            env,
            sizes=[int(n) for n in args.chat_sizes.split(",")],
            load_seconds=args.chat_load_seconds,
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report["previous"] = previous_of(read_previous(out))
    out.write_text(json.dumps(report, indent=2) + "\n")
    markdown = out.with_suffix(".md")
    markdown.write_text(
        render(
            report,
            commands="make bench  # = .venv/bin/python -m bench.run "
            + " ".join(argv or sys.argv[1:]),
        )
    )
    print(f"wrote {out} and {markdown}", flush=True)
    return report


if __name__ == "__main__":
    main()
