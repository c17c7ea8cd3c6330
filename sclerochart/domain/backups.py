"""Backup copies as values: what a copy holds, how it is named and described, and which copies rotation keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

STALE_AFTER = dt.timedelta(hours=24)
"""With no verified copy newer than this, the program says so at start."""

REASONS = {
    "manual": "made by hand",
    "scheduled": "made while the program was open",
    "at-close": "made when the program closed",
    "command": "made by the backup command",
}
"""How a copy came to be, in the user's words ("before-NNNN" copies are described apart)."""


@dataclass(frozen=True)
class Holdings:
    """What a copy holds, counted when it was verified."""

    patients: int
    sessions: int
    newest_session: dt.datetime | None
    rows: Mapping[str, int] = field(default_factory=dict)
    """Rows per table, compared with the database at the moment of the copy."""
    lineage: str = ""
    """The hash of the database's first audit event: the same in a database and all its copies and restores,
    different for another clinic's database of the same file name ("" before the first event)."""

    def in_words(self) -> str:
        """'1,204 patients, 3,880 sessions, the newest on 25 Nov 2026'."""
        newest = f", the newest on {self.newest_session:%d %b %Y}" if self.newest_session is not None else ""
        return f"{_count(self.patients, 'patient')}, {_count(self.sessions, 'session')}{newest}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@dataclass(frozen=True)
class BackupCopy:
    """One verified copy of a database in a backup folder."""

    path: Path
    made_at: dt.datetime
    """The clinic's local time when the copy was taken (naive)."""
    reason: str
    size: int
    sha256: str
    schema: str
    holds: Holdings
    database_name: str
    """The file name of the database it copies ("sclerochart.sqlite3")."""
    encrypted: bool = False

    @property
    def name(self) -> str:
        """The copy's file name."""
        return self.path.name

    def how_made(self) -> str:
        """How the copy came to be, in words ('made when the program closed')."""
        if self.reason.startswith("before-"):
            return "made before the database was brought up to date"
        return REASONS.get(self.reason, "made by hand")

    def size_in_words(self) -> str:
        """'95.2 MB', '512 kB'."""
        return size_in_words(self.size)


def size_in_words(size: int) -> str:
    """A file size as people read it (decimal units, as file managers show them)."""
    if size >= 1_000_000_000:
        return f"{size / 1_000_000_000:.1f} GB"
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"


def age_in_words(then: dt.datetime, now: dt.datetime) -> str:
    """How long ago, roughly: 'a few minutes', '3 hours', '2 days'."""
    seconds = max(0.0, (now - then).total_seconds())
    if seconds < 15 * 60:
        return "a few minutes"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    if seconds < 48 * 3600:
        return _count(round(seconds / 3600), "hour")
    return _count(round(seconds / 86400), "day")


@dataclass(frozen=True)
class Keep:
    """How many copies rotation keeps: the newest of each of the last days, weeks and months that have one."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    recent: dt.timedelta = dt.timedelta(hours=24)
    """Within this time before the newest copy, the newest copy of each few hours is kept (a morning's copy
    survives the afternoon's; a program closed and opened ten times in an hour does not keep ten)."""
    recent_hours: int = 4
    """The length of those periods."""


def copies_to_keep(copies: Iterable[BackupCopy], keep: Keep) -> set[Path]:
    """The copies rotation keeps: the last day's copies, and the newest of each of the last days, weeks, months.

    Within `keep.recent` before the newest copy, the newest of each period of `keep.recent_hours` hours is
    kept; then the newest of each of the last `keep.daily` days, `keep.weekly` weeks and `keep.monthly` months.

    A day, week or month counts only when it has a copy, so a clinic closed for a fortnight still keeps
    seven days' copies. Copies of every kind (by hand, scheduled, before an upgrade) take part alike.
    """
    newest_first = sorted(copies, key=lambda copy: copy.made_at, reverse=True)
    if not newest_first:
        return set()
    newest = newest_first[0].made_at
    recent_periods: set[tuple[dt.date, int]] = set()
    kept = set()
    for copy in newest_first:
        period = (copy.made_at.date(), copy.made_at.hour // max(1, keep.recent_hours))
        if newest - copy.made_at < keep.recent and period not in recent_periods:
            recent_periods.add(period)
            kept.add(copy.path)

    def newest_per(period: Callable[[dt.datetime], Hashable], how_many: int) -> None:
        seen: list[Hashable] = []
        for copy in newest_first:
            key = period(copy.made_at)
            if key in seen:
                continue
            if len(seen) == how_many:
                return
            seen.append(key)
            kept.add(copy.path)

    newest_per(lambda at: at.date(), keep.daily)
    newest_per(lambda at: at.isocalendar()[:2], keep.weekly)
    newest_per(lambda at: (at.year, at.month), keep.monthly)
    return kept


def copy_name(database_name: str, reason: str, made_at: dt.datetime, extension: str = ".sqlite3") -> str:
    """The file name of a copy: '<database name without extension>-<reason>-<YYYYmmdd-HHMMSS><extension>'."""
    stem = database_name.rsplit(".", 1)[0] if "." in database_name else database_name
    return f"{stem}-{reason}-{made_at:%Y%m%d-%H%M%S}{extension}"


@dataclass(frozen=True)
class BackupState:
    """Where a database's copies go and how recent the last verified one is."""

    folder: Path | None
    """None on a server database (its backups are the server's business, or `sclerochart backup`)."""
    last: BackupCopy | None
    every_hours: int
    """0: only when the program closes."""

    def stale(self, now: dt.datetime) -> bool:
        """No verified copy in the last 24 hours (or none at all)."""
        return self.folder is not None and (self.last is None or now - self.last.made_at > STALE_AFTER)

    def due(self, now: dt.datetime) -> bool:
        """A scheduled copy is due now."""
        if self.folder is None or self.every_hours <= 0:
            return False
        return self.last is None or now - self.last.made_at >= dt.timedelta(hours=self.every_hours)

    def in_words(self, now: dt.datetime) -> str:
        """One line for the status bar or the About box."""
        if self.folder is None:
            return "Backups: kept with the clinic's database server"
        if self.last is None:
            return "No verified backup yet"
        return f"Last verified backup: {self.last.made_at:%d %b %Y %H:%M} ({age_in_words(self.last.made_at, now)} ago)"
