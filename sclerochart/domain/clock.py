"""Times of the record: audit times are stored in UTC and shown in local time with the offset."""

from __future__ import annotations

import datetime as dt


def utc_of(local: dt.datetime) -> dt.datetime:
    """A naive local wall-clock time as naive UTC (this computer's time zone rules, summer time included)."""
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def local_of(utc: dt.datetime) -> dt.datetime:
    """A naive UTC time as an aware local time (it knows its offset)."""
    return utc.replace(tzinfo=dt.UTC).astimezone()


def offset_text(moment: dt.datetime) -> str:
    """The offset as "UTC+01:00" for an aware time; "" for a naive one."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def shown_utc(utc: dt.datetime, pattern: str = "%d.%m.%Y %H:%M") -> str:
    """A stored UTC time as people read it: local, with the offset ("26.11.2026 10:42 UTC+01:00")."""
    local = local_of(utc)
    return f"{local.strftime(pattern)} {offset_text(local)}"


def shown_local(local: dt.datetime, pattern: str = "%d.%m.%Y %H:%M") -> str:
    """A stored local wall-clock time with the offset it had ("26.11.2026 10:42 UTC+01:00")."""
    return f"{local.strftime(pattern)} {offset_text(local.astimezone())}"
