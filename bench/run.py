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
SECTIONS = ("pages", "chat", "meeting")


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
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, of {', '.join(SECTIONS)} (default: all); "
        "a run of one section writes docs/benchmarks-<section>.json unless --out is given",
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-chat", action="store_true")
    parser.add_argument("--chat-sizes", default="10,100,500")
    parser.add_argument("--chat-layers", default="core,pubsub")
    parser.add_argument("--chat-load-seconds", type=int, default=60)
    parser.add_argument("--meeting-attendees", type=int, default=500)
    parser.add_argument("--meeting-shares", type=int, default=30)
    parser.add_argument("--meeting-hands", type=int, default=100)
    parser.add_argument("--reuse-data", action="store_true", help="keep the seeded database")
    # Another engineer's bench on the same machine must not drop this one's database: set
    # BENCH_DATABASE_URL / BENCH_REDIS_URL (or the flags) to names of your own.
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/homegroup_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    )
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    args.sections = [s for s in args.only.split(",") if s]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {SECTIONS}")
    if args.skip_pages and "pages" in args.sections:
        args.sections.remove("pages")
    if args.skip_chat and "chat" in args.sections:
        args.sections.remove("chat")
    if args.out is None:
        alone = len(args.sections) == 1 and args.sections != list(SECTIONS)
        args.out = str(
            DOCS / (f"benchmarks-{args.sections[0]}.json" if alone else "benchmarks.json")
        )
    return args


def previous_for(out: Path) -> dict | None:
    """The figures to print beside this run's: the run ``out`` held, and for the sections it
    did not measure, the full run in docs/benchmarks.json."""
    main_run = previous_of(read_previous(DOCS / "benchmarks.json")) or {}
    this_file = previous_of(read_previous(out)) or {}
    merged = {**main_run, **this_file}
    return merged or None


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
        print(f"preparing {args.database_url} ...", flush=True)
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
    if not args.reuse_data and "pages" in args.sections:
        print(f"seeding the {args.size} size ...", flush=True)
        started = time.monotonic()
        report["seed_output"] = manage(env, "seed_demo", "--size", args.size).strip()
        report["seed_seconds"] = round(time.monotonic() - started, 1)
        print(report["seed_output"], flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(env)

    import django

    django.setup()
    if "pages" in args.sections:
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
    if "chat" in args.sections:
        from bench.chat import measure_chat

        report["chat"] = measure_chat(
            env,
            sizes=[int(n) for n in args.chat_sizes.split(",")],
            load_seconds=args.chat_load_seconds,
            layers=tuple(args.chat_layers.split(",")),
        )
    if "meeting" in args.sections:
        from bench.meeting import measure_meeting

        print("meeting over two ASGI processes", flush=True)
        report["meeting"] = measure_meeting(
            {**env, "CHAT_RATE_LIMIT": "1000000"},
            attendees=args.meeting_attendees,
            shares=args.meeting_shares,
            hands=args.meeting_hands,
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report["previous"] = previous_for(out)
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
