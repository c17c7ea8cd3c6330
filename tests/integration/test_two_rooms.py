"""Two rooms on one database, at the same moment: nothing acknowledged is lost, nothing stale is written.

Each room is its own Database (its own connections) on the same SQLite file or PostgreSQL database; the
threads meet at a barrier so their changes really overlap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

import pytest

from sclerochart.domain.diagram import point_for
from sclerochart.domain.dose import ReasonNeeded
from sclerochart.domain.errors import StaleError, UserError
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import audit, catalogue, changes, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from tests.conftest import FixedClock, patient_draft

T = TypeVar("T")


def draft(height: float = 30.0, volume: float = 0.2) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, volume, VesselType.TELANGIECTASIA)


@pytest.fixture
def other_db(db: Database, db_url: str) -> Iterator[Database]:
    """The second room: its own connections to the same database."""
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def rooms(ctx: ServiceContext, other_db: Database, clock: FixedClock) -> tuple[ServiceContext, ServiceContext]:
    return ctx, ServiceContext(other_db, actor="Nurse Ruth", clock=clock, room="Room 2")


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft())
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=80.0)).id


def at_once(*calls: Callable[[], T]) -> list[T | UserError]:
    """Run the calls in threads that start together; each result, or the UserError it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[T | UserError] = [UserError("did not run")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except UserError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_rooms_placing_sites_at_once_all_get_stored_with_their_own_numbers(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms

    def place(ctx: ServiceContext, count: int) -> int:
        for index in range(count):
            sites.add_site(ctx, session_id, draft(20 + index % 40))
        return count

    assert at_once(lambda: place(first, 30), lambda: place(second, 30)) == [30, 30]
    stored = session_detail.get_session(first, session_id).sites
    assert sorted(site.number for site in stored) == list(range(1, 61))


def test_two_rooms_saving_the_session_at_once_one_is_stored_the_other_is_told(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms
    for round_number in range(10):
        seen = session_detail.get_session(first, session_id).session
        mine = replace(seen.draft(), notes=f"room 1, round {round_number}")
        theirs = replace(seen.draft(), notes=f"room 2, round {round_number}")
        results = at_once(
            lambda m=mine, v=seen.details_version: sessions.update_session(first, session_id, m, v),  # type: ignore[misc]
            lambda t=theirs, v=seen.details_version: sessions.update_session(second, session_id, t, v),  # type: ignore[misc]
        )
        refused = [r for r in results if isinstance(r, StaleError)]
        stored = [r for r in results if not isinstance(r, UserError)]
        assert len(stored) == 1 and len(refused) == 1, results
        assert session_detail.get_session(first, session_id).session.notes == stored[0].notes


def test_a_drag_and_a_volume_edit_from_two_rooms_never_lose_one_silently(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms
    (site,) = sites.add_site(first, session_id, draft()).sites
    x, y = point_for(View.ANTERIOR, 0, 40, 0.0)
    for round_number in range(10):
        seen = session_detail.get_session(first, session_id).sites[0]
        moved = replace(seen.draft(), x=x, y=y - round_number / 1000)
        edited = replace(seen.draft(), volume_ml=round(0.1 + round_number / 100, 2))
        results = at_once(
            lambda s=seen, d=moved: sites.move_site(first, s.id, d.view, d.x, d.y, s.version),  # type: ignore[misc]
            lambda s=seen, d=edited: sites.edit_site(second, s.id, d, s.version),  # type: ignore[misc]
        )
        assert sum(isinstance(r, StaleError) for r in results) == 1, results
        stored = session_detail.get_session(first, session_id).sites[0]
        (winner,) = [r.sites[0] for r in results if not isinstance(r, UserError)]
        assert stored == winner, "what was acknowledged is what is stored"
    assert stored.id == site.id


def test_a_change_from_a_screen_that_missed_another_rooms_edit_is_refused_and_names_them(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms
    (seen,) = sites.add_site(first, session_id, draft()).sites
    sites.edit_site(second, seen.id, replace(seen.draft(), volume_ml=0.3), seen.version)
    with pytest.raises(StaleError, match="Site 1 was changed by Nurse Ruth on Room 2 at 10:30"):
        sites.move_site(first, seen.id, View.ANTERIOR, *point_for(View.ANTERIOR, 0, 50, 0.0), seen.version)
    with pytest.raises(StaleError):
        sites.remove_site(first, seen.id, seen.version)
    assert session_detail.get_session(first, session_id).sites[0].volume_ml == 0.3


def test_saving_a_preset_works_on_a_new_clinic(ctx: ServiceContext) -> None:
    """The seeded presets took ids 1-7: on PostgreSQL the id sequence must have moved past them."""
    seeded = catalogue.list_presets(ctx)
    saved = catalogue.save_preset(ctx, replace(seeded[0], id=0, key=9, name="Reticular 1 %"))
    assert saved.id > max(preset.id for preset in seeded)
    assert [p.id for p in catalogue.list_presets(ctx) if p.key == 9] == [saved.id]


def test_other_rooms_changes_are_reported_and_this_rooms_are_not(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms
    mark = changes.latest_change(first)
    sites.add_site(first, session_id, draft())
    assert not changes.changes_since(first, mark)[1]
    mark = changes.latest_change(first)
    (theirs,) = sites.add_site(second, session_id, draft(40)).sites
    patient = patients.create_patient(second, patient_draft(chart_number="SC-0002"))
    mark, seen = changes.changes_since(first, mark)
    assert seen.sessions == {session_id} and patient.id in seen.patients and seen.elsewhere
    assert not changes.changes_since(first, mark)[1], "each change is reported once"
    sites.remove_site(second, theirs.id, theirs.version)
    assert changes.changes_since(first, mark)[1].sessions == {session_id}


def test_two_copies_starting_at_once_on_an_empty_database_both_come_up(db_url: str) -> None:
    opened = at_once(lambda: open_database(db_url), lambda: open_database(db_url))
    try:
        assert all(isinstance(db, Database) for db in opened), opened
        for database in opened:
            assert isinstance(database, Database)
            ctx = ServiceContext(database, actor="tester", clock=lambda: dt.datetime(2026, 11, 23, 10, 30))
            assert len(catalogue.list_presets(ctx)) == 7
    finally:
        for database in opened:
            if isinstance(database, Database):
                database.close()


def test_a_change_committed_after_a_later_one_still_reaches_the_other_room(
    rooms: tuple[ServiceContext, ServiceContext], db_url: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL ids are handed out at insert but commits come in any order: a late commit is not skipped."""
    first, second = rooms
    third_db = open_database(db_url)
    try:
        third = ServiceContext(third_db, actor="Dr Lee", clock=clock, room="Room 3")
        patient = patients.create_patient(first, patient_draft())
        other = patients.create_patient(first, patient_draft(chart_number="SC-0002", family_name="Other"))
        mark = changes.latest_change(first)
        inserted, release = threading.Event(), threading.Event()
        real_record = audit.record

        def slow_record(tx: Any, ctx: ServiceContext, *args: Any, **kwargs: Any) -> None:
            real_record(tx, ctx, *args, **kwargs)
            if ctx is second:  # room 2's audit row has its id; its commit comes a moment later
                tx.flush()
                inserted.set()
                release.wait(10)

        monkeypatch.setattr(audit, "record", slow_record)
        renamed = replace(patient.draft(), allergies="latex")
        late = threading.Thread(target=lambda: patients.update_patient(second, patient.id, renamed, patient.version))
        late.start()
        assert inserted.wait(10)
        early = threading.Thread(
            target=lambda: patients.update_patient(third, other.id, replace(other.draft(), notes="x"), other.version)
        )
        early.start()
        early.join(1.0)  # PostgreSQL: commits now with a later id; SQLite: waits for room 2's write lock
        mark, first_look = changes.changes_since(first, mark)
        release.set()
        late.join(10)
        early.join(10)
        mark, second_look = changes.changes_since(first, mark)
        seen = first_look.patients | second_look.patients
        assert patients.get_patient(first, patient.id).allergies == "latex"
        assert {patient.id, other.id} <= seen, "every stored change reaches the other room, whatever its commit order"
    finally:
        third_db.close()


def test_the_daily_limit_holds_when_two_rooms_chart_one_patient_at_once(
    rooms: tuple[ServiceContext, ServiceContext], clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sessions of one patient the same day, charted at once: together they may not pass the limit unasked."""
    first, second = rooms
    polidocanol = catalogue.sclerosants_by_id(first)[1]
    catalogue.set_sclerosant_limit(first, 1, "max_mg_per_kg_day", 0.01, polidocanol.version)  # 80 kg: 0.8 mg
    patient = patients.create_patient(first, patient_draft())
    one = sessions.start_session(first, patient.id, SessionDraft(None, clock(), weight_kg=80.0)).id
    two = sessions.start_session(second, patient.id, SessionDraft(None, clock(), weight_kg=80.0)).id
    barrier = threading.Barrier(2, timeout=3)
    real_inputs = session_detail.dose_inputs

    def read_then_wait(tx: Any, row: Any, shown: Any = None, along: Any = None) -> Any:
        found = real_inputs(tx, row, shown, along)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # both rooms have read the other session before either stores (unless one must wait)
        return found

    monkeypatch.setattr(sites, "dose_inputs", read_then_wait)
    small = replace(draft(volume=0.1), concentration=0.5)  # 0.5 mg each
    results = at_once(
        lambda: sites.add_site(first, one, small),
        lambda: sites.add_site(second, two, replace(small, y=draft(50).y)),
    )
    assert sum(isinstance(result, ReasonNeeded) for result in results) == 1, results
    stored = [site for sid in (one, two) for site in session_detail.get_session(first, sid).sites]
    assert len(stored) == 1 and not stored[0].override_reason


def test_a_burst_of_more_changes_than_the_feed_watches_refreshes_everything(
    rooms: tuple[ServiceContext, ServiceContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = rooms
    monkeypatch.setattr(changes, "WINDOW", 2)
    mark = changes.latest_change(first)
    for number in range(3):
        patients.create_patient(second, patient_draft(chart_number=f"SC-10{number}"))
    mark, seen = changes.changes_since(first, mark)
    assert seen.everything and seen.elsewhere
    assert not changes.changes_since(first, mark)[1]


@pytest.mark.usefixtures("without_injection_maximum")
def test_a_reason_given_for_one_overrun_does_not_cover_a_larger_one_another_room_caused_meanwhile(
    rooms: tuple[ServiceContext, ServiceContext], session_id: str
) -> None:
    first, second = rooms
    sites.add_site(first, session_id, replace(draft(volume=6.0), concentration=1.0))  # 60 of 160 mg (80 kg)
    over = replace(draft(40, volume=11.0), concentration=1.0)  # to 170 mg
    with pytest.raises(ReasonNeeded) as asked:
        sites.add_site(first, session_id, over)
    shown = asked.value.findings
    sites.add_site(second, session_id, replace(draft(50, volume=1.0), concentration=1.0, override_reason="Agreed"))
    with pytest.raises(ReasonNeeded, match="180 mg"):  # the question is asked again with what is true now
        sites.add_site(first, session_id, replace(over, override_reason="Large feeder"), confirmed=shown)
    stored = sites.add_site(first, session_id, replace(over, override_reason="Large feeder"))
    assert stored.sites[0].override_reason == "Large feeder"
