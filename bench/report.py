"""Render docs/benchmarks.md from the JSON a benchmark run wrote."""

from __future__ import annotations

import json
import sys
from pathlib import Path

PAGE_NAMES = {
    "home": "Home",
    "board_first": "Step board, first page",
    "board_middle": "Step board, middle page",
    "topic_first": "Topic, first page",
    "topic_last": "Topic, last page",
    "search": "Search",
}
MAKE_BENCH = "make bench  # = .venv/bin/python -m bench.run [--size peer|large]"
# Written by hand after a run (targets met or missed, what bounds them); appended to the report.
FINDINGS = Path(__file__).resolve().parent.parent / "docs" / "benchmark-findings.md"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def pages_table(report: dict, kind: str) -> list[str]:
    server = report["servers"][kind]
    ceiling = server["ceiling"]
    lines = [
        f"Ceiling (bare view, tiny template): **{ceiling['requests_per_s']:.0f} req/s**, "
        f"p50 {ceiling['p50_ms']:.1f} ms, p99 {ceiling['p99_ms']:.1f} ms.",
        "",
        "| page | role | req/s | p50 ms | p99 ms | % of ceiling | SQL queries per render |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, roles in server["pages"].items():
        for role, figures in roles.items():
            lines.append(
                f"| {PAGE_NAMES.get(page, page)} | {role} | {figures['requests_per_s']:.0f} | "
                f"{figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
                f"{_pct(figures['ratio_to_ceiling'])} | {report['queries'][page][role]} |"
            )
    return lines


def chat_section(chat: dict) -> list[str]:
    lines = [
        "| layer | N members | one in flight: last member p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for layer in ("core", "pubsub"):
        for n, figures in chat[layer]["fanout"].items():
            lines.append(
                f"| {layer} | {n} | {figures['last_member_p50_ms']} | {figures['last_member_p99_ms']} |"
            )
    lines += [
        "",
        "| layer | senders -> members | deliveries/s | p50 ms | p99 ms | acknowledged | lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layer in ("core", "pubsub"):
        load = chat[layer]["load"]
        lines.append(
            f"| {layer} | {load['senders']} -> {load['members']} for {load['seconds']} s | "
            f"{load['deliveries_per_s']} | {load['p50_ms']} | {load['p99_ms']} | "
            f"{load['messages_acknowledged']} | **{load['messages_lost']}** |"
        )
    memory = chat["idle_memory"]
    lines += [
        "",
        f"Server memory: {memory['mib_per_1000_sockets']} MiB per 1,000 idle sockets "
        f"(RSS {memory['rss_before_mib']} -> {memory['rss_after_mib']} MiB with "
        f"{memory['sockets']} sockets open in one process).",
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
    for kind, title in (
        ("wsgi", "Pages under WSGI (gunicorn, 2 sync workers)"),
        ("asgi", "Pages under ASGI (uvicorn, 2 workers)"),
    ):
        if kind in report.get("servers", {}):
            lines += [f"## {title}", "", *pages_table(report, kind), ""]
    if "chat" in report:
        lines += [
            "## Chat fan-out (2 ASGI processes sharing Redis)",
            "",
            *chat_section(report["chat"]),
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
