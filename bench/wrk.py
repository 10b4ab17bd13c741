"""Run wrk and read its figures."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from dataclasses import asdict, dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int

    def as_dict(self) -> dict:
        return asdict(self)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def parse(output: str) -> LoadResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return LoadResult(
        requests_per_s=rps,
        p50_ms=p50,
        p99_ms=p99,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def run_wrk(url: str, *, connections: int, seconds: int, cookie: str | None = None) -> LoadResult:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    return parse(output)


def median_of(results: list[LoadResult]) -> LoadResult:
    """The run with the median throughput (its latencies belong to the same run)."""
    ordered = sorted(results, key=lambda r: r.requests_per_s)
    middle = ordered[len(ordered) // 2]
    return LoadResult(
        requests_per_s=statistics.median(r.requests_per_s for r in results),
        p50_ms=middle.p50_ms,
        p99_ms=middle.p99_ms,
        non_2xx=sum(r.non_2xx for r in results),
        errors=sum(r.errors for r in results),
    )
