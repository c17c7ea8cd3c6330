"""Consistent copies of a SQLite database file, taken with SQLite's online backup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sclerochart import paths


def backup_sqlite(source: Path, reason: str, now: dt.datetime | None = None) -> Path:
    """Copy the database beside itself as <name>-<reason>-<time>.sqlite3 and return the copy's path.

    The copy is written to a temporary name first and renamed when complete, so a failed backup never
    leaves something that looks like a good one.
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}-{reason}-{stamp}{source.suffix or '.sqlite3'}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        paths.private_file(partial)  # a copy is never readable by more people than its original: owner only
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    partial.replace(target)
    return target
