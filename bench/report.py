"""Render docs/benchmarks.md from the JSON a benchmark run wrote."""

from __future__ import annotations

import json
import sys
from pathlib import Path

PAGE_NAMES = {
    "home": "Home",
    "board_first": "Step board, first page",
    "board_middle": "Step board, middle page (?page=N)",
    "board_middle_next": "Step board, middle page (Next link)",
    "board_deepest": "Step board, deepest page (?page=N)",
    "topic_first": "Topic, first page",
    "topic_last": "Topic, last page",
    "search": "Search",
}
MAKE_BENCH = "make bench  # = .venv/bin/python -m bench.run [--size peer|large]"
# Written by hand after a run (targets met or missed, what bounds them); appended to the report.
FINDINGS = Path(__file__).resolve().parent.parent / "docs" / "benchmark-findings.md"


# What a run keeps of the run before it (``previous`` in the JSON), to print beside its own.
PREVIOUS_KEYS = ("date", "size", "servers", "queries", "chat")


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _dig(data: dict | None, *keys, default="-"):
    """``data[k1][k2]...``, or ``default`` where the previous run did not measure it."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return default if data is None else data


def _num(value, spec: str) -> str:
    return format(value, spec) if isinstance(value, (int, float)) else str(value)


def previous_of(report: dict | None) -> dict | None:
    """The part of a run written to the JSON that the next run shows beside its own figures."""
    if not report:
        return None
    return {key: report[key] for key in PREVIOUS_KEYS if key in report}


def previous_note(previous: dict | None) -> list[str]:
    if not previous:
        return ["No previous run in the JSON: the *previous* columns are empty.", ""]
    return [
        f"*Previous* columns: the run of {previous.get('date', '?')} "
        f"(size `{previous.get('size', '?')}`) read from the JSON this run replaced.",
        "",
    ]


def pages_table(report: dict, kind: str, previous: dict | None = None) -> list[str]:
    server = report["servers"][kind]
    ceiling = server["ceiling"]
    before = _dig(previous, "servers", kind, default=None)
    lines = [
        f"Ceiling (bare view, tiny template, measured in this run): "
        f"**{ceiling['requests_per_s']:.0f} req/s**, "
        f"p50 {ceiling['p50_ms']:.1f} ms, p99 {ceiling['p99_ms']:.1f} ms "
        f"(previous run: {_num(_dig(before, 'ceiling', 'requests_per_s'), '.0f')} req/s).",
        "",
        "| page | role | req/s | p50 ms | p99 ms | % of ceiling | SQL queries per render "
        "| previous: req/s | p99 ms | % of ceiling |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, roles in server["pages"].items():
        for role, figures in roles.items():
            was = _dig(before, "pages", page, role, default={})
            was_ratio = was.get("ratio_to_ceiling")
            lines.append(
                f"| {PAGE_NAMES.get(page, page)} | {role} | {figures['requests_per_s']:.0f} | "
                f"{figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
                f"{_pct(figures['ratio_to_ceiling'])} | {report['queries'][page][role]} | "
                f"{_num(_dig(was, 'requests_per_s'), '.0f')} | {_num(_dig(was, 'p99_ms'), '.1f')} | "
                f"{_pct(was_ratio) if was_ratio is not None else '-'} |"
            )
    return lines


def chat_section(chat: dict, previous: dict | None = None) -> list[str]:
    before = _dig(previous, "chat", default=None)
    lines = [
        "| layer | N members | messages complete | one in flight: last member p50 ms | p99 ms "
        "| previous: complete | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layer in ("core", "pubsub"):
        for n, figures in chat[layer]["fanout"].items():
            was = _dig(before, layer, "fanout", n, default={})
            lines.append(
                f"| {layer} | {n} | {figures['complete']} of {figures['messages']} | "
                f"{figures['last_member_p50_ms']} | {figures['last_member_p99_ms']} | "
                f"{_dig(was, 'complete')} | {_dig(was, 'last_member_p99_ms')} |"
            )
    lines += [
        "",
        "| layer | senders -> members | deliveries/s | p50 ms | p99 ms | acknowledged | lost "
        "| previous: p99 ms | lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layer in ("core", "pubsub"):
        load = chat[layer]["load"]
        was = _dig(before, layer, "load", default={})
        lines.append(
            f"| {layer} | {load['senders']} -> {load['members']} for {load['seconds']} s | "
            f"{load['deliveries_per_s']} | {load['p50_ms']} | {load['p99_ms']} | "
            f"{load['messages_acknowledged']} | **{load['messages_lost']}** | "
            f"{_dig(was, 'p99_ms')} | {_dig(was, 'messages_lost')} |"
        )
    memory = chat["idle_memory"]
    lines += [
        "",
        f"Server memory: {memory['mib_per_1000_sockets']} MiB per 1,000 idle sockets "
        f"(RSS {memory['rss_before_mib']} -> {memory['rss_after_mib']} MiB with "
        f"{memory['sockets']} sockets open in one process; previous run: "
        f"{_dig(before, 'idle_memory', 'mib_per_1000_sockets')} MiB).",
    ]
    return lines


def render(report: dict, *, commands: str = "") -> str:
    machine = report["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Run on {report['date']} — {machine['cpus']} CPUs, {machine['memory_gib']} GiB, "
        f"Python {machine['python']}, {machine['platform']}. Data size: `{report['size']}`"
        + (f" ({report['seed_output']})" if report.get("seed_output") else "")
        + ".",
        "",
        f"Load: wrk, {report['settings']['connections']} connections, "
        f"{report['settings']['seconds']} s a run, median of {report['settings']['runs']} runs. "
        "Servers: DEBUG off, persistent database connections, static files not in the path, "
        "2 workers, PostgreSQL and Redis on the same machine.",
        "",
    ]
    if commands:
        lines += ["Commands:", "", "```sh", commands.strip(), "```", ""]
    previous = report.get("previous")
    lines += previous_note(previous)
    for kind, title in (
        ("wsgi", "Pages under WSGI (gunicorn, 2 sync workers)"),
        ("asgi", "Pages under ASGI (uvicorn, 2 workers)"),
    ):
        if kind in report.get("servers", {}):
            lines += [f"## {title}", "", *pages_table(report, kind, previous), ""]
    if "chat" in report:
        lines += [
            "## Chat fan-out (2 ASGI processes sharing Redis)",
            "",
            *chat_section(report["chat"], previous),
            "",
        ]
    if FINDINGS.exists():
        lines += [FINDINGS.read_text().strip(), ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    """`python -m bench.report docs/benchmarks.json [OUT.md]`: render again, e.g. after editing
    docs/benchmark-findings.md."""
    source = Path(argv[0])
    target = Path(argv[1]) if len(argv) > 1 else source.with_suffix(".md")
    target.write_text(render(json.loads(source.read_text()), commands=MAKE_BENCH))


if __name__ == "__main__":
    main(sys.argv[1:])
