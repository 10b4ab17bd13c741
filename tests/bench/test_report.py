"""The benchmark report prints the previous run's figures beside this run's (issue 16)."""

from __future__ import annotations

import json

from bench.report import previous_of, render
from bench.run import read_previous


def chat_run(*, p99: float, lost: int, mib: float) -> dict:
    fanout = {"100": {"messages": 30, "complete": 30, "last_member_p50_ms": 9.0}}
    fanout["100"]["last_member_p99_ms"] = p99
    load = {
        "senders": 10,
        "members": 100,
        "seconds": 60,
        "deliveries_per_s": 1000.0,
        "p50_ms": 20.0,
        "p99_ms": p99,
        "messages_acknowledged": 600,
        "messages_lost": lost,
    }
    layer = {"fanout": fanout, "load": load}
    return {
        "core": layer,
        "pubsub": layer,
        "idle_memory": {
            "sockets": 1000,
            "rss_before_mib": 80.0,
            "rss_after_mib": 80.0 + mib,
            "mib_per_1000_sockets": mib,
        },
    }


def run(*, date: str, chat: dict) -> dict:
    machine = {"cpus": 2, "memory_gib": 8, "python": "3.11", "platform": "Linux"}
    settings = {"runs": 1, "seconds": 10, "connections": 16}
    return {"date": date, "machine": machine, "size": "tiny", "settings": settings, "chat": chat}


def test_a_run_shows_the_previous_runs_chat_figures_beside_its_own(tmp_path):
    out = tmp_path / "benchmarks.json"
    out.write_text(json.dumps(run(date="before", chat=chat_run(p99=271.0, lost=0, mib=170.8))))
    report = run(date="after", chat=chat_run(p99=42.5, lost=3, mib=55.0))

    report["previous"] = previous_of(read_previous(out))
    text = render(report)

    assert "the run of before (size `tiny`)" in text
    assert "| core | 100 | 30 of 30 | 9.0 | 42.5 | 30 | 271.0 |" in text
    assert "| 600 | **3** | 271.0 | 0 |" in text
    assert "55.0 MiB per 1,000 idle sockets" in text
    assert "previous run: 170.8 MiB" in text


def test_a_first_run_says_there_is_nothing_to_compare_with(tmp_path):
    report = run(date="first", chat=chat_run(p99=42.5, lost=0, mib=55.0))

    report["previous"] = previous_of(read_previous(tmp_path / "missing.json"))

    assert "No previous run in the JSON" in render(report)
