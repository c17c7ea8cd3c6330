"""Two rooms on one database, at the same moment: nothing acknowledged is lost, nothing stale is written.

Each room is its own Database (its own connections) on the same SQLite file or PostgreSQL database; the
threads meet at a barrier so their changes really overlap.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import pytest

from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import StaleError, UserError
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import catalogue, changes, patients, session_detail, sessions, sites
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
            lambda m=mine, v=seen.version: sessions.update_session(first, session_id, m, v),  # type: ignore[misc]
            lambda t=theirs, v=seen.version: sessions.update_session(second, session_id, t, v),  # type: ignore[misc]
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
    first = catalogue.list_presets(ctx)[0]
    saved = catalogue.save_preset(ctx, replace(first, id=0, key=9, name="Reticular 1 %"))
    assert saved.id not in {p.id for p in catalogue.list_presets(ctx) if p.id != saved.id}
    assert catalogue.list_presets(ctx)[-1].key is None or any(p.key == 9 for p in catalogue.list_presets(ctx))


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
