"""The Session tab at the chair: consent once, the weight check, the practitioner, room for text, the status bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QScrollArea
from pytestqt.qtbot import QtBot

from sclerochart.domain.accounts import AccountDraft
from sclerochart.domain.values import SessionDraft, View
from sclerochart.readmodels import Changes
from sclerochart.services import accounts, catalogue, patients, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.session_panel import SessionPanel
from sclerochart.ui.session_start import start_new_session
from tests.conftest import patient_draft
from tests.signing import PASSWORD
from tests.ui.helpers import click, ctx_of, stored_session


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _session_tab(window: MainWindow) -> SessionPanel:
    window.charting.tabs.setCurrentIndex(1)
    _settle()
    return window.charting.session_panel


def _retype(qtbot: QtBot, line: QLineEdit, text: str) -> None:
    """Replace a field's text with keys, as a user does, without leaving the field."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(line, text)


# Consent --------------------------------------------------------------------------------------------------
def test_consent_is_asked_in_one_place_and_that_tick_is_stored(window: MainWindow) -> None:
    panel = _session_tab(window)
    about_consent = [label.text() for label in panel.findChildren(QLabel) if "consent" in label.text().lower()]
    ticks = [box for box in panel.findChildren(QCheckBox) if "consent" in (box.text() + box.accessibleName()).lower()]
    assert about_consent == ["Consent obtained"], "one question about consent, in the checklist"
    assert ticks == [panel.consent] and panel.consent.isEnabled()
    panel.consent.setChecked(True)
    session = stored_session(window).session
    assert session.consent and session.checklist.get("consent_given") is True
    panel.consent.setChecked(False)
    session = stored_session(window).session
    assert not session.consent and not session.checklist.get("consent_given")


# Weight -----------------------------------------------------------------------------------------------------
def test_the_weight_check_follows_the_weight_as_it_is_typed(qtbot: QtBot, window: MainWindow) -> None:
    panel = _session_tab(window)
    check = panel.checks["weight_recorded"]
    assert check.isChecked() and not check.isEnabled(), "the session was started with 70 kg"
    panel.weight.setFocus()
    panel.weight.end(False)
    qtbot.keyClicks(panel.weight, "0")  # 700 kg: what the store refuses changes nothing on screen either
    assert check.isChecked()
    assert "ticked once a weight of 20–350 kg is entered" in panel.weight_row.label.text()
    _retype(qtbot, panel.weight, "0")
    assert not check.isChecked(), "0 kg ticks nothing"
    _retype(qtbot, panel.weight, "")
    assert not check.isChecked(), "cleared: unticked at once, before it is stored"
    assert "ticked once the weight is entered" in panel.weight_row.label.text()
    _retype(qtbot, panel.weight_reason, "wheelchair, no scale")
    assert not check.isChecked()
    assert "not weighed; the reason is given above" in panel.weight_row.label.text()
    _retype(qtbot, panel.weight_reason, "")
    _retype(qtbot, panel.weight, "68,5")
    assert check.isChecked(), "a weight typed ticks it before Enter"
    assert stored_session(window).session.weight_kg is None, "not stored yet"
    qtbot.keyClick(panel.weight, Qt.Key.Key_Return)
    session = stored_session(window).session
    assert session.weight_kg == 68.5 and session.checklist.get("weight_recorded") is True
    assert check.isChecked()


# Practitioner ---------------------------------------------------------------------------------------------
@pytest.fixture
def signed_in_window(qtbot: QtBot, ctx: ServiceContext, warnings: list[str]) -> Iterator[MainWindow]:
    """A window of a clinic where Dr. Ana Müller is signed in, a patient chosen, no session open."""
    accounts.set_up_clinic(ctx, {"clinic_name": "Praxis"}, AccountDraft("Dr. Ana Müller", "ana"), PASSWORD)
    patient = patients.create_patient(ctx, patient_draft())
    window = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_patient(patient)
    yield window
    window.charting.controller.close_session()
    window.close()


def test_a_new_session_names_the_practitioner_signed_in(signed_in_window: MainWindow) -> None:
    window = signed_in_window
    start_new_session(window)
    panel = window.charting.session_panel
    assert window.charting.tabs.currentIndex() == 1
    assert panel.practitioner.currentText() == "Dr. Ana Müller"
    assert stored_session(window).session.practitioner_name == "Dr. Ana Müller"


def test_a_practitioner_added_meanwhile_is_offered_at_once(signed_in_window: MainWindow) -> None:
    window = signed_in_window
    start_new_session(window)
    catalogue.add_practitioner(ctx_of(window), "Dr. Olumide Bello")
    window.apply_changes(Changes(practitioners=True, elsewhere=True))
    panel = window.charting.session_panel
    offered = [panel.practitioner.itemText(i) for i in range(panel.practitioner.count())]
    assert "Dr. Olumide Bello" in offered
    assert panel.practitioner.currentText() == "Dr. Ana Müller", "the session's own stays chosen"


# Room for the text ----------------------------------------------------------------------------------------
def test_every_hint_fits_in_its_field_at_1366_by_768(window: MainWindow) -> None:
    panel = _session_tab(window)
    for line in panel.findChildren(QLineEdit):
        hint = line.placeholderText()
        if not hint or not line.isVisibleTo(panel):
            continue
        room = line.contentsRect().width() - 8  # the frame's and the text's own margins
        assert line.fontMetrics().horizontalAdvance(hint) <= room, f"{hint!r} is cut off in a {room}-px field"


def test_the_ceap_message_is_shown_whole_within_the_tab(qtbot: QtBot, window: MainWindow) -> None:
    panel = _session_tab(window)
    line = panel.ceap_left.lineEdit()
    assert line is not None
    _retype(qtbot, line, "C9 both legs with swelling since the summer")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    _settle()
    message = next(
        label
        for label in panel.findChildren(QLabel)
        if label.text().startswith('"C9" is not a CEAP clinical class') and label.isVisibleTo(panel)
    )
    assert "not a CEAP clinical class" in message.text()
    assert message.height() >= message.heightForWidth(message.width()), "every line of the message has room"
    scroller = window.charting.tabs.currentWidget()
    assert isinstance(scroller, QScrollArea)
    right_edge = message.mapTo(scroller.viewport(), QPoint(message.width(), 0)).x()
    assert right_edge <= scroller.viewport().width(), "the message is not cut off at the tab's right edge"


# The status bar -------------------------------------------------------------------------------------------
def test_the_status_bar_never_says_saved_while_the_tab_says_not_saved(qtbot: QtBot, window: MainWindow) -> None:
    panel = _session_tab(window)
    status = window.statusBar()
    _retype(qtbot, panel.weight, "72")
    qtbot.keyClick(panel.weight, Qt.Key.Key_Return)
    assert status.currentMessage() == "Session details saved."
    _retype(qtbot, panel.stocking, "Class II thigh-high")
    assert "not saved yet" in panel.saved_state.text().lower()
    assert "saved" not in status.currentMessage().lower()

    qtbot.keyClick(panel.stocking, Qt.Key.Key_Return)
    assert status.currentMessage() == "Session details saved."
    _retype(qtbot, panel.weight, "heavy")
    qtbot.keyClick(panel.weight, Qt.Key.Key_Return)
    assert panel.saved_state.text().startswith("Not saved")
    assert "saved" not in status.currentMessage().lower()


def test_a_message_about_the_session_before_goes_when_another_opens(qtbot: QtBot, window: MainWindow) -> None:
    panel = _session_tab(window)
    _retype(qtbot, panel.weight, "72")
    qtbot.keyClick(panel.weight, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "Session details saved."
    ctx = ctx_of(window)
    patient_id = stored_session(window).session.patient_id
    other = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=71.0))
    window.open_session(other.id)
    assert window.statusBar().currentMessage() == ""


def test_a_message_about_the_patient_before_goes_when_another_is_chosen(window: MainWindow) -> None:
    other = patients.create_patient(
        ctx_of(window), patient_draft(chart_number="SC-0002", family_name="Ørsted", given_name="Ida")
    )
    window.charting.controller.close_session()  # no session open: the chart beside is the patient's alone
    window.statusBar().showMessage("Zoë Łukasiewicz-Ødegård saved.", 8000)
    window.run_search()
    window.patient_table.selectRow(next(r for r in range(2) if window.patient_model.hit(r).id == other.id))
    assert window.patient is not None and window.patient.id == other.id
    assert window.statusBar().currentMessage() == ""


# Words ----------------------------------------------------------------------------------------------------
def test_one_deleted_site_is_it_not_them(window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_session(window).sites
    window.charting.controller.delete_sites([site.id])
    assert window.statusBar().currentMessage() == "Deleted site 1. Ctrl+Z brings it back."
