"""The daily limit counts the patient's other sessions of the day; a click reads them only when it must.

A click lists the other sessions of the day with the session's own statement. None: nothing more is read.
Signed ones read before (and still with the same amendments, the triggers that freeze them in place): their
doses are taken as read then. Anything else (a draft in another room, a new amendment, a trigger gone): read.
Every case on both engines, each against the doses worked out afresh by opening the session.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from sclerochart.domain.signing import AmendmentDraft, Correction
from sclerochart.domain.values import SessionDraft
from sclerochart.readmodels import SessionDetail
from sclerochart.services import patients, session_detail, sessions, signatures, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.store.integrity import run_checks
from sclerochart.store.repositories import sessions as session_repo
from tests.conftest import FixedClock, patient_draft
from tests.integration.test_quick_paths import statements_run
from tests.integration.test_services import site_draft
from tests.signing import PASSWORD, sign, signed_in

GUARD_CHECK = "Signed sessions refuse changes"
"""The line of `sclerochart check` that says whether the triggers the shortcut relies on are in place."""
_SAME_DAY_READ = "GROUP BY"
"""What only the statement that reads the other sessions' doses has, of a click's statements."""


@pytest.fixture
def patient_id(ctx: ServiceContext) -> str:
    signed_in(ctx)
    return patients.create_patient(ctx, patient_draft()).id


def start(ctx: ServiceContext, patient_id: str, clock: FixedClock) -> SessionDetail:
    clock.now += dt.timedelta(minutes=30)
    session_id = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=80.0)).id
    return session_detail.get_session(ctx, session_id)


def click(
    ctx: ServiceContext, shown: SessionDetail, height: float, volume_ml: float = 0.2
) -> tuple[SessionDetail, bool]:
    """Add a site as the charting screen does; the session after it, and whether the day's doses were read."""
    with statements_run(ctx) as ran:
        draft = site_draft(height=height, volume_ml=volume_ml)
        detail = sites.add_site(ctx, shown.session.id, draft, shown=shown).detail
    assert any(statement.startswith("INSERT INTO injection_sites") for statement in ran), "the click was traced"
    return detail, any(_SAME_DAY_READ in statement for statement in ran)


def signed_morning_and_next(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> tuple[SessionDetail, SessionDetail, bool]:
    """A morning session of one 0.25 mL site, signed; then the next session and its first click.

    (the morning session, the next session after its click, whether that click read the day's doses)
    """
    morning = start(ctx, patient_id, clock)
    morning, _ = click(ctx, morning, 10, volume_ml=0.25)
    sign(ctx, morning.session.id)
    shown, read = click(ctx, start(ctx, patient_id, clock), 10)
    return morning, shown, read


def fresh(ctx: ServiceContext, shown: SessionDetail) -> dict[int, float]:
    """The other sessions' milligrams as opening the session works them out (read in full)."""
    return session_detail.get_session(ctx, shown.session.id).earlier_mg


def test_with_no_other_session_that_day_nothing_more_is_read(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    shown = start(ctx, patient_id, clock)
    shown, read = click(ctx, shown, 10)
    shown, read = click(ctx, shown, 20)
    assert not read and shown.earlier_mg == {} == fresh(ctx, shown)


def test_a_signed_session_of_the_day_is_read_once_then_taken_as_read(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    morning = start(ctx, patient_id, clock)
    for height in (10, 20, 30):
        morning, _ = click(ctx, morning, height, volume_ml=0.3)
    sign(ctx, morning.session.id)
    shown = start(ctx, patient_id, clock)
    shown, first = click(ctx, shown, 10)
    shown, second = click(ctx, shown, 20)
    assert first and not second
    assert shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx(3 * 0.3 * 5)  # 0.5 %

    signatures.amend_session(
        ctx,
        morning.session.id,
        AmendmentDraft("Volume misread", "", (Correction(2, "volume_ml", None, 0.1),)),
        PASSWORD,
    )
    shown, after_amendment = click(ctx, shown, 30)
    assert after_amendment, "a new amendment is read"
    assert shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx((0.3 + 0.1 + 0.3) * 5)
    shown, again = click(ctx, shown, 40)
    assert not again and shown.earlier_mg == fresh(ctx, shown)


def test_a_draft_in_another_room_is_read_at_every_click(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    other_room = ServiceContext(ctx.db, actor="room 2", clock=clock)
    signed_in(other_room)
    there = start(other_room, patient_id, clock)
    there, _ = click(other_room, there, 10)
    shown = start(ctx, patient_id, clock)
    shown, first = click(ctx, shown, 10)
    there, _ = click(other_room, there, 20, volume_ml=0.3)
    shown, second = click(ctx, shown, 20)
    assert first and second
    assert shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx((0.2 + 0.3) * 5)
    signatures.void_session(other_room, there.session.id, "Charted on the wrong patient", there.session.version)
    shown, _ = click(ctx, shown, 30)
    assert shown.earlier_mg == {} == fresh(ctx, shown), "a voided session no longer counts"


def test_a_session_moved_to_another_day_counts_that_days_sessions(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    _, shown, _ = signed_morning_and_next(ctx, patient_id, clock)
    assert shown.earlier_mg == fresh(ctx, shown) != {}
    header = shown.session
    moved = header.started_at - dt.timedelta(days=3)
    sessions.update_session(ctx, header.id, SessionDraft(None, moved, weight_kg=80.0), header.details_version)
    stale = shown  # the screen still shows the old day
    shown, _ = click(ctx, stale, 20)
    assert shown.earlier_mg == {} == fresh(ctx, shown)


def test_with_a_trigger_that_freezes_signed_sessions_gone_the_doses_are_read(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    morning, shown, _ = signed_morning_and_next(ctx, patient_id, clock)
    with ctx.db.engine.begin() as connection:
        if ctx.db.is_sqlite:
            connection.execute(text("DROP TRIGGER injection_sites_signed_no_update"))
        else:
            connection.execute(text("ALTER TABLE injection_sites DISABLE TRIGGER injection_sites_signed_frozen"))
        # Possible only now: a signed session's site changed behind the program.
        connection.execute(
            text("UPDATE injection_sites SET volume_ml = 0.8 WHERE session_id = :id"), {"id": morning.session.id}
        )
        day_start = dt.datetime.combine(shown.session.started_at.date(), dt.time())
        parameters = {"session_id": shown.session.id, "agent_id": 1, "setting_key": "", "person_id": None}
        if ctx.db.is_sqlite:
            parameters["triggers_seen"] = False  # look
        header = connection.execute(
            session_repo._CLICK_HEADERS[ctx.db.is_sqlite].statement,
            {**parameters, "day_start": day_start, "day_end": day_start + dt.timedelta(days=1)},
        ).one()
    assert not header.signed_frozen and header.same_day_sessions.startswith(f"{morning.session.id}|signed|0|")
    (guarded,) = [
        result for result in run_checks(ctx.db, quick=True) if result.name == "Signed sessions refuse changes"
    ]
    assert not guarded.ok and "backup" in guarded.detail
    shown, read = click(ctx, shown, 20)
    assert read and shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx(0.8 * 5)


def test_doses_kept_while_a_trigger_was_gone_are_forgotten_when_it_is_back(
    ctx: ServiceContext, patient_id: str, clock: FixedClock
) -> None:
    """Dropped (switched off), a signed site changed, made again (on): the next clicks read, on any connection."""
    morning, shown, first = signed_morning_and_next(ctx, patient_id, clock)
    shown, second = click(ctx, shown, 20)
    assert first and not second  # kept
    with ctx.db.engine.begin() as connection:
        if ctx.db.is_sqlite:
            made = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'injection_sites_signed_no_update'")
            ).scalar_one()
            connection.execute(text("DROP TRIGGER injection_sites_signed_no_update"))
        else:
            connection.execute(text("ALTER TABLE injection_sites DISABLE TRIGGER injection_sites_signed_frozen"))
        connection.execute(
            text("UPDATE injection_sites SET volume_ml = 0.3 WHERE session_id = :id"), {"id": morning.session.id}
        )
        if ctx.db.is_sqlite:
            connection.execute(text(made))
        else:
            connection.execute(text("ALTER TABLE injection_sites ENABLE TRIGGER injection_sites_signed_frozen"))
    shown, third = click(ctx, shown, 30)
    assert third and shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx(0.3 * 5)
    ctx.db.engine.dispose()  # a connection of its own, which never saw the triggers gone
    shown, _ = click(ctx, shown, 40)
    assert shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx(0.3 * 5)
    shown, fifth = click(ctx, shown, 50)
    assert not fifth and shown.earlier_mg[1] == pytest.approx(0.3 * 5)  # kept again, as now stored


@pytest.mark.sqlite_only
def test_a_copy_of_the_database_keeps_its_own_doses(
    ctx: ServiceContext, patient_id: str, clock: FixedClock, tmp_path: Path
) -> None:
    """The same signed session signed with other sites in a copy (a backup put back, say): each counts its own."""
    morning = start(ctx, patient_id, clock)
    morning, _ = click(ctx, morning, 10, volume_ml=0.25)
    copy_path = tmp_path / "copy.sqlite3"
    with ctx.db.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        target = sqlite3.connect(copy_path)
        driver.backup(target)
        target.close()
    signing = clock.now
    sign(ctx, morning.session.id)
    shown = start(ctx, patient_id, clock)
    shown, _ = click(ctx, shown, 10)
    copy = open_database(str(copy_path))
    try:
        there = ServiceContext(copy, actor="tester", clock=clock)
        signed_in(there)
        in_copy = session_detail.get_session(there, morning.session.id)
        for height in (20, 30, 40):
            in_copy, _ = click(there, in_copy, height, volume_ml=0.3)
        clock.now = signing  # signed at the very same moment in both: only the database tells them apart
        sign(there, morning.session.id)
        clock.now += dt.timedelta(hours=2)
        later = start(there, patient_id, clock)
        later, _ = click(there, later, 10)
        assert later.earlier_mg == fresh(there, later) and later.earlier_mg[1] == pytest.approx((0.25 + 0.9) * 5)
    finally:
        copy.close()
    shown, _ = click(ctx, shown, 20)
    assert shown.earlier_mg == fresh(ctx, shown) and shown.earlier_mg[1] == pytest.approx(0.25 * 5)


def test_every_trigger_the_shortcut_relies_on_is_there_at_the_newest_revision(ctx: ServiceContext) -> None:
    engine = "sqlite" if ctx.db.is_sqlite else "postgresql"
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if ctx.db.is_sqlite
        else "SELECT tgname FROM pg_trigger WHERE tgenabled <> 'D'"
    )
    with ctx.db.engine.connect() as connection:
        present = {name for (name,) in connection.execute(text(query))}
    assert {name for _, name in session_repo.FROZEN_TRIGGERS[engine]} <= present
    (guarded,) = [
        result for result in run_checks(ctx.db, quick=True) if result.name == "Signed sessions refuse changes"
    ]
    assert guarded.ok
