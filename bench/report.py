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
PREVIOUS_KEYS = ("date", "size", "servers", "queries", "chat", "meeting")

# Issue 16's chat targets and issue 13's meeting targets, checked against each run.
CHAT_P99_MS = {"100": 50, "500": 150}
LOAD_DELIVERIES_PER_S, LOAD_P99_MS = 1000, 100
IDLE_MIB_PER_1000 = 60
SHARE_P99_MS = 150


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


def verdict(met: bool | None) -> str:
    return "not measured" if met is None else ("met" if met else "**missed**")


def _within(value, limit: float) -> bool:
    return isinstance(value, (int, float)) and value <= limit


def fanout_met(figures: dict | None, limit: float) -> bool | None:
    """Every message reached every member, and the last member's p99 is within ``limit``."""
    if not figures:
        return None
    return figures["complete"] == figures["messages"] and _within(
        figures["last_member_p99_ms"], limit
    )


def load_met(load: dict | None) -> bool | None:
    """The offered rate was delivered in full (0 lost) with the p99 within the target."""
    if not load:
        return None
    return (
        load["messages_lost"] == 0
        and load.get("deliveries", 0) >= LOAD_DELIVERIES_PER_S * load["seconds"]
        and _within(load["p99_ms"], LOAD_P99_MS)
    )


def memory_met(memory: dict | None) -> bool | None:
    return None if not memory else _within(memory["mib_per_1000_sockets"], IDLE_MIB_PER_1000)


def share_met(share: dict | None) -> bool | None:
    if not share:
        return None
    return share["complete"] == share["shares"] and _within(
        share["last_attendee_p99_ms"], SHARE_P99_MS
    )


def hands_met(hands: dict | None) -> bool | None:
    if not hands:
        return None
    return (
        hands["lost"] == 0
        and hands["in_queue"] == hands["hands"]
        and hands["queue_matches_database"]
    )


def load_note(section: dict) -> str:
    """The machine's load average (1, 5, 15 min) at the start and end of a section."""

    def show(values) -> str:
        return " / ".join(f"{v:.2f}" for v in values) if values else "?"

    return (
        f"Load average at the start: {show(section.get('load_before'))}, "
        f"at the end: {show(section.get('load_after'))} (1 / 5 / 15 min)."
    )


def chat_targets(chat: dict, before: dict | None) -> list[str]:
    lines = [
        "| target (issue 16) | layer | this run | previous run | verdict |",
        "| --- | --- | --- | --- | --- |",
    ]
    for layer in [name for name in ("core", "pubsub") if name in chat]:
        for n, limit in CHAT_P99_MS.items():
            figures = _dig(chat, layer, "fanout", n, default=None)
            was = _dig(before, layer, "fanout", n, default={})
            now = (
                f"{figures['complete']} of {figures['messages']}, p99 {figures['last_member_p99_ms']} ms"
                if figures
                else "-"
            )
            lines.append(
                f"| N = {n}: every message complete, last member p99 ≤ {limit} ms | {layer} | "
                f"{now} | {_dig(was, 'complete')} complete, p99 {_dig(was, 'last_member_p99_ms')} ms "
                f"| {verdict(fanout_met(figures, limit))} |"
            )
        load = _dig(chat, layer, "load", default=None)
        was = _dig(before, layer, "load", default={})
        now = (
            f"{load['deliveries_per_s']}/s, p99 {load['p99_ms']} ms, {load['messages_lost']} lost"
            if load
            else "-"
        )
        lines.append(
            f"| {LOAD_DELIVERIES_PER_S:,} deliveries/s for 60 s, p99 ≤ {LOAD_P99_MS} ms, 0 lost "
            f"| {layer} | {now} | p99 {_dig(was, 'p99_ms')} ms, {_dig(was, 'messages_lost')} lost "
            f"| {verdict(load_met(load))} |"
        )
    memory = chat.get("idle_memory")
    if memory:
        lines.append(
            f"| ≤ {IDLE_MIB_PER_1000} MiB per 1,000 idle sockets | - | "
            f"{memory['mib_per_1000_sockets']} MiB | "
            f"{_dig(before, 'idle_memory', 'mib_per_1000_sockets')} MiB "
            f"| {verdict(memory_met(memory))} |"
        )
    return lines


def chat_section(chat: dict, previous: dict | None = None) -> list[str]:
    before = _dig(previous, "chat", default=None)
    layers = [name for name in ("core", "pubsub") if name in chat]
    lines = [*chat_targets(chat, before), ""]
    for layer in layers:
        lines += [f"{layer}: {load_note(chat[layer])}", ""]
    lines += [
        "| layer | N members | messages complete | one in flight: last member p50 ms | p99 ms "
        "| all joined s | presence settled s | previous: complete | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layer in layers:
        for n, figures in chat[layer]["fanout"].items():
            was = _dig(before, layer, "fanout", n, default={})
            lines.append(
                f"| {layer} | {n} | {figures['complete']} of {figures['messages']} | "
                f"{figures['last_member_p50_ms']} | {figures['last_member_p99_ms']} | "
                f"{_dig(figures, 'join_s')} | {_dig(figures, 'settled_s')} | "
                f"{_dig(was, 'complete')} | {_dig(was, 'last_member_p99_ms')} |"
            )
    lines += [
        "",
        "| layer | senders -> members | deliveries/s | p50 ms | p99 ms | acknowledged | lost "
        "| previous: p99 ms | lost |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for layer in layers:
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
        f"{_dig(before, 'idle_memory', 'mib_per_1000_sockets')} MiB). "
        f"Load average at the start: {_dig(memory, 'load_before')}.",
    ]
    return lines


def meeting_section(meeting: dict, previous: dict | None = None) -> list[str]:
    before = _dig(previous, "meeting", default=None)
    share, hands = meeting.get("share"), meeting.get("hands")
    was_share = _dig(before, "share", default={})
    was_hands = _dig(before, "hands", default={})
    lines = [
        f"{meeting['attendees']} attendees and a chair, alternating between the two processes; "
        f"all joined (every socket sent its state) after {_dig(meeting, 'join_s')} s, every "
        f"socket told that all are in after {_dig(meeting, 'settled_s')} s (previous run: "
        f"{_dig(before, 'join_s')} s and {_dig(before, 'settled_s')} s). {load_note(meeting)}",
        "",
        "| target (issue 13) | this run | previous run | verdict |",
        "| --- | --- | --- | --- |",
    ]
    if share:
        lines.append(
            f"| a share reaches the last attendee: p99 ≤ {SHARE_P99_MS} ms, every share complete "
            f"| {share['complete']} of {share['shares']} complete, "
            f"p50 {share['last_attendee_p50_ms']} ms, p99 {share['last_attendee_p99_ms']} ms "
            f"| {_dig(was_share, 'complete')} complete, p50 {_dig(was_share, 'last_attendee_p50_ms')}"
            f" ms, p99 {_dig(was_share, 'last_attendee_p99_ms')} ms | {verdict(share_met(share))} |"
        )
    if hands:
        lines.append(
            f"| {hands['hands']} hands raised at once: none lost, the chair's queue in the order "
            f"the server accepted them | {hands['in_queue']} in the queue, {hands['lost']} lost, "
            f"order {'matches' if hands['queue_matches_database'] else '**differs from**'} the "
            f"database; all in the queue after {hands['all_in_queue_ms']} ms "
            f"| {_dig(was_hands, 'lost')} lost, all in after {_dig(was_hands, 'all_in_queue_ms')}"
            f" ms | {verdict(hands_met(hands))} |"
        )
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
    if "meeting" in report:
        lines += [
            "## A meeting of hundreds (2 ASGI processes sharing Redis)",
            "",
            *meeting_section(report["meeting"], previous),
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
