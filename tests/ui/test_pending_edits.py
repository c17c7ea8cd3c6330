"""A value typed but not stored yet says so, and is stored (or stops the action) before a sign, print or switch."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionState, View
from sclerochart.services import patients, sessions
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.signing import PASSWORD, make_complete
from tests.ui.helpers import DialogAnswers, click, ctx_of, stored_session, stored_sites, type_and_press

OK = QDialogButtonBox.StandardButton.Ok


def _type_volume(qtbot: QtBot, window: MainWindow, text: str) -> QLineEdit:
    """Put a site on the leg, open its fields and type a volume without leaving the field.

    The volumes typed stay within the label's 0.3 mL per injection of polidocanol (more asks for a reason).
    """
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    window.charting.edit_site(site.id)  # the cursor goes into the volume, its text selected
    volume = window.charting.site_editor.volume
    qtbot.waitUntil(volume.hasFocus)
    qtbot.keyClicks(volume, text)
    assert volume.text() == text
    return volume


def _type_notes(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.charting.show_session_details()
    notes = window.charting.session_panel.notes
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    qtbot.keyClicks(notes, text)


def _second_patient(window: MainWindow) -> None:
    patients.create_patient(
        ctx_of(window), patient_draft(chart_number="SC-0002", family_name="Ørsted", given_name="Ida")
    )
    window.run_search()
    assert [window.patient_model.hit(row).chart_number for row in range(2)] == ["SC-0001", "SC-0002"]


def test_a_value_typed_but_not_left_is_shown_as_not_saved_yet(qtbot: QtBot, window: MainWindow) -> None:
    volume = _type_volume(qtbot, window, "0.25")
    editor = window.charting.site_editor
    assert editor.form.message("Volume").startswith("Not saved yet: press Enter or Tab")
    assert stored_sites(window)[0].volume_ml == 0.2
    qtbot.keyClick(volume, "\r")
    assert stored_sites(window)[0].volume_ml == 0.25
    assert editor.form.message("Volume") == ""

    _type_notes(qtbot, window, "Left leg first")
    panel = window.charting.session_panel
    assert panel.form.message("Notes").startswith("Not saved yet")
    assert "not saved yet" in panel.saved_state.text().lower()


def test_signing_first_stores_the_volume_typed(qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers) -> None:
    make_complete(ctx_of(window), window.charting.controller.session_id)
    window.charting.controller.refresh()
    _type_volume(qtbot, window, "0.25")
    dialogs.answer(lambda dialog: type_and_press(dialog, PASSWORD, OK))
    window.charting.sign_action.trigger()
    assert dialogs.seen == ["Sign session"]
    detail = stored_session(window)
    assert detail.session.state is SessionState.SIGNED
    assert detail.sites[0].volume_ml == 0.25
    assert window.charting.site_editor.volume.text() == "0.25"


def test_exporting_first_stores_the_notes_typed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _type_notes(qtbot, window, "Left leg first")
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), "PDF documents (*.pdf)"))
    window.documents.export_report_action.trigger()
    qtbot.waitUntil(lambda: target.exists() and not window.tasks.busy, timeout=10_000)
    assert stored_session(window).session.notes == "Left leg first"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Left leg first" in text


def test_choosing_another_patient_first_stores_the_volume_typed(qtbot: QtBot, window: MainWindow) -> None:
    session_id = window.charting.controller.session_id
    _second_patient(window)
    _type_volume(qtbot, window, "0.25")
    window.patient_table.selectRow(1)
    assert window.patient is not None and window.patient.chart_number == "SC-0002"
    assert window.charting.controller.detail is None
    assert stored_session(window, session_id).sites[0].volume_ml == 0.25


def test_a_new_session_first_stores_the_notes_typed(qtbot: QtBot, window: MainWindow) -> None:
    session_id = window.charting.controller.session_id
    _type_notes(qtbot, window, "Patient prefers mornings")
    window.new_session_action.trigger()
    assert window.charting.controller.session_id != session_id
    assert stored_session(window, session_id).session.notes == "Patient prefers mornings"


def test_closing_the_window_first_stores_the_volume_typed(qtbot: QtBot, window: MainWindow) -> None:
    session_id = window.charting.controller.session_id
    _type_volume(qtbot, window, "0.15")
    assert window.close()
    assert stored_session(window, session_id).sites[0].volume_ml == 0.15


# A value that is not allowed stops the action ---------------------------------------------------------
def _accept_anything(dialog: QDialog) -> None:
    if dialog.findChild(QLineEdit) is not None:
        type_and_press(dialog, "Dr. Ana Müller", OK)
    else:
        dialog.accept()


def test_a_volume_not_allowed_stops_the_signing(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers, warnings: list[str]
) -> None:
    _type_volume(qtbot, window, "lots")
    dialogs.answer(_accept_anything, wait_ms=500)
    window.charting.sign_action.trigger()
    qtbot.wait(50)
    assert dialogs.seen == [], "no signature is asked for while a field holds a value that cannot be stored"
    detail = stored_session(window)
    assert detail.session.state is SessionState.DRAFT and detail.sites[0].volume_ml == 0.2
    editor = window.charting.site_editor
    assert editor.form.message("Volume").startswith("Volume must be a number")
    assert warnings and "not signed" in warnings[-1]


def test_a_weight_not_allowed_stops_printing_and_exporting(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    window.charting.show_session_details()
    weight = window.charting.session_panel.weight
    weight.setFocus()
    qtbot.waitUntil(weight.hasFocus)
    weight.selectAll()
    qtbot.keyClicks(weight, "7O")  # a letter O for a zero
    asked: list[str] = []

    def print_dialog(dialog: QPrintDialog) -> int:
        asked.append("print")
        dialog.printer().setOutputFileName(str(tmp_path / "printed.pdf"))
        return QPrintDialog.DialogCode.Accepted

    def save_dialog(*_args: object) -> tuple[str, str]:
        asked.append("export")
        return str(tmp_path / "report.pdf"), "PDF documents (*.pdf)"

    monkeypatch.setattr(QPrintDialog, "exec", print_dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.documents.print_report_action.trigger()
    window.documents.print_handout_action.trigger()
    window.documents.export_report_action.trigger()
    window.documents.export_summary_action.trigger()
    qtbot.wait(100)
    assert asked == [] and not window.tasks.busy
    assert list(tmp_path.glob("*.pdf")) == []
    assert len(warnings) == 4 and "not printed" in warnings[0] and "not exported" in warnings[2]
    assert window.charting.session_panel.form.message("Weight").startswith("Weight must be a number")
    assert stored_session(window).session.weight_kg == 70.0


def test_a_volume_not_allowed_keeps_the_patient_and_the_session_open(
    qtbot: QtBot, window: MainWindow, warnings: list[str]
) -> None:
    session_id = window.charting.controller.session_id
    _second_patient(window)
    volume = _type_volume(qtbot, window, "25")
    window.patient_table.selectRow(1)
    assert window.patient is not None and window.patient.chart_number == "SC-0001"
    assert window.charting.controller.session_id == session_id
    rows = [index.row() for index in window.patient_table.selectionModel().selectedRows()]
    assert rows == [0]
    assert volume.text() == "25"
    assert window.charting.site_editor.form.message("Volume").startswith("Volume is 25 mL")
    window.new_session_action.trigger()
    assert window.charting.controller.session_id == session_id
    assert len(sessions.list_sessions(ctx_of(window), window.patient.id)) == 1
    assert not window.close()
    assert window.isVisible()
    assert all("not" in text.lower() for text in warnings) and len(warnings) >= 2
    volume.setFocus()
    volume.selectAll()
    qtbot.keyClicks(volume, "0.25")
    assert window.close()
    assert stored_session(window, session_id).sites[0].volume_ml == 0.25


def test_a_value_stored_in_its_usual_spelling_is_shown_so_and_not_as_pending(qtbot: QtBot, window: MainWindow) -> None:
    window.charting.show_session_details()
    panel = window.charting.session_panel
    line = panel.ceap_right.lineEdit()
    assert line is not None
    panel.ceap_right.setFocus()
    qtbot.waitUntil(panel.ceap_right.hasFocus)
    for _ in range(2):  # the second time the stored value stays the same: only its version moves on
        line.selectAll()
        qtbot.keyClicks(line, "c2r,s")
        assert panel.form.message("CEAP right leg").startswith("Not saved yet")
        qtbot.keyClick(line, "\r")
        assert stored_session(window).session.ceap_right == "C2r,S"
        assert panel.ceap_right.currentText() == "C2r,S"
        assert panel.form.message("CEAP right leg") == ""
        assert "not saved" not in panel.saved_state.text().lower()
