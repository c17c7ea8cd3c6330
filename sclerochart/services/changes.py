"""What other rooms changed: read from the audit trail, which every change writes in its own transaction.

Audit ids only grow, but on PostgreSQL a transaction can commit after one that took a later id: "everything
above the highest id seen" would miss it. So the feed remembers every id it has seen among the newest
WINDOW ids and reports any id in that window it has not seen yet, whenever it commits. Asking "anything
new?" is one count over that window by the primary key: cheap enough every second while idle, on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sclerochart.readmodels import Changes, FeedMark
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import sessions as session_repo

WINDOW = 2000
"""How many of the newest audit ids are watched for late commits (far more than change in one second)."""

_SESSION_PARTS = frozenset({"site", "tracing", "photo"})
_COURSE_PARTS = frozenset({"follow-up", "photo"})


def _floor(mark: FeedMark) -> int:
    """Ids at or below this are no longer watched."""
    return max(0, mark.newest - WINDOW)


def latest_change(ctx: ServiceContext) -> FeedMark:
    """The feed as it stands now: the mark to ask `changes_since` from."""
    with ctx.db.read() as tx:
        newest = audit_repo.newest_audit_id(tx)
        floor = max(0, newest - WINDOW)
        seen = frozenset(audit_repo.audit_ids_above(tx, floor))
    return FeedMark(newest, seen)


def _session_of(values: Any) -> str | None:
    if isinstance(values, dict):
        session_id = values.get("session_id")
        return str(session_id) if session_id else None
    return None


def _patient_of(values: Any) -> str | None:
    if isinstance(values, dict):
        patient_id = values.get("patient_id")
        return str(patient_id) if patient_id else None
    return None


def changes_since(ctx: ServiceContext, mark: FeedMark) -> tuple[FeedMark, Changes]:
    """What other copies of the program changed since `mark` (in any commit order), and the new mark.

    Changes made by this copy (the same origin) are left out: its screens already show them. When more than
    WINDOW changes arrived at once (a large import), everything is reported changed.
    """
    with ctx.db.read() as tx:
        count, newest = audit_repo.audit_count_and_newest_above(tx, _floor(mark))
        newest = int(newest or 0)
        if newest <= mark.newest and count == sum(1 for i in mark.seen if i > _floor(mark)):
            return mark, Changes()
        if newest - mark.newest > WINDOW:
            return latest_change(ctx), Changes(everything=True, elsewhere=True)
        ids = set(audit_repo.audit_ids_above(tx, _floor(mark)))
        new_ids = ids - mark.seen
        rows = audit_repo.audit_changes(tx, new_ids, ctx.origin, NOTHING_CHANGED)
        found = _changes(rows)
        if found.sessions:
            found = _with_their_patients(tx, found)
    newest = max(newest, mark.newest)
    floor = max(0, newest - WINDOW)
    return FeedMark(newest, frozenset(i for i in ids | mark.seen if i > floor)), found


NOTHING_CHANGED = ("view", "print", "export", "sign-in", "sign-in refused")
"""Audit actions that change no record a screen shows: the disclosure log and the sign-ins."""


def _changes(rows: Any) -> Changes:
    sessions: set[str] = set()
    patients: set[str] = set()
    courses: set[str] = set()
    kinds: set[str] = set()
    for _origin, entity, entity_id, before, after in rows:
        kinds.add(entity)
        if entity in _COURSE_PARTS:
            patient_id = _patient_of(after) or _patient_of(before)
            if patient_id:
                courses.add(patient_id)
        if entity in ("session", "session lot"):
            sessions.add(entity_id)
        elif entity in _SESSION_PARTS:
            session_id = _session_of(after) or _session_of(before)
            if session_id:
                sessions.add(session_id)
        elif entity == "patient":
            patients.add(entity_id)
    return Changes(
        sessions=frozenset(sessions),
        patients=frozenset(patients),
        courses=frozenset(courses),
        presets="preset" in kinds,
        catalogue="sclerosant" in kinds,
        settings="setting" in kinds,
        practitioners="practitioner" in kinds,
        elsewhere=bool(kinds),
    )


def _with_their_patients(tx: UnitOfWork, found: Changes) -> Changes:
    """Name the patients whose sessions changed (a patient's session list, and same-day doses, follow them)."""
    owners = session_repo.patients_of_sessions(tx, found.sessions)
    return replace(found, session_patients=owners)
