"""Queries on treatment sessions: look-ups, locks, the lists that find them, and their site counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Result,
    Row,
    Select,
    String,
    Table,
    bindparam,
    case,
    func,
    literal_column,
    null,
    select,
    true,
    update,
)
from sqlalchemy.orm.exc import StaleDataError

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import (
    AmendmentRow,
    ClinicSettingRow,
    InjectionSiteRow,
    PatientRow,
    PhotoRow,
    PractitionerRow,
    SessionLotRow,
    TreatmentSessionRow,
)
from sclerochart.store.prepared import Prepared
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import catalogue as catalogue_repo
from sclerochart.store.repositories import triggers


def session_row(tx: UnitOfWork, session_id: str, *, lock: bool = False) -> TreatmentSessionRow | None:
    """The stored session, or None; with `lock`, held until the unit of work ends and read afresh.

    SELECT … FOR UPDATE on PostgreSQL; SQLite's write transactions hold the whole file already.
    """
    return tx.get(TreatmentSessionRow, session_id, with_for_update=lock, populate_existing=lock)


StoredSession: TypeAlias = TreatmentSessionRow | Row[*tuple[Any, ...]]
"""A session as stored: its ORM row, or a plain row of its columns (what a click reads, no ORM object built)."""

_SESSIONS = cast(Table, TreatmentSessionRow.__table__)
_BUMP = Prepared(
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"), _SESSIONS.c.version == bindparam("from_version"))
    .values(version=bindparam("to_version"), updated_at=bindparam("now"))
)
"""Statements built once and prepared (`Prepared`): a click runs each of them."""

_PRACTITIONERS = cast(Table, PractitionerRow.__table__)
_EARLIER = _SESSIONS.alias("earlier")
_LOTS = cast(Table, SessionLotRow.__table__)
_SETTINGS = cast(Table, ClinicSettingRow.__table__)
_AMENDMENTS = cast(Table, AmendmentRow.__table__)
_SAME_DAY = _SESSIONS.alias("same_day")

FROZEN_TRIGGERS = {
    "sqlite": (
        ("treatment_sessions", "signed_session_no_update"),
        ("treatment_sessions", "signed_session_no_delete"),
        ("injection_sites", "injection_sites_signed_no_insert"),
        ("injection_sites", "injection_sites_signed_no_update"),
        ("injection_sites", "injection_sites_signed_no_delete"),
        ("amendments", "amendments_no_update"),
        ("amendments", "amendments_no_delete"),
    ),
    "postgresql": (
        ("treatment_sessions", "signed_session_frozen"),
        ("treatment_sessions", "treatment_sessions_no_truncate"),
        ("injection_sites", "injection_sites_signed_frozen"),
        ("injection_sites", "injection_sites_no_truncate"),
        ("amendments", "amendments_frozen"),
        ("amendments", "amendments_no_truncate"),
    ),
}
"""The triggers that keep a signed session's sites as signed and its amendments only ever added, by engine."""


def _same_day_sessions(sqlite: bool) -> Any:
    """The patient's other sessions started between `day_start` and `day_end` (none voided), as one text.

    "id|state|amendments|signed at" per session (signed at empty for a draft), comma-separated; "" for none;
    NULL when `day_start` is not given.
    """
    other = _SAME_DAY.c
    amendments = select(func.count()).where(_AMENDMENTS.c.session_id == other.id).scalar_subquery()
    bar: ColumnElement[str] = literal_column("'|'")
    signed_at = func.coalesce(other.signed_at.cast(String), "")
    entry = other.id + bar + other.state + bar + amendments.cast(String) + bar + signed_at
    comma: ColumnElement[str] = literal_column("','")
    joined = func.group_concat(entry, comma) if sqlite else func.string_agg(entry, comma)
    listed = (
        select(func.coalesce(joined, ""))
        .where(
            other.patient_id == _SESSIONS.c.patient_id,
            other.id != _SESSIONS.c.id,
            other.voided_at.is_(None),
            other.started_at >= bindparam("day_start", type_=DateTime),
            other.started_at < bindparam("day_end", type_=DateTime),
        )
        .scalar_subquery()
    )
    return case((bindparam("day_start", type_=DateTime).is_not(None), listed), else_=null())


def _click_header(sqlite: bool) -> Select[Any]:
    """The statement of `click_header` on SQLite (with the audit chain's head) or PostgreSQL (a NULL in its place)."""
    person = _PRACTITIONERS.c
    engine = "sqlite" if sqlite else "postgresql"
    stamp_armed = catalogue_repo.STAMP_ARMED[engine]
    return (
        select(
            *_SESSIONS.columns,
            select(person.name)
            .where(person.id == _SESSIONS.c.practitioner_id)
            .scalar_subquery()
            .label("practitioner_name"),
            select(func.max(_EARLIER.c.started_at))
            .where(
                _EARLIER.c.patient_id == _SESSIONS.c.patient_id,
                _EARLIER.c.started_at < _SESSIONS.c.started_at,
                _EARLIER.c.voided_at.is_(None),
            )
            .scalar_subquery()
            .label("previous_start"),
            select(_LOTS.c.lot_number)
            .where(_LOTS.c.session_id == _SESSIONS.c.id, _LOTS.c.agent_id == bindparam("agent_id"))
            .scalar_subquery()
            .label("agent_lot"),
            select(_SETTINGS.c.value)
            .where(_SETTINGS.c.key == bindparam("setting_key"))
            .scalar_subquery()
            .label("setting_value"),
            *(
                select(column).where(person.id == bindparam("person_id")).scalar_subquery().label(f"person_{name}")
                for name, column in (("active", person.active), ("role", person.role), ("name", person.name))
            ),
            (audit_repo.CHAIN_HEAD_SUBQUERY if sqlite else null()).label("audit_head"),
            catalogue_repo.catalogue_stamp_subquery(engine, _unless_seen(sqlite, stamp_armed)).label("catalogue_stamp"),
            _same_day_sessions(sqlite).label("same_day_sessions"),
            _unless_seen(sqlite, triggers.armed(engine, FROZEN_TRIGGERS[engine])).label("signed_frozen"),
            (_SCHEMA_VERSION if sqlite else _PG_TRIGGERS_MARKER).label("triggers_marker"),
        )
        .where(_SESSIONS.c.id == bindparam("session_id"))
        .with_for_update(of=_SESSIONS)
    )


_SCHEMA_VERSION: ColumnElement[Any] = literal_column("(SELECT schema_version FROM pragma_schema_version())")
"""SQLite's count of changes to the schema (tables, indexes, triggers): any trigger dropped or made moves it."""
_GUARDED = sorted(
    {name for _, name in FROZEN_TRIGGERS["postgresql"]} | set(catalogue_repo.STAMP_TRIGGERS["postgresql"])
)
_PG_TRIGGERS_MARKER: ColumnElement[Any] = literal_column(
    "(SELECT string_agg(t.tgname || ':' || t.xmin::text || ':' || t.tgenabled::text || ':' || p.xmin::text, ','"
    " ORDER BY t.tgname) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
    f" WHERE t.tgname IN ({', '.join(repr(name) for name in _GUARDED)}))"
)
"""On PostgreSQL, the row versions of the triggers the click's shortcuts trust and of their functions: dropping,
making, switching off or on any of them, or replacing a function, moves it."""
_SEEN_AT = "sclerochart_triggers_seen_at"
"""Where a SQLite connection keeps the schema version at which its click last found every trigger in place."""


def _unless_seen(sqlite: bool, armed: Any) -> Any:
    """On SQLite, `armed` looked at only when the `triggers_seen` parameter is false (see `click_header`)."""
    if not sqlite:
        return armed
    return case((bindparam("triggers_seen", type_=Boolean), true()), else_=armed)


_CLICK_HEADERS = {True: Prepared(_click_header(True)), False: Prepared(_click_header(False))}

ClickHeader: TypeAlias = Any
"""A session's columns and what a click needs besides (`click_header`): a row with them by name."""


def click_header(
    tx: UnitOfWork,
    session_id: str,
    agent_id: int,
    setting_key: str,
    person_id: int | None,
    day: dt.date | None = None,
) -> ClickHeader | None:
    """The session's columns, its row locked, and what placing a site needs besides; None when it is not stored.

    One statement instead of four (a click): the columns of the session, then `practitioner_name` (None without
    one), `previous_start` (as `previous_start`), `agent_lot` (the session's lot number of `agent_id`, None
    without one), `setting_value` (the stored value of the clinic setting `setting_key`, None when unset) and
    `person_active`, `person_role`, `person_name` (the account of `person_id`, None without one) and
    `catalogue_stamp` (`catalogue.catalogue_stamp_subquery`: None when its triggers are gone),
    `same_day_sessions` (the patient's other sessions started on `day`, none voided, as
    "id|state|amendments|signed at" joined by commas: "" for none, None without `day`), `signed_frozen`
    (whether every trigger that keeps signed sessions as signed is in place, `FROZEN_TRIGGERS`) and
    `triggers_marker` (moves whenever any of those triggers or the catalogue's is dropped, made, switched off or
    on: SQLite's schema version; on PostgreSQL the catalog rows' versions). On SQLite the audit chain's head is
    read too and given to `chain_head` (`audit.head_read_along`); the triggers are looked for only when the
    marker moved since they were last found (`triggers_seen`), else taken as found.

    The row is locked as `session_row(lock=True)` locks it (FOR UPDATE on PostgreSQL; SQLite's write transaction
    holds the whole file). On PostgreSQL a lock waited for gives the row as now committed, while the subqueries
    read the statement's snapshot: they agree because every change to a session's sites, lots or dates locks its
    patient's row first (`lock_patient_of_session`), and so did the caller. A writer that locked only the session
    could make them disagree.
    """
    day_start = None if day is None else dt.datetime.combine(day, dt.time())
    parameters = {
        "session_id": session_id,
        "agent_id": agent_id,
        "setting_key": setting_key,
        "person_id": person_id,
        "day_start": day_start,
        "day_end": None if day_start is None else day_start + dt.timedelta(days=1),
    }
    connection = core(tx)
    sqlite = connection.dialect.name == "sqlite"
    if not sqlite:
        return _CLICK_HEADERS[False].first(connection, parameters)
    # Looking for the triggers in SQLite's schema takes longer than the rest of the statement. Once found, they
    # are looked for again only when the schema has changed (its version, read by the same statement, moved).
    seen_at = connection.info.get(_SEEN_AT)
    row = _CLICK_HEADERS[True].first(connection, {**parameters, "triggers_seen": seen_at is not None})
    if row is None:
        return None
    if seen_at is not None and row.triggers_marker != seen_at:  # changed since: not looked at, so not trusted
        del connection.info[_SEEN_AT]
        row = row._replace(catalogue_stamp=None, signed_frozen=False)
    elif seen_at is None and row.catalogue_stamp is not None and row.signed_frozen:
        connection.info[_SEEN_AT] = row.triggers_marker
    audit_repo.head_read_along(tx, row.audit_head)
    return row


def bump_version(tx: UnitOfWork, session_id: str, from_version: int, now: dt.datetime) -> int:
    """Move the session's version on from `from_version` (its sites or tracings changed); the new version.

    Raises:
        StaleDataError: the stored version is no longer `from_version` (as the ORM's version check does).
    """
    to_version = from_version + 1
    parameters = {"session_id": session_id, "from_version": from_version, "to_version": to_version, "now": now}
    if _BUMP.count(core(tx), parameters) != 1:
        raise StaleDataError(f"treatment session {session_id} is no longer at version {from_version}")
    return to_version


def lock_patient_of_session(tx: UnitOfWork, session_id: str) -> None:
    """On PostgreSQL, lock the row of the session's patient (SQLite's write transactions hold the whole file)."""
    if tx.get_bind().dialect.name != "sqlite":
        patient_id = tx.scalar(select(TreatmentSessionRow.patient_id).where(TreatmentSessionRow.id == session_id))
        if patient_id is not None:
            tx.get(PatientRow, patient_id, with_for_update=True, populate_existing=True)


def latest_weight(tx: UnitOfWork, patient_id: str) -> float | None:
    """The weight recorded at the patient's latest session that has one."""
    return tx.scalars(
        select(TreatmentSessionRow.weight_kg)
        .where(TreatmentSessionRow.patient_id == patient_id, TreatmentSessionRow.weight_kg.is_not(None))
        .order_by(TreatmentSessionRow.started_at.desc())
        .limit(1)
    ).first()


_PREVIOUS_START = select(func.max(_SESSIONS.c.started_at)).where(
    _SESSIONS.c.patient_id == bindparam("patient_id"),
    _SESSIONS.c.started_at < bindparam("before"),
    _SESSIONS.c.voided_at.is_(None),
)


def previous_start(tx: UnitOfWork, patient_id: str, before: dt.datetime) -> dt.datetime | None:
    """When the patient's latest session (not voided) before `before` started, or None."""
    started: dt.datetime | None = core(tx).scalar(_PREVIOUS_START, {"patient_id": patient_id, "before": before})
    return started


def session_summary_rows(tx: UnitOfWork, patient_id: str) -> Result[*tuple[Any, ...]]:
    """(id, started at, practitioner name, site count, mL, state, voided at) of a patient's sessions, newest first."""
    # Counted over this patient's sessions only: grouping every site of the clinic took 2 s at 100,000 patients.
    counts = (
        select(
            InjectionSiteRow.session_id,
            func.count(InjectionSiteRow.id).label("sites"),
            func.coalesce(func.sum(InjectionSiteRow.volume_ml), 0.0).label("ml"),
        )
        .join(TreatmentSessionRow, TreatmentSessionRow.id == InjectionSiteRow.session_id)
        .where(TreatmentSessionRow.patient_id == patient_id)
        .group_by(InjectionSiteRow.session_id)
        .subquery()
    )
    statement = (
        select(
            TreatmentSessionRow.id,
            TreatmentSessionRow.started_at,
            func.coalesce(PractitionerRow.name, ""),
            func.coalesce(counts.c.sites, 0),
            func.coalesce(counts.c.ml, 0.0),
            TreatmentSessionRow.state,
            TreatmentSessionRow.voided_at,
        )
        .outerjoin(PractitionerRow, PractitionerRow.id == TreatmentSessionRow.practitioner_id)
        .outerjoin(counts, counts.c.session_id == TreatmentSessionRow.id)
        .where(TreatmentSessionRow.patient_id == patient_id)
        .order_by(TreatmentSessionRow.started_at.desc())
    )
    return tx.execute(statement)


def recent_session_rows(tx: UnitOfWork, limit: int) -> Sequence[Row[TreatmentSessionRow, str, str, str, str]]:
    """(session row, chart number, family name, given name, name order) of the latest sessions, newest first."""
    return tx.execute(
        select(
            TreatmentSessionRow,
            PatientRow.chart_number,
            PatientRow.family_name,
            PatientRow.given_name,
            PatientRow.name_order,
        )
        .join(PatientRow, PatientRow.id == TreatmentSessionRow.patient_id)
        .order_by(TreatmentSessionRow.started_at.desc())
        .limit(limit)
    ).all()


def site_counts(tx: UnitOfWork, session_ids: Iterable[str]) -> Result[str, int, float]:
    """(session id, site count, mL) of each of these sessions that has sites."""
    return tx.execute(
        select(
            InjectionSiteRow.session_id,
            func.count(InjectionSiteRow.id),
            func.coalesce(func.sum(InjectionSiteRow.volume_ml), 0.0),
        )
        .where(InjectionSiteRow.session_id.in_(session_ids))
        .group_by(InjectionSiteRow.session_id)
    )


def site_count_of_form(tx: UnitOfWork, session_id: str, form: str) -> int | None:
    """How many of the session's sites are of this form (liquid or foam)."""
    return tx.scalar(
        select(func.count())
        .select_from(InjectionSiteRow)
        .where(InjectionSiteRow.session_id == session_id, InjectionSiteRow.form == form)
    )


def session_ids_starting(tx: UnitOfWork, prefix: str) -> Sequence[str]:
    """Up to two session ids that start with `prefix` (one means the prefix names a single session)."""
    return tx.scalars(
        select(TreatmentSessionRow.id).where(TreatmentSessionRow.id.startswith(prefix, autoescape=True)).limit(2)
    ).all()


def patients_of_sessions(tx: UnitOfWork, session_ids: Iterable[str]) -> frozenset[str]:
    """The ids of the patients these sessions belong to."""
    return frozenset(
        tx.scalars(select(TreatmentSessionRow.patient_id).where(TreatmentSessionRow.id.in_(session_ids)).distinct())
    )


def photo_count(tx: UnitOfWork, session_id: str) -> int:
    """How many photos the session has."""
    return int(tx.scalar(select(func.count()).select_from(PhotoRow).where(PhotoRow.session_id == session_id)) or 0)


def amendment_rows(tx: UnitOfWork, session_id: str) -> Sequence[AmendmentRow]:
    """The session's amendments, oldest first."""
    return tx.scalars(
        select(AmendmentRow).where(AmendmentRow.session_id == session_id).order_by(AmendmentRow.number)
    ).all()
