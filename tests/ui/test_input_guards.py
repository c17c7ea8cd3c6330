"""The mouse wheel and the digit keys over the fields: they change only the field the user is working in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SiteDraft, View
from sclerochart.services import catalogue, patients
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.clinic_settings_dialog import ClinicSettingsDialog
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.patient_form import PatientForm
from sclerochart.ui.preset_dialog import PresetDialog
from tests.ui.helpers import click, ctx_of, stored_session, stored_sites, wheel


def _edit_only_site(window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    window.charting.edit_site(site.id)
    window.charting.canvas.setFocus()  # the fields are shown, the keyboard is elsewhere


def test_the_wheel_over_an_unfocused_spin_box_changes_neither_screen_nor_store(
    qtbot: QtBot, window: MainWindow
) -> None:
    charting = window.charting
    charting.tabs.setCurrentIndex(1)
    panel = charting.session_panel
    charting.canvas.setFocus()
    qtbot.waitUntil(charting.canvas.hasFocus)
    for _ in range(4):
        wheel(panel.hours, -1)
        wheel(panel.days, 1)
    wheel(panel.started, 1)
    stored = stored_session(window).session
    assert panel.hours.value() == stored.compression.continuous_hours == 24
    assert panel.days.value() == stored.compression.days
    assert panel.started.dateTime().toPython() == stored.started_at
    assert panel.form.message("Compression hours without removal") == ""


def test_the_wheel_over_unfocused_site_fields_changes_neither_screen_nor_store(
    qtbot: QtBot, window: MainWindow
) -> None:
    _edit_only_site(window)
    editor = window.charting.site_editor
    (before,) = stored_sites(window)
    for combo in (editor.vessel, editor.reaction, editor.agent, editor.concentration, editor.delivery):
        wheel(combo, -1)
        wheel(combo, -1)
    (after,) = stored_sites(window)
    assert after == before
    assert editor.vessel.currentData() == before.vessel_type.value
    assert editor.reaction.currentData() == before.reaction.value
    assert editor.agent.currentData() == before.agent_id
    assert editor.concentration.currentData() == before.concentration


def test_the_wheel_over_an_unfocused_ceap_field_changes_nothing(window: MainWindow) -> None:
    panel = window.charting.session_panel
    window.charting.tabs.setCurrentIndex(1)
    wheel(panel.ceap_right, -1)
    wheel(panel.practitioner, -1)
    stored = stored_session(window).session
    assert panel.ceap_right.currentText() == stored.ceap_right == ""
    assert panel.practitioner.currentData() == stored.practitioner_id


def test_the_wheel_over_an_unfocused_field_scrolls_the_tab_instead(qtbot: QtBot, window: MainWindow) -> None:
    charting = window.charting
    charting.tabs.setCurrentIndex(1)
    scroller = charting.tabs.currentWidget()
    assert isinstance(scroller, QScrollArea)
    bar = scroller.verticalScrollBar()
    assert bar.maximum() > 0, "the Session tab is taller than its place at 1366×768"
    bar.setValue(0)
    charting.canvas.setFocus()
    wheel(charting.session_panel.hours, -2)
    assert bar.value() > 0
    assert charting.session_panel.hours.value() == 24


def test_a_focused_spin_box_still_takes_the_wheel(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    window.charting.tabs.setCurrentIndex(1)
    panel.hours.setFocus()
    qtbot.waitUntil(panel.hours.hasFocus)
    wheel(panel.hours, -1)
    assert panel.hours.value() == 23
    panel.hours.editingFinished.emit()  # the field is left: the new value is stored
    stored = stored_session(window).session
    assert stored.compression.continuous_hours == 23


def _inputs(root: QWidget) -> list[QWidget]:
    return [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)]


def _patient_form(ctx: ServiceContext, parent: QWidget) -> QWidget:
    return PatientForm(lambda draft, _shown: patients.create_patient(ctx, draft), None, parent)


def _preset_dialog(ctx: ServiceContext, parent: QWidget) -> QWidget:
    preset = catalogue.list_presets(ctx)[0]
    draft: SiteDraft = preset.site_draft(View.ANTERIOR, 0.3, 0.3)
    return PresetDialog(catalogue.list_presets(ctx), draft, None, parent)


@pytest.mark.parametrize(
    "make",
    [_patient_form, _preset_dialog, lambda ctx, parent: ClinicSettingsDialog(ServiceApi(ctx), parent)],
    ids=["patient form", "preset dialog", "clinic settings"],
)
def test_the_wheel_changes_no_field_of_a_dialog_without_the_keyboard(
    qtbot: QtBot, window: MainWindow, make: Callable[[ServiceContext, QWidget], QWidget]
) -> None:
    dialog = make(ctx_of(window), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = [field for field in _inputs(dialog) if field.isEnabled()]
    assert fields
    dialog.setFocus()
    shown = [_text(field) for field in fields]
    for field in fields:
        field.clearFocus()
        wheel(field, -1)
        wheel(field, -1)
    assert [_text(field) for field in fields] == shown
    dialog.close()


def _text(field: QWidget) -> str:
    assert isinstance(field, QAbstractSpinBox | QComboBox)
    return field.text() if isinstance(field, QAbstractSpinBox) else field.currentText()


def test_no_field_takes_the_keyboard_from_the_wheel(qtbot: QtBot, window: MainWindow) -> None:
    dialogs = [
        _patient_form(ctx_of(window), window),
        _preset_dialog(ctx_of(window), window),
        ClinicSettingsDialog(window.api, window),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
    fields = [field for root in (window, *dialogs) for field in _inputs(root)]
    assert len(fields) > 20
    wheel_takers = [
        f"{type(f).__name__} {f.accessibleName()}" for f in fields if f.focusPolicy() == Qt.FocusPolicy.WheelFocus
    ]
    assert wheel_takers == []


# Digits ----------------------------------------------------------------------------------------------------
def _preset_key(window: MainWindow) -> int | None:
    preset = window.charting.controller.preset
    return preset.key if preset is not None else None


def test_digits_typed_into_a_focused_list_stay_in_it(qtbot: QtBot, window: MainWindow) -> None:
    _edit_only_site(window)
    editor = window.charting.site_editor
    for combo in (editor.vessel, editor.concentration):
        combo.setFocus()
        qtbot.waitUntil(combo.hasFocus)
        qtbot.keyClick(combo, Qt.Key.Key_4)
        qtbot.keyClick(combo, Qt.Key.Key_2)
        assert _preset_key(window) == 1
    panel = window.charting.session_panel
    window.charting.tabs.setCurrentIndex(1)
    for field in (panel.practitioner, panel.hours, panel.ceap_left):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClick(field, Qt.Key.Key_3)
        assert _preset_key(window) == 1


def test_digits_typed_into_a_spin_box_are_its_value(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.charting.session_panel
    window.charting.tabs.setCurrentIndex(1)
    panel.days.setFocus()
    qtbot.waitUntil(panel.days.hasFocus)
    panel.days.selectAll()
    qtbot.keyClick(panel.days, Qt.Key.Key_2)
    qtbot.keyClick(panel.days, Qt.Key.Key_1)
    qtbot.keyClick(panel.days, Qt.Key.Key_Return)
    assert _preset_key(window) == 1
    stored = stored_session(window).session
    assert stored.compression.days == 21 == panel.days.value()


@pytest.mark.parametrize("where", ["diagram", "sites table", "preset keypad"])
def test_digits_switch_the_preset_from_the_diagram_the_table_and_the_keypad(
    qtbot: QtBot, window: MainWindow, where: str
) -> None:
    charting = window.charting
    click(charting.canvas, View.ANTERIOR, 0, 30)
    target: QWidget = {
        "diagram": charting.canvas,
        "sites table": charting.site_table,
        "preset keypad": charting.preset_buttons.button(2),
    }[where]
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    qtbot.keyClick(target, Qt.Key.Key_4)
    assert _preset_key(window) == 4
    qtbot.keyClick(target, Qt.Key.Key_3)
    assert _preset_key(window) == 3
