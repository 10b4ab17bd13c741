"""In-process cost of each member page: CPU milliseconds a render takes, and where they go.

Less noisy than wrk on a shared machine: no network, no server processes, and the clock is the
process's CPU time (``time.process_time``), which other processes' load barely moves. Waiting
for PostgreSQL and Redis is not counted (their own CPU is not either).
Runs against an already seeded database (``python -m bench.run --reuse-data`` leaves one):

    .venv/bin/python -m bench.profile_pages \\
        --database-url postgres://postgres@127.0.0.1:5432/homegroup_bench [--profile topic_first]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path

from bench.environment import bench_env, manage


def parse_args(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/homegroup_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--profile", default="", help="a page name to profile with cProfile")
    parser.add_argument("--top", type=int, default=40)
    return parser.parse_args(argv)


def timed_renders(client, path: str, renders: int) -> float:
    """The fewest CPU milliseconds one render took (the least disturbed by other load)."""
    client.get(path)
    samples = []
    for _ in range(renders):
        started = time.process_time()
        response = client.get(path)
        samples.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return min(samples)


def main(argv=None) -> None:
    args = parse_args(argv)
    env = bench_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        static_root=Path(tempfile.mkdtemp(prefix="homegroup-profile-")),
    )
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update(env)

    import django

    django.setup()
    from django.test import Client

    from bench.pages import bench_pages, member_cookie

    pages = bench_pages()
    name, value = member_cookie().split("=", 1)
    member = Client(HTTP_HOST="127.0.0.1")
    member.cookies[name] = value
    visitor = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':14} {'member CPU ms':>14} {'visitor CPU ms':>15}")
    for page, path in pages.items():
        print(
            f"{page:14} {timed_renders(member, path, args.renders):14.2f} "
            f"{timed_renders(visitor, path, args.renders):15.2f}",
            flush=True,
        )
    if args.profile:
        path = pages[args.profile]
        member.get(path)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.renders):
            member.get(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(args.top)
        print(f"cProfile of {args.renders} member renders of {path} (cumulative CPU seconds):")
        print(out.getvalue())


if __name__ == "__main__":
    main()
