"""Page throughput and latency under WSGI (gunicorn) and ASGI (uvicorn), against a ceiling."""

from __future__ import annotations

import math
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.wrk import median_of, run_wrk
from tests.processes import Processes

CEILING_PATH = "/bench/ceiling/"


@contextmanager
def page_server(kind: str, env: dict[str, str], *, workers: int = 2):
    """gunicorn sync workers for "wsgi", uvicorn workers for "asgi"."""
    processes = Processes(Path(tempfile.mkdtemp(prefix="homegroup-bench-")))
    try:
        port, _ = processes.production(
            {"wsgi": "gunicorn", "asgi": "uvicorn"}[kind], env=env, workers=workers
        )
        time.sleep(1.0)
        yield f"http://127.0.0.1:{port}"
    finally:
        processes.stop_all()


def bench_pages() -> dict[str, str]:
    """The pages the issue names, picked from the seeded data. Runs inside Django."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from forum.models import Board, Topic
    from forum.models.boards import TopicKind
    from forum.selectors.boards import board_topics, topic_page_of

    board = (
        Board.objects.filter(step__isnull=False)
        .annotate(n=Count("topics"))
        .order_by("-n", "step_id")
        .first()
    )
    per_page = settings.HOMEGROUP["TOPICS_PER_PAGE"]
    listed = board_topics(board, kind=TopicKind.HELPING, viewer=AnonymousUser())
    board_pages = max(1, math.ceil(listed.count() / per_page))
    middle = max(1, board_pages // 2)
    # The middle page as a person reaches it: by the Next link of the page before (a cursor).
    before_middle = topic_page_of(listed, max(1, middle - 1), per_page)
    topic = Topic.objects.filter(board=board).order_by("-reply_count", "pk").first()
    topic_pages = max(1, math.ceil((topic.reply_count + 1) / 20))
    url = board.get_absolute_url()
    return {
        "home": "/",
        "board_first": url,
        "board_middle": f"{url}?page={middle}",
        "board_middle_next": (
            f"{url}?kind={TopicKind.HELPING}&after={before_middle.next_cursor}&page={middle}"
            if before_middle.next_cursor
            else url
        ),
        "board_deepest": f"{url}?page={board_pages}",
        "topic_first": topic.get_absolute_url(),
        "topic_last": f"{topic.get_absolute_url()}?page={topic_pages}",
        "search": "/search/?q=meeting",
    }


def member_cookie() -> str:
    """A logged-in member's session cookie, made in the database the servers share."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    member, _ = get_user_model().objects.get_or_create(
        username="BenchMember", defaults={"current_step": 4}
    )
    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(pages: dict[str, str], cookie: str) -> dict[str, dict[str, int]]:
    """Queries a render of each page costs, with the visitor page cache off (a hit costs none)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, int]] = {}
    no_page_cache = {**settings.HOMEGROUP, "VISITOR_PAGE_CACHE_SECONDS": 0}
    with override_settings(HOMEGROUP=no_page_cache):
        for role in ("visitor", "member"):
            client = Client(HTTP_HOST="127.0.0.1")
            if role == "member":
                name, value = cookie.split("=", 1)
                client.cookies[name] = value
            for page, path in pages.items():
                client.get(path)  # warm caches the way a running server has them
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code} for a {role}")
                counts.setdefault(page, {})[role] = len(queries)
    return counts


def measure_server(
    kind: str,
    env: dict[str, str],
    pages: dict[str, str],
    cookie: str,
    *,
    runs: int,
    seconds: int,
    connections: int,
    roles=("visitor", "member"),
    log=print,
) -> dict:
    results: dict = {"ceiling": None, "pages": {}}
    with page_server(kind, env) as base:
        run_wrk(base + CEILING_PATH, connections=connections, seconds=2)  # warm up
        for path in pages.values():
            run_wrk(base + path, connections=4, seconds=1)
        results["ceiling"] = median_of(
            [
                run_wrk(base + CEILING_PATH, connections=connections, seconds=seconds)
                for _ in range(runs)
            ]
        ).as_dict()
        log(f"  {kind} ceiling: {results['ceiling']['requests_per_s']:.0f} req/s")
        for page, path in pages.items():
            for role in roles:
                result = median_of(
                    [
                        run_wrk(
                            base + path,
                            connections=connections,
                            seconds=seconds,
                            cookie=cookie if role == "member" else None,
                        )
                        for _ in range(runs)
                    ]
                ).as_dict()
                result["ratio_to_ceiling"] = (
                    result["requests_per_s"] / results["ceiling"]["requests_per_s"]
                )
                results["pages"].setdefault(page, {})[role] = result
                log(
                    f"  {kind} {page:13} {role:7} {result['requests_per_s']:7.0f} req/s "
                    f"p50 {result['p50_ms']:.1f} ms p99 {result['p99_ms']:.1f} ms "
                    f"({result['ratio_to_ceiling']:.0%} of ceiling)"
                )
    return results
