"""`make bench-all`: every benchmark three times, then one table of every figure with its baseline and target.

Each benchmark records its figures through `timing.figure` into a file this runner names; each run's own
printout goes to the terminal as it comes. The table gives, per figure, the min/median/max of the three runs'
values, of their same-run baselines and of the ratios (each run's value over that run's own baseline), the
target, and whether the median meets it. The store benchmark writes a fresh 100,000-patient clinic in each run
(that is the generation figure); the window and start-up benchmarks use it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sclerochart.bench.timing import FIGURES_VARIABLE


@dataclass
class Figure:
    name: str
    unit: str
    target: str
    baseline_name: str
    values: list[float] = field(default_factory=list)
    baselines: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [value / base for value, base in zip(self.values, self.baselines, strict=False) if base]


def _spread(values: list[float]) -> str:
    """Min / median / max, with three significant figures at least (0.134 s, not 0.13 s)."""
    if not values:
        return "—"
    low, mid, high = min(values), statistics.median(values), max(values)
    smallest = min(abs(value) for value in (low, mid, high)) or 1.0
    digits = max(2, 2 - math.floor(math.log10(smallest)))
    return f"{low:.{digits}f} / {mid:.{digits}f} / {high:.{digits}f}"


def verdict(target: str, value: float, baseline: float | None) -> str:
    """'met' or 'missed' for targets written as '≤ 8 ms', '≤ 90 s', '≤ 2× baseline', '≤ 1.5× baseline + 60 MB'."""
    relative = re.fullmatch(r"≤ ([\d.]+)× baseline(?: \+ ([\d.]+) \w+)?", target.strip())
    if relative and baseline:
        limit = float(relative.group(1)) * baseline + float(relative.group(2) or 0)
        return "met" if value <= limit else "missed"
    absolute = re.fullmatch(r"≤ ([\d.]+) \w+", target.strip())
    if absolute:
        return "met" if value <= float(absolute.group(1)) else "missed"
    return ""


def _read(path: Path, figures: dict[str, Figure]) -> None:
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        seen = json.loads(line)
        known = figures.setdefault(
            seen["name"], Figure(seen["name"], seen["unit"], seen.get("target", ""), seen.get("baseline_name", ""))
        )
        known.values.append(float(seen["value"]))
        if seen.get("baseline") is not None:
            known.baselines.append(float(seen["baseline"]))


def table(figures: dict[str, Figure]) -> str:
    """The summary table (Markdown, so that it can go into the README as it is)."""
    lines = [
        "| figure | value min / median / max | same-run baseline min / median / max | ratio min / median / max "
        "| target | median |",
        "|---|---|---|---|---|---|",
    ]
    for known in figures.values():
        base = statistics.median(known.baselines) if known.baselines else None
        value = statistics.median(known.values)
        baseline = f"{_spread(known.baselines)} {known.unit} ({known.baseline_name})" if known.baselines else "—"
        ratios = f"{_spread(known.ratios)} ×" if known.ratios else "—"
        lines.append(
            f"| {known.name} | {_spread(known.values)} {known.unit} | {baseline} | {ratios} | {known.target} "
            f"| {verdict(known.target, value, base)} |"
        )
    return "\n".join(lines)


def _benchmarks(folder: Path) -> list[list[str]]:
    clinic = str(folder / "clinic-100000.sqlite3")
    return [
        ["store", "--dir", str(folder)],
        ["startup", "--clinic", clinic],
        ["ui", "--clinic", clinic],
        ["reports"],
    ]


def main(argv: list[str]) -> int:
    """Run every benchmark `--runs` times and print the table."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench all")
    parser.add_argument("--runs", type=int, default=3, help="runs of every benchmark (default 3)")
    parser.add_argument("--dir", type=Path, help="folder for the clinic (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    figures: dict[str, Figure] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sclerochart-bench-all-") as temporary:
        folder = args.dir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        record = Path(temporary) / "figures.jsonl"
        env = dict(os.environ, **{FIGURES_VARIABLE: str(record)})
        for run in range(1, max(1, args.runs) + 1):
            for benchmark in _benchmarks(folder):
                print(f"\n=== run {run}: python -m sclerochart.bench {' '.join(benchmark)}", flush=True)
                subprocess.run([sys.executable, "-m", "sclerochart.bench", *benchmark], env=env, check=True)
        _read(record, figures)
    print(
        f"\nEvery figure, {args.runs} runs ({(time.monotonic() - started) / 60:.0f} min), {time.strftime('%Y-%m-%d')}:"
    )
    print(table(figures))
    return 0
