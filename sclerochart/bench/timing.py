"""Timing helpers shared by the benchmarks: milliseconds, repeated calls, median/p95/max, peak memory.

`figure()` also records a figure for `make bench-all`: when the environment names a file in
SCLEROCHART_BENCH_FIGURES, each figure is appended to it as one JSON line (name, value, unit, the same-run
baseline when there is one, and the target), and `python -m sclerochart.bench all` runs every benchmark three
times and prints one table of min/median/max from those lines.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from collections.abc import Callable

FIGURES_VARIABLE = "SCLEROCHART_BENCH_FIGURES"


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(ms(time.perf_counter() - started))
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    return f"median {statistics.median(ordered):7.2f} ms   p95 {p95(ordered):7.2f} ms   max {ordered[-1]:7.2f} ms"


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # kilobytes on Linux


def figure(
    name: str,
    value: float,
    unit: str = "ms",
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    target: str = "",
) -> None:
    """Record one figure for the summary table of `make bench-all` (nothing happens when no file is named).

    `name` says what was measured; `baseline` is the same-run baseline's figure in the same unit and
    `baseline_name` what it is; `target` the issue's target in words (e.g. "≤ 1.5× baseline", "≤ 8 ms").
    """
    path = os.environ.get(FIGURES_VARIABLE)
    if not path:
        return
    line = {"name": name, "value": value, "unit": unit, "baseline": baseline, "baseline_name": baseline_name}
    line["target"] = target
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
