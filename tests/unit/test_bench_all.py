"""The benchmark summary: figures recorded by each run, gathered into one table with verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sclerochart.bench import all as bench_all
from sclerochart.bench.timing import FIGURES_VARIABLE, figure


@pytest.mark.parametrize(
    ("target", "value", "baseline", "expected"),
    [
        ("≤ 8 ms", 7.9, None, "met"),
        ("≤ 8 ms", 8.1, None, "missed"),
        ("≤ 90 s", 95.0, None, "missed"),
        ("≤ 2× baseline", 99.0, 50.0, "met"),
        ("≤ 2× baseline", 101.0, 50.0, "missed"),
        ("≤ 1.5× baseline + 60 MB", 134.0, 50.0, "met"),
        ("≤ 1.5× baseline + 60 MB", 136.0, 50.0, "missed"),
        ("≤ 2× baseline", 99.0, None, ""),
        ("as fast as paper", 1.0, 1.0, ""),
    ],
)
def test_a_target_in_words_is_judged_on_the_median(
    target: str, value: float, baseline: float | None, expected: str
) -> None:
    assert bench_all.verdict(target, value, baseline) == expected


def test_three_runs_make_one_row_with_spreads_ratios_and_the_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "figures.jsonl"
    monkeypatch.setenv(FIGURES_VARIABLE, str(record))
    for value, base in ((12.0, 5.0), (10.0, 4.0), (30.0, 6.0)):
        figure("add one site", value, baseline=base, baseline_name="raw sqlite3", target="≤ 3× baseline")
    figure("generate", 80.0, "s", target="≤ 90 s")
    assert len(record.read_text(encoding="utf-8").splitlines()) == 4
    figures: dict[str, bench_all.Figure] = {}
    bench_all._read(record, figures)
    rows = bench_all.table(figures).splitlines()
    assert rows[2] == (
        "| add one site | 10.00 / 12.00 / 30.00 ms | 4.00 / 5.00 / 6.00 ms (raw sqlite3) | 2.40 / 2.50 / 5.00 × "
        "| ≤ 3× baseline | met |"
    )
    assert rows[3] == "| generate | 80.00 / 80.00 / 80.00 s | — | — | ≤ 90 s | met |"


def test_nothing_is_written_when_no_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FIGURES_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    figure("anything", 1.0)
    assert list(tmp_path.iterdir()) == []
