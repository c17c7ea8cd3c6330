"""Which copies rotation keeps: properties that hold for any history of copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.backups import BackupCopy, Holdings, Keep, copies_to_keep

START = dt.datetime(2025, 1, 1)


def _copy(minutes: int) -> BackupCopy:
    made = START + dt.timedelta(minutes=minutes)
    return BackupCopy(Path(f"/b/c-{minutes}.sqlite3"), made, "scheduled", 1, "", "0009", Holdings(0, 0, None), "c")


histories = st.lists(st.integers(0, 60 * 24 * 800), min_size=1, max_size=120, unique=True).map(
    lambda minutes: [_copy(m) for m in minutes]
)
keeps = st.builds(Keep, st.integers(1, 10), st.integers(0, 6), st.integers(0, 14))


@given(histories, keeps)
def test_rotation_keeps_the_newest_the_last_day_and_one_per_period(copies: list[BackupCopy], keep: Keep) -> None:
    kept = copies_to_keep(copies, keep)
    newest = max(copies, key=lambda c: c.made_at)
    assert newest.path in kept
    recent = [c for c in copies if newest.made_at - c.made_at < keep.recent]
    periods = {(c.made_at.date(), c.made_at.hour // keep.recent_hours) for c in recent}
    for period in periods:
        in_it = [c for c in recent if (c.made_at.date(), c.made_at.hour // keep.recent_hours) == period]
        assert max(in_it, key=lambda c: c.made_at).path in kept, "the newest of each recent period"
    assert len(kept) <= len(periods) + keep.daily + keep.weekly + keep.monthly
    days = sorted({c.made_at.date() for c in copies}, reverse=True)[: keep.daily]
    for day in days:
        newest_of_day = max((c for c in copies if c.made_at.date() == day), key=lambda c: c.made_at)
        assert newest_of_day.path in kept
    assert kept <= {c.path for c in copies}


def test_nothing_to_keep_of_nothing() -> None:
    assert copies_to_keep([], Keep()) == set()
