"""Prepared statements (a click's, run past SQLAlchemy on SQLite) store and read exactly what SQLAlchemy would.

On both engines; on PostgreSQL they run through SQLAlchemy, so there the twins check the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

import pytest
import sqlalchemy.exc
from sqlalchemy import Connection, Table, bindparam, insert, literal, select, text

from sclerochart.domain.values import SessionDraft
from sclerochart.services import audit, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import core
from sclerochart.store.errors import DiskFullError
from sclerochart.store.integrity import verify_audit_chain
from sclerochart.store.models import AuditEventRow, InjectionSiteRow
from sclerochart.store.prepared import Prepared
from sclerochart.store.repositories import sessions as session_repo
from sclerochart.store.repositories import sites as site_repo
from tests.conftest import patient_draft
from tests.integration.test_services import site_draft

_SITES = cast(Table, InjectionSiteRow.__table__)
_EVENTS = cast(Table, AuditEventRow.__table__)


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft(family_name="אוחיון", given_name="Zoë\u200f"))
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    sites.add_site(ctx, session_id, site_draft(notes="Erste Stelle — مرحبا"))
    return session_id


@pytest.fixture
def connection(ctx: ServiceContext) -> Iterator[Connection]:
    """A write transaction's connection, rolled back at the end (nothing the test does stays)."""
    with ctx.db.engine.connect() as connection, connection.begin() as transaction:
        yield connection
        transaction.rollback()


def stored(connection: Connection, table: Table, row_id: int) -> tuple[Any, ...]:
    """A row's values as the database holds them, unconverted (each with its storage type on SQLite)."""
    columns = ", ".join(f'"{column.name}"' for column in table.columns if column.name != "id")
    if connection.dialect.name == "sqlite":
        columns = ", ".join(f'"{c.name}", typeof("{c.name}")' for c in table.columns if c.name != "id")
    return tuple(connection.exec_driver_sql(f"SELECT {columns} FROM {table.name} WHERE id = {row_id}").one())


def test_the_click_header_and_same_day_rows_read_as_sqlalchemy_reads_them(
    ctx: ServiceContext, session_id: str, connection: Connection
) -> None:
    sqlite = connection.dialect.name == "sqlite"
    prepared = session_repo._CLICK_HEADERS[sqlite]
    day_start = dt.datetime.combine(session_detail.get_session(ctx, session_id).session.started_at, dt.time())
    parameters = {
        "session_id": session_id,
        "agent_id": 1,
        "setting_key": "interval_weeks",
        "person_id": None,
        "day_start": day_start,
        "day_end": day_start + dt.timedelta(days=1),
    }
    if sqlite:
        parameters["triggers_seen"] = False
    ours = prepared.first(connection, parameters)
    theirs = connection.execute(prepared.statement, parameters).first()
    assert theirs is not None and ours is not None
    assert tuple(ours) == tuple(theirs)
    assert [type(value) for value in ours] == [type(value) for value in theirs]  # dates as dates, flags as bools
    assert ours.started_at == theirs.started_at and isinstance(ours.started_at, dt.datetime)
    assert prepared.first(connection, {**parameters, "session_id": "no such session"}) is None

    other = sessions.start_session(ctx, patients.search_patients(ctx, "")[0].id, SessionDraft(None, ctx.clock()))
    started = session_detail.get_session(ctx, other.id).session.started_at
    day = {
        "patient_id": patients.search_patients(ctx, "")[0].id,
        "except_session_id": other.id,
        "day_start": dt.datetime.combine(started.date(), dt.time()),
        "day_end": dt.datetime.combine(started.date(), dt.time()) + dt.timedelta(days=1),
    }
    rows = site_repo._SAME_DAY.all(connection, day)
    expected = connection.execute(site_repo._SAME_DAY.statement, day)
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert len(rows) == 1 and (rows[0].site_count, rows[0].amendments, rows[0].state) == (1, 0, "draft")


def test_a_site_and_its_event_are_stored_as_sqlalchemy_stores_them(
    ctx: ServiceContext, session_id: str, connection: Connection
) -> None:
    """The same values, once prepared and once through SQLAlchemy: the database holds the same (and same types)."""
    template = connection.execute(select(_SITES).where(_SITES.c.session_id == session_id)).one()._asdict()
    site = {key: value for key, value in template.items() if key != "id"}
    site.update(number=90, notes="NUL-free, right-to-left: שלום, 😀", lot_number="", override_reason="")
    ours = Prepared(insert(_SITES), tuple(site)).insert(connection, site)
    theirs = connection.execute(insert(_SITES), {**site, "number": 91}).inserted_primary_key[0]  # type: ignore[index]
    assert ours != theirs
    ours_stored, theirs_stored = stored(connection, _SITES, ours), stored(connection, _SITES, theirs)
    number = [column.name for column in _SITES.columns if column.name != "id"].index("number")
    step = 2 if connection.dialect.name == "sqlite" else 1
    assert ours_stored[: number * step] == theirs_stored[: number * step]
    assert ours_stored[(number + 1) * step :] == theirs_stored[(number + 1) * step :]

    at = dt.datetime(2026, 11, 26, 9, 30, 15, 250000)
    event = {
        "at": at,
        "actor": "Dr Ünal",
        "action": "create",
        "entity": "site",
        "entity_id": str(ours),
        "origin": "room",
        "room": "Raum 2",
        "before": None,
        "after": {"notes": "שלום", "volume_ml": 0.1 + 0.2, "nested": [1, None, True]},
        "previous_hash": "",
        "hash": "x" * 64,
    }
    ours = Prepared(insert(_EVENTS), tuple(event)).insert(connection, event)
    theirs = connection.execute(insert(_EVENTS), event).inserted_primary_key[0]  # type: ignore[index]
    assert stored(connection, _EVENTS, ours) == stored(connection, _EVENTS, theirs)


def test_a_prepared_statement_takes_every_parameter_it_names(connection: Connection) -> None:
    prepared = Prepared(select(literal(1).label("one")).where(bindparam("a", type_=None) == bindparam("b")))
    with pytest.raises(sqlalchemy.exc.SQLAlchemyError, match="value is required for bind parameter 'b'"):  # no NULL
        prepared.first(connection, {"a": 1})
    assert prepared.first(connection, {"a": 1, "b": 1}) == (1,)
    assert prepared.first(connection, {"a": 1, "b": 2}) is None


@pytest.mark.sqlite_only
def test_a_full_disk_during_a_click_saves_nothing_and_says_so(ctx: ServiceContext, session_id: str) -> None:
    """The driver's error comes out as the store's plain words; the click leaves nothing behind."""
    shown = session_detail.get_session(ctx, session_id)
    trail = audit.session_trail(ctx, session_id)
    with ctx.db.engine.connect() as connection:  # the click's own connection (one per thread)
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("CREATE TEMP TABLE filler (b BLOB)")
        driver.execute("PRAGMA temp.max_page_count = 2")  # what is put in it fills its disk: SQLite's own error
    for table in ("injection_sites", "audit_events", "treatment_sessions"):
        event = "INSERT" if table != "treatment_sessions" else "UPDATE"
        driver.execute(
            f"CREATE TEMP TRIGGER full_disk BEFORE {event} ON main.{table}"
            " BEGIN INSERT INTO filler VALUES (zeroblob(100000)); END"
        )
        try:
            with pytest.raises(DiskFullError, match="is full") as refused:
                sites.add_site(ctx, session_id, site_draft(height=40.0), shown=shown)
            assert "not saved" in refused.value.hint
        finally:
            driver.execute("DROP TRIGGER temp.full_disk")
        assert session_detail.get_session(ctx, session_id) == shown, table
    with ctx.db.read() as tx:
        assert core(tx).execute(text("SELECT count(*) FROM injection_sites")).scalar_one() == 1
    assert audit.session_trail(ctx, session_id) == trail
    change = sites.add_site(ctx, session_id, site_draft(height=40.0), shown=shown)
    assert [site.number for site in change.detail.sites] == [1, 2]
    assert verify_audit_chain(ctx.db).ok
