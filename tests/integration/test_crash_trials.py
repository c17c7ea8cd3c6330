"""The short crash run: writers killed with SIGKILL mid-work lose nothing they acknowledged.

The long run is a benchmark: python -m sclerochart.bench crash --trials 500.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from sclerochart.bench.crash import KINDS, run_trials, summary

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="crash trials need SIGKILL")


def test_twenty_killed_writers_lose_nothing_they_acknowledged(tmp_path: Path) -> None:
    problems: list[str] = []
    outcomes = run_trials(20, seed=20261126, folder=tmp_path, say=problems.append)
    print(summary(outcomes))
    assert {outcome.kind for outcome in outcomes} == set(KINDS)
    assert sum(outcome.acknowledged for outcome in outcomes) > 100, "the writers got to work before the kill"
    assert problems == []
