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
        "deliveries": 60000 - lost,
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
    assert "| core | 100 | 30 of 30 | 9.0 | 42.5 | - | - | 30 | 271.0 |" in text
    assert "| 600 | **3** | 271.0 | 0 |" in text
    assert "55.0 MiB per 1,000 idle sockets" in text
    assert "previous run: 170.8 MiB" in text


def test_a_first_run_says_there_is_nothing_to_compare_with(tmp_path):
    report = run(date="first", chat=chat_run(p99=42.5, lost=0, mib=55.0))

    report["previous"] = previous_of(read_previous(tmp_path / "missing.json"))

    assert "No previous run in the JSON" in render(report)


def test_each_chat_target_says_met_or_missed_with_the_previous_run_beside_it():
    report = run(date="after", chat=chat_run(p99=42.5, lost=0, mib=55.0))
    report["chat"]["core"]["fanout"]["500"] = {
        "messages": 30,
        "complete": 29,
        "last_member_p50_ms": 60.0,
        "last_member_p99_ms": 120.0,
    }
    report["previous"] = previous_of(run(date="before", chat=chat_run(p99=90, lost=2, mib=66)))

    text = render(report)

    assert (
        "| N = 100: every message complete, last member p99 ≤ 50 ms | core | 30 of 30, p99 42.5 ms"
        " | 30 complete, p99 90 ms | met |" in text
    )
    # Fast enough, but one message did not reach every member: missed.
    assert "| core | 29 of 30, p99 120.0 ms | - complete, p99 - ms | **missed** |" in text
    assert "| core | 1000.0/s, p99 42.5 ms, 0 lost | p99 90 ms, 2 lost | met |" in text
    assert "| ≤ 60 MiB per 1,000 idle sockets | - | 55.0 MiB | 66 MiB | met |" in text


def test_a_load_run_that_lost_one_delivery_or_ran_slow_misses_its_target():
    slow = run(date="slow", chat=chat_run(p99=101.0, lost=0, mib=61.0))
    lossy = run(date="lossy", chat=chat_run(p99=20.0, lost=1, mib=55.0))

    assert "| core | 1000.0/s, p99 101.0 ms, 0 lost | p99 - ms, - lost | **missed** |" in render(
        slow
    )
    assert "61.0 MiB | - MiB | **missed** |" in render(slow)
    assert "| core | 1000.0/s, p99 20.0 ms, 1 lost | p99 - ms, - lost | **missed** |" in render(
        lossy
    )


def test_the_load_average_at_the_start_and_end_of_a_section_is_shown():
    report = run(date="busy", chat=chat_run(p99=42.5, lost=0, mib=55.0))
    report["chat"]["core"] = {
        **report["chat"]["core"],
        "load_before": [6.5, 5.0, 3.25],
        "load_after": [11.0, 8.0, 4.0],
    }

    assert (
        "core: Load average at the start: 6.50 / 5.00 / 3.25, at the end: 11.00 / 8.00 / 4.00"
        in render(report)
    )


def meeting_run(*, p99: float, lost: int, matches: bool = True) -> dict:
    return {
        "attendees": 500,
        "join_s": 12.5,
        "settled_s": 14.0,
        "load_before": [1.0, 1.0, 1.0],
        "load_after": [2.0, 1.0, 1.0],
        "share": {
            "shares": 30,
            "complete": 30,
            "last_attendee_p50_ms": 40.0,
            "last_attendee_p99_ms": p99,
        },
        "hands": {
            "hands": 100,
            "in_queue": 100 - lost,
            "lost": lost,
            "queue_matches_database": matches,
            "all_in_queue_ms": 900.0,
        },
    }


def test_the_meeting_section_shows_both_targets_and_the_previous_figures(tmp_path):
    out = tmp_path / "benchmarks-meeting.json"
    out.write_text(
        json.dumps({**run(date="before", chat={}), "meeting": meeting_run(p99=900, lost=3)})
    )
    report = {**run(date="after", chat={}), "meeting": meeting_run(p99=120.0, lost=0)}
    del report["chat"]

    report["previous"] = previous_of(read_previous(out))
    text = render(report)

    assert "## A meeting of hundreds" in text
    assert "every socket told that all are in after 14.0 s" in text
    assert (
        "| 30 of 30 complete, p50 40.0 ms, p99 120.0 ms | 30 complete, p50 40.0 ms, p99 900 ms "
        "| met |" in text
    )
    assert "| 100 in the queue, 0 lost, order matches the database;" in text
    assert "| 3 lost, all in after 900.0 ms | met |" in text


def test_hands_out_of_the_servers_order_miss_the_meeting_target():
    report = {
        **run(date="after", chat={}),
        "meeting": meeting_run(p99=120.0, lost=0, matches=False),
    }
    del report["chat"]

    text = render(report)

    assert "order **differs from** the database; all in the queue after 900.0 ms" in text
    assert "| - lost, all in after - ms | **missed** |" in text
    assert "p99 120.0 ms | - complete, p50 - ms, p99 - ms | met |" in text
