"""The side panels of the charting screen: site editor, presets, session details, pen tool, write failures."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.domain.catalogue import POLIDOCANOL, SODIUM_TETRADECYL_SULFATE
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import SessionDraft, SessionState, View
from sclerochart.services import audit, catalogue, patients, sessions
from sclerochart.services.context import ServiceContext
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.ui.helpers import (
    DialogAnswers,
    click,
    ctx_of,
    send_mouse,
    sign_open_session,
    stored_sites,
    viewport_point,
)


def select_only_site(window: MainWindow) -> None:
    (site,) = stored_sites(window)
    window.charting.edit_site(site.id)


def type_into(qtbot: QtBot, line: object, text: str) -> None:
    line.setFocus()  # type: ignore[attr-defined]
    line.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(line, text)
    line.editingFinished.emit()  # type: ignore[attr-defined]


def finish_editing(combo: QComboBox) -> None:
    line = combo.lineEdit()
    assert line is not None
    line.editingFinished.emit()


# Site editor ---------------------------------------------------------------------------------------------
def test_the_editor_offers_only_the_agents_own_concentrations_and_stores_a_change(
    qtbot: QtBot, window: MainWindow
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    select_only_site(window)
    editor = window.charting.site_editor
    offered = [editor.concentration.itemData(i) for i in range(editor.concentration.count())]
    assert offered == list(POLIDOCANOL.concentrations)
    type_into(qtbot, editor.volume, "0,3")  # a decimal comma is understood
    (site,) = stored_sites(window)
    assert site.volume_ml == 0.3
    assert window.charting.site_model.data(window.charting.site_model.index(0, 6)) == "0.3"
    window.undo_stack.undo()
    assert stored_sites(window)[0].volume_ml == 0.2


def test_switching_agent_switches_the_concentrations_offered(window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    select_only_site(window)
    editor = window.charting.site_editor
    editor.agent.setCurrentIndex(editor.agent.findData(2))  # sodium tetradecyl sulfate
    offered = [editor.concentration.itemData(i) for i in range(editor.concentration.count())]
    assert offered == list(SODIUM_TETRADECYL_SULFATE.concentrations)
    (site,) = stored_sites(window)
    assert (site.agent_id, site.concentration) == (2, SODIUM_TETRADECYL_SULFATE.concentrations[0])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("25", "Volume is 25 mL; it must be from 0.01 to 20 mL."), ("lots", "Volume must be a number of mL")],
)
def test_a_volume_out_of_range_is_shown_beside_the_field_and_not_stored(
    qtbot: QtBot, window: MainWindow, typed: str, expected: str
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    select_only_site(window)
    editor = window.charting.site_editor
    type_into(qtbot, editor.volume, typed)
    assert editor.form.message("Volume").startswith(expected)
    assert stored_sites(window)[0].volume_ml == 0.2
    type_into(qtbot, editor.volume, "0.1")
    assert editor.form.message("Volume") == ""
    assert stored_sites(window)[0].volume_ml == 0.1


def test_typing_a_digit_in_a_field_does_not_switch_the_preset(qtbot: QtBot, window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    select_only_site(window)
    qtbot.keyClicks(window.charting.site_editor.lot, "4711")
    preset = window.charting.controller.preset
    assert preset is not None and preset.key == 1


def test_right_click_edit_opens_the_sites_fields(window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    click(window.charting.canvas, View.POSTERIOR, 0, 60)
    _first, second = stored_sites(window)
    window.charting.tabs.setCurrentIndex(1)
    window.charting.canvas.edit_requested.emit(second.id)
    assert window.charting.tabs.currentIndex() == 0
    assert window.charting.site_editor.site == second
    assert window.charting.site_editor.heading.text().startswith("<b>Site 2</b>")


def test_an_edit_over_a_limit_asks_for_a_reason(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    controller = window.charting.controller
    asked: list[str] = []
    monkeypatch.setattr(controller, "confirm_over_limit", lambda findings, _doing: asked.append(findings[0].message))
    # 70 kg allow 140 mg of polidocanol a day; 15 mL of 1 % are 150 mg.
    changed = replace(site.draft(), concentration=1.0, volume_ml=15.0)
    assert controller.edit_site(site.id, changed) is False
    assert asked and stored_sites(window)[0].volume_ml == 0.2
    monkeypatch.setattr(controller, "confirm_over_limit", lambda findings, _doing: "Large feeder")
    assert controller.edit_site(site.id, changed) is True
    assert stored_sites(window)[0].override_reason == "Large feeder"


def test_one_injection_over_the_labels_amount_asks_for_a_reason_in_the_words_of_the_change(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    asked: list[tuple[str, str]] = []

    def answer(_parent: object, title: str, label: str) -> tuple[str, bool]:
        asked.append((title, label))
        return "", False  # Cancel

    monkeypatch.setattr(QInputDialog, "getText", answer)
    assert window.charting.controller.edit_site(site.id, replace(site.draft(), volume_ml=5.0)) is False
    ((title, label),) = asked
    assert title == "Limit exceeded"
    assert "Site 1: 5 mL in one injection is more than the 0.3 mL per injection given for Polidocanol" in label
    assert "To keep the change to site 1 anyway, record the reason" in label
    assert "place" not in label
    assert stored_sites(window)[0].volume_ml == 0.2, "nothing stored without the reason"
    monkeypatch.setattr(QInputDialog, "getText", lambda _p, _t, _l: ("Large feeder, checked", True))
    assert window.charting.controller.edit_site(site.id, replace(site.draft(), volume_ml=5.0)) is True
    assert stored_sites(window)[0].override_reason == "Large feeder, checked"


# Presets -------------------------------------------------------------------------------------------------
def test_a_sites_settings_saved_on_a_key_become_that_preset(qtbot: QtBot, window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    select_only_site(window)
    type_into(qtbot, window.charting.site_editor.volume, "0.15")
    (site,) = stored_sites(window)
    controller = window.charting.controller
    saved = controller.save_preset(8, "Ankle flare", site.draft())
    assert saved is not None and saved.key == 8 and saved.volume_ml == 0.15
    assert window.charting.preset_buttons.button(8).isChecked()
    assert "0.15 mL" in window.charting.preset_buttons.button(8).text()
    window.charting.canvas.setFocus()
    qtbot.keyClick(window.charting.canvas, Qt.Key.Key_1)
    qtbot.keyClick(window.charting.canvas, Qt.Key.Key_8)
    click(window.charting.canvas, View.POSTERIOR, 0, 60)
    assert stored_sites(window)[-1].volume_ml == 0.15
    assert [e.action for e in audit.history(ctx_of(window), "preset", saved.id)] == ["create"]


def test_a_removed_preset_leaves_its_key_and_the_next_one_takes_over(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    charting = window.charting
    controller = charting.controller
    assert controller.preset is not None and controller.preset.key == 1
    removed_id = controller.preset.id
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    charting.keypad.remove(1)
    assert charting.preset_buttons.button(1) is None
    assert 1 not in {p.key for p in catalogue.list_presets(ctx_of(window))}
    assert controller.preset is not None and controller.preset.key == 2
    assert charting.preset_buttons.button(2).isChecked()
    click(charting.canvas, View.ANTERIOR, 0, 30)
    assert stored_sites(window)[0].concentration == controller.preset.concentration
    (event,) = [e for e in audit.history(ctx_of(window), "preset", removed_id) if e.action == "delete"]
    assert event.before is not None and event.after is None
    charting.canvas.setFocus()
    qtbot.keyClick(charting.canvas, Qt.Key.Key_1)
    assert "No preset is on key 1" in window.statusBar().currentMessage()


# Session panel -------------------------------------------------------------------------------------------
def test_the_weight_is_stored_when_left_and_changes_the_limit(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    type_into(qtbot, panel.weight, "abc")
    assert panel.form.message("Weight") == "Weight must be a number of kg, e.g. 68.5."
    assert "Not saved" in panel.saved_state.text()
    type_into(qtbot, panel.weight, "500")
    assert panel.form.message("Weight") == "Weight is 500 kg; it must be from 20 to 350 kg."
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.weight_kg == 70.0
    type_into(qtbot, panel.weight, "72,5")
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.weight_kg == 72.5
    assert panel.form.message("Weight") == ""
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    gauge = window.charting.totals.gauges[(1, "mg per day")]
    assert "of 145 mg" in gauge.format()  # 2 mg/kg × 72.5 kg (DOMAIN.md §3)


def test_without_a_weight_the_dose_check_says_it_cannot_check(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    type_into(qtbot, panel.weight, "")
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    assert "weight" in window.charting.totals.findings_text().lower()
    assert (1, "mg per day") not in window.charting.totals.gauges


def test_an_absolute_contraindication_needs_a_reason_before_it_is_stored(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    panel.checks["acute_dvt_pe"].setChecked(True)
    assert panel.override_message.isVisibleTo(panel)
    assert "needs a recorded reason" in panel.override_message.text()
    detail = window.charting.controller.detail
    assert detail is not None and not detail.session.checklist.get("acute_dvt_pe")
    type_into(qtbot, panel.override, "Distal DVT fully treated, cleared by vascular surgeon")
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.checklist.get("acute_dvt_pe") is True
    assert detail.session.checklist_override.startswith("Distal DVT")
    assert any("Absolute contraindication ticked" in f.message for f in detail.findings)


def test_ceap_consent_compression_and_notes_are_stored(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    panel.ceap_right.setCurrentText("c2r,s")
    finish_editing(panel.ceap_right)
    panel.consent.setChecked(True)
    panel.days.setValue(21)
    panel.days.editingFinished.emit()
    panel.notes.setPlainText("Patient prefers the left leg first.")
    panel.notes.left.emit()
    detail = window.charting.controller.detail
    assert detail is not None
    session = detail.session
    assert (session.ceap_right, session.consent, session.compression.days) == ("C2r,S", True, 21)
    assert session.notes == "Patient prefers the left leg first."
    panel.ceap_left.setCurrentText("C9")
    finish_editing(panel.ceap_left)
    assert "not a CEAP clinical class" in panel.form.message("CEAP left leg")


def test_a_signed_session_can_no_longer_be_changed(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    sign_open_session(window)
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.state is SessionState.SIGNED
    assert not window.charting.session_panel.editable_widgets[0].isEnabled()
    select_only_site(window)
    assert not window.charting.site_editor.fields.isEnabled()
    click(window.charting.canvas, View.POSTERIOR, 0, 60)
    assert len(stored_sites(window)) == 1
    assert "signed" in window.statusBar().currentMessage()


def test_a_new_session_sooner_than_the_interval_is_asked_about_before_it_is_started(
    window: MainWindow, dialogs: DialogAnswers
) -> None:
    assert window.patient is not None
    two_weeks_ago = ctx_of(window).clock() - dt.timedelta(days=14)
    sessions.start_session(ctx_of(window), window.patient.id, SessionDraft(None, two_weeks_ago, weight_kg=70.0))
    before = len(sessions.list_sessions(ctx_of(window), window.patient.id))
    said: list[str] = []

    def answer(button: str) -> Callable[[QDialog], None]:
        def press_it(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            said.append(box.text())
            if button == "Cancel":
                box.button(QMessageBox.StandardButton.Cancel).click()
            else:
                next(b for b in box.buttons() if b.text() == button).click()

        return press_it

    dialogs.answer(answer("Cancel"))
    window.new_session()
    assert "interval is 6 weeks" in said[0]
    assert len(sessions.list_sessions(ctx_of(window), window.patient.id)) == before, "nothing stored on Cancel"
    dialogs.answer(answer("Start anyway"))
    window.new_session()
    assert len(sessions.list_sessions(ctx_of(window), window.patient.id)) == before + 1
    assert window.charting.tabs.currentIndex() == 1


def test_a_new_session_ticks_the_patients_history_flags(ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft(history=("anticoagulation", "migraine_aura")))
    draft = sessions.new_session_draft(ctx, patient.id)
    assert draft.checklist == {"anticoagulation": True, "migraine_aura": True}


# Pen tool ------------------------------------------------------------------------------------------------
def trace(window: MainWindow, view: View, leg: int, heights: range) -> None:
    canvas = window.charting.canvas
    points = [viewport_point(canvas, view, *point_for(view, leg, h, 0.2)) for h in heights]
    send_mouse(canvas, QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
    for point in points[1:]:
        send_mouse(canvas, QEvent.Type.MouseMove, point, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def test_the_pen_draws_a_tracing_that_is_stored_and_undoable(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_P)
    assert canvas.pen_mode and window.charting.pen_button.isChecked()
    trace(window, View.POSTERIOR, 0, range(30, 60, 3))
    detail = window.charting.controller.detail
    assert detail is not None and len(detail.tracings) == 1
    (tracing,) = detail.tracings
    assert tracing.view is View.POSTERIOR and len(tracing.points) >= 5
    assert stored_sites(window) == ()  # drawing places no site
    window.undo_stack.undo()
    detail = window.charting.controller.detail
    assert detail is not None and detail.tracings == ()
    window.undo_stack.redo()
    detail = window.charting.controller.detail
    assert detail is not None and detail.tracings[0].points == tracing.points
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not window.charting.pen_button.isChecked()
    assert canvas.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
    canvas.tracing_item(detail.tracings[0].id).setSelected(True)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    detail = window.charting.controller.detail
    assert detail is not None and detail.tracings == ()
    window.undo_stack.undo()
    detail = window.charting.controller.detail
    assert detail is not None and len(detail.tracings) == 1


def test_a_pen_tap_without_dragging_draws_nothing(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    window.charting.set_pen_mode(True)
    with qtbot.waitSignal(canvas.refused):
        trace(window, View.ANTERIOR, 0, range(30, 31))
    detail = window.charting.controller.detail
    assert detail is not None and detail.tracings == ()


# Write failures ------------------------------------------------------------------------------------------
def test_a_locked_database_is_reported_at_once_and_nothing_shows_as_saved(
    locked_window: tuple[MainWindow, sqlite3.Connection], warnings: list[str]
) -> None:
    window, other_room = locked_window
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (kept,) = stored_sites(window)
    other_room.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    click(window.charting.canvas, View.POSTERIOR, 0, 60)
    assert warnings and "in use by another program" in warnings[-1]
    assert len(window.charting.canvas._markers) == 1
    assert window.charting.site_model.rowCount() == 1
    assert "saved" not in window.statusBar().currentMessage().lower()
    panel = window.charting.session_panel
    panel.weight.setText("71")
    panel.weight.editingFinished.emit()
    assert panel.saved_state.text().startswith("Not saved")
    other_room.rollback()
    assert stored_sites(window) == (kept,)
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.weight_kg == 70.0


def test_a_session_started_today_is_listed_with_its_sites(qtbot: QtBot, window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    first = window.session_model.index(0, 0)
    # The list follows once the marker is drawn (the next turn of the event loop).
    qtbot.waitUntil(lambda: window.session_model.data(window.session_model.index(0, 2)) == "1", timeout=1000)
    assert window.session_model.data(first).startswith(dt.date(2026, 11, 23).strftime("%d.%m.%Y"))
