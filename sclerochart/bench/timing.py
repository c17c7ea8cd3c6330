"""Timing helpers shared by the benchmarks: milliseconds, repeated calls, median/p95/max, peak memory."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(ms(time.perf_counter() - started))
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # kilobytes on Linux
