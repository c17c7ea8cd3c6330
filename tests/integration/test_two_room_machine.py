"""Two rooms charting one session at random, each a real controller on its own connection (Hypothesis state machine).

A room's change watch looks when the machine says so (as its timer would, any time within a second), so a
room often acts from a screen that has not yet seen the other room's change. After every step:
- a room that acted last, or whose watch looked since the other room acted, shows exactly what a fresh read of
  its open session gives (totals, limits and findings included);
- every change a room was told was saved is still stored, field by field, unless a later saved change replaced
  it; a change refused with a message leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import SessionDraft, View
from sclerochart.readmodels import Changes
from sclerochart.services import catalogue, clinic, patients, session_detail, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from sclerochart.store.integrity import verify_audit_chain
from sclerochart.ui.change_watch import ChangeWatch
from sclerochart.ui.charting_commands import AddSitesCommand, EditSiteCommand
from sclerochart.ui.charting_controller import ChartingController
from tests.conftest import FixedClock, patient_draft

SPOTS = [(View.ANTERIOR, 0, height) for height in range(20, 80, 6)] + [(View.POSTERIOR, 1, h) for h in (35, 50, 65)]
POSITION = ("view", "x", "y")


def acts(method: Callable[..., None]) -> Callable[..., None]:
    """A room acts: the other room's screen may now be behind; this room's is in step if it was redrawn."""

    @functools.wraps(method)
    def acting(self: TwoRooms, who: int, **arguments: Any) -> None:
        controller = self.rooms[who].controller
        shown = controller.detail
        self.synced[1 - who] = False
        try:
            method(self, who=who, **arguments)
        finally:
            if controller.detail is not shown:
                self.synced[who] = True

    return acting


class Room:
    """One treatment room: a controller on its own database connection, with its change watch."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.api = ServiceApi(ctx)
        self.stack = QUndoStack()
        self.controller = ChartingController(self.api, self.stack, lambda findings, _doing: "Agreed with the patient")
        self.refusals = 0
        self.controller.failed.connect(self._refused)
        self.watch = ChangeWatch(self.api)
        self.watch.changed.connect(self.controller.on_changes)

    def _refused(self, _error: UserError) -> None:
        self.refusals += 1


class TwoRooms(RuleBasedStateMachine):
    """Random charting in two rooms on one session; a second patient's session to switch to."""

    databases: tuple[Database, Database]
    clock: FixedClock

    def __init__(self) -> None:
        super().__init__()
        first_db, second_db = self.databases
        self.rooms = [
            Room(ServiceContext(first_db, "Dr. Ana Müller", clock=self.clock, room="Room 1")),
            Room(ServiceContext(second_db, "Nurse Ruth", clock=self.clock, room="Room 2")),
        ]
        ctx = self.rooms[0].ctx
        self.clock.now += dt.timedelta(days=60)  # a new day for each example: no same-day doses between examples
        number = self.clock.now.strftime("%y%m%d%H%M%S")
        patient = patients.create_patient(ctx, patient_draft(chart_number=f"A{number}"))
        other = patients.create_patient(ctx, patient_draft(chart_number=f"B{number}", family_name="Иванов"))
        draft = SessionDraft(None, self.clock.now, weight_kg=70.0)
        self.session_id = sessions.start_session(ctx, patient.id, draft).id
        self.other_id = sessions.start_session(ctx, other.id, draft).id
        for room in self.rooms:
            room.watch.start()
            room.controller.open_session(self.session_id)
        self.synced = [True, True]
        """Whether each room has acted or looked since the other room last acted."""
        self.model: dict[int, dict[str, Any]] = {}
        """Site number → the last saved value of each field, as the rooms were told."""
        self.notes: str = ""

    # Helpers ---------------------------------------------------------------------------------------------
    def _stored(self) -> dict[int, Any]:
        return {site.number: site for site in session_detail.get_session(self.rooms[0].ctx, self.session_id).sites}

    def _pick(self, room: Room, index: int) -> Any:
        detail = room.controller.detail
        if detail is None or detail.session.id != self.session_id or not detail.sites:
            return None
        return detail.sites[index % len(detail.sites)]

    def _saved(self, room: Room, before: int) -> bool:
        QApplication.processEvents()
        return room.refusals == before

    def _ack_site(self, room: Room, number: int, fields: tuple[str, ...] | None = None) -> None:
        detail = room.controller.detail
        assert detail is not None
        site = next(s for s in detail.sites if s.number == number)
        names = fields or ("view", "x", "y", "volume_ml", "agent_id", "concentration", "form")
        self.model.setdefault(number, {}).update({name: getattr(site, name) for name in names})

    # Rules -------------------------------------------------------------------------------------------------
    @rule(who=st.integers(0, 1))
    def watch_looks(self, who: int) -> None:
        self.rooms[who].watch.poll()
        QApplication.processEvents()
        self.synced[who] = True

    @rule(who=st.integers(0, 1), spot=st.sampled_from(SPOTS), across=st.floats(-0.4, 0.4))
    @acts
    def place(self, who: int, spot: tuple[View, int, int], across: float) -> None:
        room = self.rooms[who]
        before = room.refusals
        site = room.controller.place_site(spot[0], *point_for(spot[0], spot[1], spot[2], across))
        if site is not None and self._saved(room, before) and room.controller.session_id == self.session_id:
            self._ack_site(room, site.number)

    @rule(who=st.integers(0, 1), index=st.integers(0, 50), spot=st.sampled_from(SPOTS))
    @acts
    def move(self, who: int, index: int, spot: tuple[View, int, int]) -> None:
        room = self.rooms[who]
        site = self._pick(room, index)
        if site is None:
            return
        before = room.refusals
        if room.controller.move_site(site.id, spot[0], *point_for(spot[0], spot[1], spot[2], 0.1)):
            assert self._saved(room, before)
            self._ack_site(room, site.number, POSITION)

    @rule(who=st.integers(0, 1), index=st.integers(0, 50), volume=st.sampled_from([0.1, 0.2, 0.3, 0.5]))
    @acts
    def edit_volume(self, who: int, index: int, volume: float) -> None:
        room = self.rooms[who]
        site = self._pick(room, index)
        if site is None:
            return
        before = room.refusals
        if room.controller.edit_site(site.id, replace(site.draft(), volume_ml=volume)):
            assert self._saved(room, before)
            self._ack_site(room, site.number, ("volume_ml",))

    @rule(who=st.integers(0, 1), index=st.integers(0, 50))
    @acts
    def delete(self, who: int, index: int) -> None:
        room = self.rooms[who]
        site = self._pick(room, index)
        if site is None:
            return
        before = room.refusals
        room.controller.delete_sites([site.id])
        if self._saved(room, before):
            self.model.pop(site.number, None)

    @rule(who=st.integers(0, 1), redo=st.booleans())
    @acts
    def undo_or_redo(self, who: int, redo: bool) -> None:
        room = self.rooms[who]
        stack = room.stack
        if room.controller.session_id != self.session_id:
            return
        index = stack.index() if redo else stack.index() - 1
        if not 0 <= index < stack.count():
            return
        command = stack.command(index)
        before = room.refusals
        stack.redo() if redo else stack.undo()
        if not self._saved(room, before):
            return
        if isinstance(command, EditSiteCommand):
            target = command.after if redo else command.before
            other = command.before if redo else command.after
            changed = tuple(
                name for name in ("view", "x", "y", "volume_ml") if getattr(target, name) != getattr(other, name)
            )
            if changed:
                self._ack_site(room, command.number, changed)
        elif isinstance(command, AddSitesCommand):
            adds = redo != (type(command).__name__ == "RemoveSitesCommand")
            for number, _draft in command.sites:
                if adds:
                    self._ack_site(room, number)
                else:
                    self.model.pop(number, None)

    @rule(who=st.integers(0, 1), text=st.sampled_from(["", "Calm patient", "Bruise left calf", "Вены"]))
    @acts
    def session_notes(self, who: int, text: str) -> None:
        room = self.rooms[who]
        detail = room.controller.detail
        if detail is None or detail.session.id != self.session_id:
            return
        try:
            room.controller.save_session(replace(detail.session.draft(), notes=text), detail.session.details_version)
        except UserError:
            return
        self.notes = text

    @rule(who=st.integers(0, 1), weeks=st.sampled_from([4, 6, 8]))
    @acts
    def clinic_interval(self, who: int, weeks: int) -> None:
        ctx = self.rooms[who].ctx
        clinic.change_settings(ctx, {"interval_weeks": weeks}, clinic.settings_version(ctx))
        self.rooms[who].controller.on_changes(Changes(settings=True))  # as the settings dialog tells the window

    @rule(who=st.integers(0, 1), limit=st.sampled_from([None, 3.0, 10.0]))
    @acts
    def catalogue_limit(self, who: int, limit: float | None) -> None:
        ctx = self.rooms[who].ctx
        seen = catalogue.sclerosants_by_id(ctx)[1].version
        catalogue.set_sclerosant_limit(ctx, 1, "max_ml_session", limit, seen)
        self.rooms[who].controller.on_changes(Changes(catalogue=True))

    @rule(who=st.integers(0, 1))
    @acts
    def switch_patient(self, who: int) -> None:
        controller = self.rooms[who].controller
        target = self.other_id if controller.session_id == self.session_id else self.session_id
        controller.open_session(target)

    # What must always hold ------------------------------------------------------------------------------
    @invariant()
    def every_room_in_step_shows_what_is_stored(self) -> None:
        QApplication.processEvents()
        for room, synced in zip(self.rooms, self.synced, strict=True):
            if not synced:
                continue
            controller = room.controller
            assert controller.detail is not None
            assert controller.detail == session_detail.get_session(room.ctx, controller.session_id)

    @invariant()
    def nothing_saved_is_lost(self) -> None:
        stored = self._stored()
        assert set(stored) == set(self.model), "sites stored are exactly those the rooms were told were saved"
        for number, fields in self.model.items():
            for name, value in fields.items():
                assert getattr(stored[number], name) == value, (number, name)
        header = session_detail.get_session(self.rooms[0].ctx, self.session_id).session
        assert header.notes == self.notes

    def teardown(self) -> None:
        for room in self.rooms:
            room.watch.stop()
            room.controller.close_session()
        chain = verify_audit_chain(self.databases[0])
        assert chain.ok, f"whatever the two rooms did, the audit trail is one unbroken chain: {chain.detail}"


@pytest.fixture
def second_db(db: Database, db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()


@pytest.mark.slow
def test_two_rooms_charting_at_random_never_disagree_with_the_store(
    qapp: QApplication, db: Database, second_db: Database, clock: FixedClock
) -> None:
    TwoRooms.databases = (db, second_db)
    TwoRooms.clock = clock
    run_state_machine_as_test(
        TwoRooms,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
