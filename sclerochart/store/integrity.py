"""Integrity and schema checks of a database, answered in plain words."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Connection, select, text

from sclerochart.store.audit_chain import GENESIS, event_hash
from sclerochart.store.database import Database
from sclerochart.store.errors import translate
from sclerochart.store.migrate import schema_state
from sclerochart.store.models import AmendmentRow, AuditEventRow, PhotoRow
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import catalogue as catalogue_repo
from sclerochart.store.repositories import sessions as session_repo
from sclerochart.store.repositories import triggers
from sclerochart.store.signed_content import seal, seal_version, sealed_sessions, sealed_visits, visit_seal


@dataclass(frozen=True)
class CheckResult:
    """One check: what was checked, whether it passed, and what was found."""

    name: str
    ok: bool
    detail: str


# Invariants the program keeps that the schema alone does not enforce.
_CONSISTENCY_QUERIES = (
    (
        "Foam sites have ratio and gas",
        "SELECT count(*) FROM injection_sites WHERE form = 'foam' "
        "AND (foam_liquid_parts IS NULL OR foam_gas_parts IS NULL OR gas IS NULL)",
    ),
    (
        "Weights are in the allowed range",
        "SELECT count(*) FROM treatment_sessions WHERE weight_kg IS NOT NULL AND (weight_kg < 20 OR weight_kg > 350)",
    ),
    (
        "Signed sessions carry their signing time",
        "SELECT count(*) FROM treatment_sessions WHERE state = 'signed' AND signed_at IS NULL",
    ),
    (
        "Signed follow-up visits carry their signing time",
        "SELECT count(*) FROM follow_up_visits WHERE state = 'signed' AND signed_at IS NULL",
    ),
    (
        "Search words agree with their patient",
        "SELECT count(*) FROM patient_search_terms t JOIN patients p ON p.id = t.patient_id "
        "WHERE t.sort_key != p.sort_key OR t.archived != p.archived",
    ),
    (
        "Every patient can be found by search",
        "SELECT count(*) FROM patients p WHERE NOT EXISTS "
        "(SELECT 1 FROM patient_search_terms t WHERE t.patient_id = p.id)",
    ),
)


def _sqlite_checks(connection: Connection, quick: bool) -> list[CheckResult]:
    results = []
    pragma = "quick_check" if quick else "integrity_check"
    problems = [row[0] for row in connection.exec_driver_sql(f"PRAGMA {pragma}")]
    ok = problems == ["ok"]
    results.append(
        CheckResult(
            "File integrity", ok, "no damage found" if ok else f"{len(problems)} problems, first: {problems[0]}"
        )
    )
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    results.append(
        CheckResult(
            "Links between records",
            not broken,
            "every link points to an existing record"
            if not broken
            else f"{len(broken)} broken links, e.g. in {broken[0][0]}",
        )
    )
    mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    results.append(CheckResult("Write-ahead log", mode == "wal", f"journal mode is {mode}"))
    return results


def _catalogue_stamp(connection: Connection) -> CheckResult:
    """Whether every change to the catalogue is still marked (the marker lets a click skip reading it)."""
    if catalogue_repo.stamp_armed(connection):
        return CheckResult("Catalogue changes marked", True, "every change to the sclerosants is marked")
    return CheckResult(
        "Catalogue changes marked",
        False,
        "the database's marker of changes to the sclerosants is missing or switched off (removed or disabled "
        "outside ScleroChart); the dose check now reads the whole catalogue at every click, which is correct but "
        "slower. Putting back a backup taken before it went missing brings it back.",
    )


def _signed_sessions_guarded(connection: Connection) -> CheckResult:
    """Whether the database itself still refuses changes to signed sessions, their sites and amendments."""
    engine = connection.dialect.name
    if connection.execute(select(triggers.armed(engine, session_repo.FROZEN_TRIGGERS[engine]))).scalar():
        return CheckResult(
            "Signed sessions refuse changes", True, "the database refuses any change to a signed session's sites"
        )
    return CheckResult(
        "Signed sessions refuse changes",
        False,
        "the database's guard that keeps signed sessions, their sites and their amendments as they were signed is "
        "missing or switched off (removed or disabled outside ScleroChart), so they could be changed without the "
        "program. 'Signed sessions as signed' says whether any was. Putting back a backup taken before the guard "
        "went missing brings it back.",
    )


def _accepts_changes(db: Database) -> CheckResult:
    """Try a write that changes nothing, and roll it back."""
    try:
        with db.engine.connect() as connection, connection.begin() as transaction:
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except sqlalchemy.exc.DBAPIError as error:
        return CheckResult("Accepts changes", False, translate(error, db.display).message)
    return CheckResult("Accepts changes", True, "the database can be written")


def verify_audit_chain(db: Database) -> CheckResult:
    """Recompute the audit trail's hash chain from its first event; name the first event that does not fit."""
    previous = GENESIS
    count = 0
    with db.read() as tx:
        for event in audit_repo.events_in_order(tx):
            count += 1
            if event.previous_hash != previous:
                return CheckResult(
                    "Audit trail unbroken",
                    False,
                    f"the link before event {event.id} ({event.action} of {event.entity} {event.entity_id}, "
                    f"{event.at:%d.%m.%Y %H:%M}) is broken: an event before it was removed or changed",
                )
            expected = event_hash(
                previous, event.at, event.actor, event.action, event.entity, event.entity_id, event.origin,
                event.room, event.before, event.after,
            )  # fmt: skip
            if event.hash != expected:
                return CheckResult(
                    "Audit trail unbroken",
                    False,
                    f"event {event.id} ({event.action} of {event.entity} {event.entity_id}, "
                    f"{event.at:%d.%m.%Y %H:%M}) no longer matches what was written",
                )
            previous = event.hash
    return CheckResult("Audit trail unbroken", True, f"all {count} events are as they were written, in order")


def verify_signed_sessions(db: Database) -> CheckResult:
    """Recompute the seal of every session signed in the program; name the first whose rows changed since."""
    count = 0
    with db.read() as tx:
        connection = tx.connection()
        for event_id, session_id, sealed in sealed_sessions(connection):
            count += 1
            now = seal(connection, session_id, seal_version(sealed))
            if now != sealed:
                what = "is no longer stored" if now is None else "was changed after it was signed"
                return CheckResult(
                    "Signed sessions as signed",
                    False,
                    f"the session {session_id} (signed in event {event_id}) {what}: restore it from a backup "
                    "and find out who had access to the database",
                )
    return CheckResult("Signed sessions as signed", True, f"all {count} sessions signed here are as they were signed")


def verify_signed_visits(db: Database) -> CheckResult:
    """Recompute the seal of every signed follow-up visit; name the first whose rows changed since."""
    count = 0
    with db.read() as tx:
        connection = tx.connection()
        for event_id, visit_id, sealed in sealed_visits(connection):
            count += 1
            now = visit_seal(connection, visit_id)
            if now != sealed:
                what = "is no longer stored" if now is None else "was changed after it was signed"
                return CheckResult(
                    "Signed follow-up visits as signed",
                    False,
                    f"the follow-up visit {visit_id} (signed in event {event_id}) {what}: restore it from a backup "
                    "and find out who had access to the database",
                )
    return CheckResult("Signed follow-up visits as signed", True, f"all {count} signed visits are as they were signed")


def verify_photos(db: Database) -> CheckResult:
    """Every photo's picture against the SHA-256 written when it was added; name the first that differs."""
    count = 0
    with db.read() as tx:
        connection = tx.connection()
        expected = {photo_id: sha for photo_id, sha in connection.execute(select(PhotoRow.id, PhotoRow.sha256))}
        ids = sorted(expected)
        for start in range(0, len(ids), 50):  # a few pictures at a time: memory stays small
            chunk = ids[start : start + 50]
            for photo_id, data in connection.execute(select(PhotoRow.id, PhotoRow.data).where(PhotoRow.id.in_(chunk))):
                count += 1
                if hashlib.sha256(data).hexdigest() != expected[photo_id]:
                    return CheckResult(
                        "Photos as added",
                        False,
                        f"the photo {photo_id} is not the picture that was added: restore it from a backup and "
                        "find out who had access to the database",
                    )
    return CheckResult("Photos as added", True, f"all {count} photos are the pictures that were added")


def verify_amendments(db: Database) -> CheckResult:
    """Compare every amendment with what its signing event in the chained trail says it was; name the first not."""
    count = 0
    with db.read() as tx:
        connection = tx.connection()
        stored = {row.id: row for row in connection.execute(select(AmendmentRow.__table__))}
        events = select(AuditEventRow.id, AuditEventRow.entity_id, AuditEventRow.after).where(
            AuditEventRow.action == "amend", AuditEventRow.entity == "session"
        )
        for event_id, session_id, after in connection.execute(events.order_by(AuditEventRow.id)):
            if not isinstance(after, dict) or "id" not in after:
                continue
            count += 1
            row = stored.pop(int(after["id"]), None)
            if row is None or _amendment_values(row) != {key: after.get(key) for key in _AMENDMENT_FIELDS}:
                what = "is no longer stored" if row is None else "was changed after it was signed"
                return CheckResult(
                    "Amendments as signed",
                    False,
                    f"amendment {after.get('number')} of the session {session_id} (event {event_id}) {what}: "
                    "restore it from a backup and find out who had access to the database",
                )
    if stored:
        extra = min(stored)
        return CheckResult(
            "Amendments as signed",
            False,
            f"amendment {extra} has no signing event in the audit trail: it was slipped in",
        )
    return CheckResult("Amendments as signed", True, f"all {count} amendments are as they were signed")


_AMENDMENT_FIELDS = ("session_id", "number", "reason", "text", "corrections", "signed_by")


def _amendment_values(row: Any) -> dict[str, Any]:
    values = dict(row._mapping)
    return {key: values[key] for key in _AMENDMENT_FIELDS}


def run_checks(db: Database, *, quick: bool = False) -> list[CheckResult]:
    """Schema revision, file integrity (SQLite), links between records, and the program's own invariants."""
    results: list[CheckResult] = []
    with db.read() as tx:
        connection = tx.connection()
        state = schema_state(connection, db.display)
        results.append(
            CheckResult(
                "Schema revision",
                state.up_to_date,
                f"at {state.current}, the newest this program knows"
                if state.up_to_date
                else f"at {state.current}, expected {state.head}",
            )
        )
        if db.is_sqlite:
            results.extend(_sqlite_checks(connection, quick))
        for name, query in _CONSISTENCY_QUERIES:
            count = connection.execute(text(query)).scalar() or 0
            results.append(CheckResult(name, count == 0, "all in order" if count == 0 else f"{count} records do not"))
        if state.up_to_date:
            results.append(_catalogue_stamp(connection))
            results.append(_signed_sessions_guarded(connection))
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
            for table in ("patients", "treatment_sessions", "injection_sites", "audit_events")
        }
    results.append(verify_audit_chain(db))
    results.append(verify_signed_sessions(db))
    results.append(verify_signed_visits(db))
    results.append(verify_photos(db))
    results.append(verify_amendments(db))
    results.append(_accepts_changes(db))
    results.append(
        CheckResult(
            "Records",
            True,
            f"{counts['patients']} patients, {counts['treatment_sessions']} sessions, "
            f"{counts['injection_sites']} injection sites, {counts['audit_events']} audit events",
        )
    )
    return results
