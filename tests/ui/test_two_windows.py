"""Two rooms, two windows on one database: each shows the other's changes by itself; neither overwrites the other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionState, Site, View
from sclerochart.readmodels import Changes
from sclerochart.services import catalogue, clinic, patients, session_detail, sessions, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from sclerochart.ui.main_window import MainWindow
from tests.conftest import FixedClock, patient_draft
from tests.signing import PASSWORD, make_complete
from tests.ui.helpers import DialogAnswers, click, ctx_of, sign_open_session, stored_sites, type_and_press

WITHIN_MS = 2500
"""Another room's change shows within about two seconds."""


@pytest.fixture
def second_db(db: Database, db_path: object) -> Iterator[Database]:
    database = open_database(str(db_path))
    yield database
    database.close()


@pytest.fixture
def other_room(qtbot: QtBot, window: MainWindow, second_db: Database, clock: FixedClock) -> Iterator[MainWindow]:
    """Room 2: its own window and connections, showing the same patient and session as room 1."""
    ctx = ServiceContext(second_db, "Nurse Ruth", clock=clock, room="Room 2")
    widget = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    detail = window.charting.controller.detail
    assert detail is not None
    widget.open_session(detail.session.id)
    yield widget
    widget.charting.controller.close_session()
    widget.close()


def dialog_text(dialog: QDialog) -> str:
    """What a message box or a question asks, in words."""
    if isinstance(dialog, QMessageBox):
        return dialog.text()
    if isinstance(dialog, QInputDialog):
        return dialog.labelText()
    return dialog.windowTitle()


def shown_sites(window: MainWindow) -> list[int]:
    detail = window.charting.controller.detail
    return [site.number for site in detail.sites] if detail else []


def test_a_site_placed_in_one_room_appears_in_the_other_by_itself(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1], timeout=WITHIN_MS)
    assert other_room.charting.site_model.rowCount() == 1
    assert other_room.charting.canvas.marker(stored_sites(window)[0].id).isVisible()
    qtbot.waitUntil(lambda: other_room.session_model.data(other_room.session_model.index(0, 2)) == "1")


def test_a_drag_from_a_screen_that_missed_the_other_rooms_edit_is_refused_and_shows_theirs(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, warnings: list[str]
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1], timeout=WITHIN_MS)
    other_room.watch.stop()  # room 2 has not looked yet when room 1 edits
    (site,) = stored_sites(window)
    ctx = ctx_of(window)
    sites.edit_site(ctx, site.id, replace(site.draft(), volume_ml=0.25), site.version)
    assert not other_room.charting.controller.move_site(site.id, View.ANTERIOR, site.x, site.y + 0.05)
    assert warnings[-1].startswith("ScleroChart: Site 1 was changed by tester on ")
    (stored,) = stored_sites(window)
    assert (stored.volume_ml, stored.y) == (0.25, site.y), "room 1's edit kept, room 2's drag not stored"
    shown = other_room.charting.controller.detail
    assert shown is not None and shown.sites == (stored,), "room 2 now shows what is stored"


def test_a_volume_being_typed_is_kept_when_the_other_room_changes_another_site(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    click(window.charting.canvas, View.ANTERIOR, 0, 50)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1, 2], timeout=WITHIN_MS)
    other_room.charting.edit_site(stored_sites(window)[0].id)
    editor = other_room.charting.site_editor
    editor.volume.setFocus()
    editor.volume.selectAll()
    qtbot.keyClicks(editor.volume, "0.3")
    second = stored_sites(window)[1]
    sites.edit_site(ctx_of(window), second.id, replace(second.draft(), volume_ml=0.15), second.version)
    qtbot.waitUntil(
        lambda: [s.volume_ml for s in other_room.charting.controller.detail.sites] == [0.2, 0.15],  # type: ignore[union-attr]
        timeout=WITHIN_MS,
    )
    assert editor.volume.text() == "0.3", "what is being typed survives the other room's change"
    qtbot.keyClick(editor.volume, "\r")
    assert [s.volume_ml for s in stored_sites(window)] == [0.3, 0.15]


def test_the_patient_list_and_details_follow_the_other_room_without_switching_patient(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow
) -> None:
    assert window.patient is not None
    shown = window.patient
    renamed = replace(shown.draft(), allergies="latex, iodine")
    patients.update_patient(ctx_of(other_room), shown.id, renamed, shown.version)
    patients.create_patient(ctx_of(other_room), patient_draft(chart_number="SC-0002", family_name="Ørsted"))
    qtbot.waitUntil(lambda: window.allergies_label.text() == "latex, iodine", timeout=WITHIN_MS)
    assert window.patient is not None and window.patient.id == shown.id, "the chosen patient stays chosen"
    assert window.charting.controller.detail is not None, "the open session stays open"
    qtbot.waitUntil(lambda: window.patient_model.rowCount() == 2, timeout=WITHIN_MS)


def test_a_stricter_limit_set_in_another_room_is_used_for_the_next_site(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, dialogs: DialogAnswers
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    polidocanol = catalogue.sclerosants_by_id(ctx_of(other_room))[1]
    catalogue.set_sclerosant_limit(ctx_of(other_room), 1, "max_ml_session", 0.3, polidocanol.version)
    clinic.change_setting(ctx_of(other_room), "interval_weeks", 8)
    qtbot.waitUntil(
        lambda: window.charting.controller.detail is not None and window.charting.controller.detail.interval_weeks == 8,
        timeout=WITHIN_MS,
    )
    asked: list[str] = []

    def cancel(dialog: QDialog) -> None:  # over the limit: cancelled
        asked.append(dialog_text(dialog))
        dialog.reject()

    dialogs.answer(cancel)
    click(window.charting.canvas, View.ANTERIOR, 0, 50)
    assert asked and "limit of 0.3 mL" in asked[0]
    assert len(stored_sites(window)) == 1, "not stored without a reason"
    assert session_detail.get_session(ctx_of(window), window.charting.controller.session_id).sites == (
        stored_sites(window)
    )


def test_watch_costs_one_small_read_when_nothing_changed(window: MainWindow, qtbot: QtBot) -> None:
    assert not window.watch.poll(), "nothing changed elsewhere: nothing to show"
    assert window.watch.timer.isActive()
    assert window.watch.timer.interval() <= 1000


def test_settings_saved_here_reach_the_open_session(window: MainWindow, ctx: ServiceContext) -> None:
    clinic.change_setting(ctx, "interval_weeks", 9)  # as the settings dialog stores it
    window.apply_changes(Changes(settings=True))  # …and then tells the window
    detail = window.charting.controller.detail
    assert detail is not None and detail.interval_weeks == 9


def test_signing_signs_only_what_was_shown_when_the_signature_was_asked_for(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, dialogs: DialogAnswers, warnings: list[str]
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    session_id = window.charting.controller.session_id
    make_complete(ctx_of(window), session_id)
    window.charting.controller.refresh()

    def while_asked(dialog: QDialog) -> None:
        # While the signature question is open, room 2 places a site and this window's watch shows it.
        click(other_room.charting.canvas, View.ANTERIOR, 1, 40)
        window.watch.poll()
        type_and_press(dialog, PASSWORD, QDialogButtonBox.StandardButton.Ok)

    dialogs.answer(while_asked)
    window.charting.sign_action.trigger()
    stored = session_detail.get_session(ctx_of(window), session_id)
    assert stored.session.state is SessionState.DRAFT, "a site placed while the question was open was not seen"
    assert len(stored.sites) == 2
    assert "was changed after it was shown for signing" in warnings[-1] and "Nothing was signed" in warnings[-1]


def test_notes_typed_here_are_stored_although_the_other_room_placed_a_site_meanwhile(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, warnings: list[str]
) -> None:
    window.watch.stop()  # this window has not looked yet when the other room places its site
    panel = window.charting.session_panel
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.charting.show_session_details()
    panel.notes.setFocus()
    qtbot.waitUntil(panel.notes.hasFocus)
    qtbot.keyClicks(panel.notes, "Itching on the left calf since Tuesday")
    click(other_room.charting.canvas, View.ANTERIOR, 1, 40)
    assert panel.commit_pending()
    stored = session_detail.get_session(ctx_of(window), window.charting.controller.session_id)
    assert stored.session.notes == "Itching on the left calf since Tuesday" and len(stored.sites) == 1
    assert not warnings


def test_typing_over_a_session_signed_in_the_other_room_is_dropped_with_a_message(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, warnings: list[str]
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1], timeout=WITHIN_MS)
    other_room.charting.edit_site(stored_sites(window)[0].id)
    editor = other_room.charting.site_editor
    editor.volume.setFocus()
    editor.volume.selectAll()
    qtbot.keyClicks(editor.volume, "0.4")  # typed, not yet stored
    sign_open_session(window)
    qtbot.waitUntil(lambda: not editor.fields.isEnabled(), timeout=WITHIN_MS)
    assert editor.volume.text() == "0.2", "the screen shows what is stored"
    assert not editor.has_pending()
    assert any("was not saved, because the session was signed" in text for text in warnings)


def test_typing_taken_back_shows_what_the_other_room_stored_meanwhile(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    window.charting.edit_site(site.id)
    editor = window.charting.site_editor
    editor.volume.setFocus()
    editor.volume.selectAll()
    qtbot.keyClicks(editor.volume, "0.3")
    assert editor.has_pending()
    sites.edit_site(ctx_of(other_room), site.id, replace(site.draft(), lot_number="LOT-42"), site.version)
    window.watch.poll()  # the other room's change arrives while 0.3 is being typed: the typing stays
    assert editor.volume.text() == "0.3" and editor.lot.text() == ""
    editor.volume.selectAll()
    qtbot.keyClicks(editor.volume, "0.2")  # typed back to the stored volume
    qtbot.keyClick(editor.volume, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.lot.text() == "LOT-42")
    assert not editor.has_pending()

    panel = window.charting.session_panel
    window.charting.show_session_details()
    panel.notes.setFocus()
    qtbot.keyClicks(panel.notes, "abc")
    seen = session_detail.get_session(ctx_of(other_room), window.charting.controller.session_id).session
    sessions.update_session(ctx_of(other_room), seen.id, replace(seen.draft(), weight_kg=75.0), seen.details_version)
    window.watch.poll()
    for _ in range(3):
        qtbot.keyClick(panel.notes, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: panel.weight.text() == "75")
    assert not panel.has_pending()


def test_a_drag_under_way_when_the_other_room_changes_the_site_ends_with_a_word(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow
) -> None:
    from sclerochart.ui.diagram_canvas import to_scene
    from tests.ui.helpers import send_mouse, viewport_point

    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1], timeout=WITHIN_MS)
    (site,) = stored_sites(window)
    canvas = other_room.charting.canvas
    start = viewport_point(canvas, site.view, site.x, site.y)
    from PySide6.QtCore import QEvent

    send_mouse(canvas, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseMove, start + QPoint(12, 12), Qt.MouseButton.LeftButton)
    sites.edit_site(ctx_of(window), site.id, replace(site.draft(), volume_ml=0.25), site.version)
    with qtbot.waitSignal(canvas.refused, timeout=WITHIN_MS) as said:
        pass
    assert "was changed in another room while you were moving it" in said.args[0]
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, start + QPoint(12, 12), Qt.MouseButton.NoButton)
    (stored,) = stored_sites(window)
    assert (stored.x, stored.y, stored.volume_ml) == (site.x, site.y, 0.25), "the drag stored nothing"
    assert canvas.marker(site.id).pos() == to_scene(site.view, site.x, site.y)


def shown_site(window: MainWindow) -> Site:
    detail = window.charting.controller.detail
    assert detail is not None and detail.sites
    return detail.sites[0]


def test_undo_of_a_change_the_other_room_has_changed_since_is_refused(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, warnings: list[str]
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    assert window.charting.controller.edit_site(site.id, replace(site.draft(), volume_ml=0.3))
    qtbot.waitUntil(lambda: shown_site(other_room).volume_ml == 0.3, timeout=WITHIN_MS)
    seen = shown_site(other_room)
    assert other_room.charting.controller.edit_site(seen.id, replace(seen.draft(), lot_number="LOT-7"))
    qtbot.waitUntil(lambda: shown_site(window).lot_number == "LOT-7", timeout=WITHIN_MS)
    window.undo_stack.undo()  # would put back 0.2 mL over the other room's work
    (stored,) = stored_sites(window)
    assert (stored.volume_ml, stored.lot_number) == (0.3, "LOT-7"), "the other room's change stays"
    assert "Site 1 was changed by Nurse Ruth on Room 2 at" in warnings[-1]
    assert "after your change, so undo would overwrite that work" in warnings[-1]


@pytest.mark.parametrize("ended_by", ["deleted", "edited"])
def test_after_a_drag_the_other_room_ended_the_next_drag_moves_its_marker_where_it_is_dropped(
    qtbot: QtBot, window: MainWindow, other_room: MainWindow, ended_by: str
) -> None:
    """Qt must forget the ended drag: the next one used to throw its marker off the legs ("drop it on the leg")."""
    from PySide6.QtCore import QEvent

    from sclerochart.domain.diagram import point_for
    from tests.ui.helpers import drag, send_mouse, viewport_point

    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    click(window.charting.canvas, View.ANTERIOR, 1, 40)
    qtbot.waitUntil(lambda: shown_sites(other_room) == [1, 2], timeout=WITHIN_MS)
    first, second = stored_sites(window)
    canvas = other_room.charting.canvas
    start = viewport_point(canvas, first.view, first.x, first.y)
    send_mouse(canvas, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseMove, start + QPoint(12, 12), Qt.MouseButton.LeftButton)
    if ended_by == "deleted":  # by the other room, meanwhile
        sites.remove_site(ctx_of(window), first.id, first.version)
    else:
        sites.edit_site(ctx_of(window), first.id, replace(first.draft(), volume_ml=0.25), first.version)
        ended_by = "changed"
    with qtbot.waitSignal(canvas.refused, timeout=WITHIN_MS) as said:
        pass
    assert f"was {ended_by} in another room while you were moving it" in said.args[0]
    canvas.hovered.emit("Left calf")  # the hand moves on: the word stays readable
    assert other_room.statusBar().currentMessage() == said.args[0]
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, start + QPoint(12, 12), Qt.MouseButton.NoButton)
    target = point_for(View.ANTERIOR, 1, 60, 0.0)
    from_here = viewport_point(canvas, second.view, second.x, second.y)
    drag(canvas, from_here, viewport_point(canvas, View.ANTERIOR, *target))
    qtbot.waitUntil(lambda: stored_sites(window)[-1].y != second.y, timeout=WITHIN_MS)
    moved = stored_sites(window)[-1]
    assert abs(moved.y - target[1]) < 0.01 and abs(moved.x - target[0]) < 0.01
