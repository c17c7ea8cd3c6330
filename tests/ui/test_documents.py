"""Print and export from the window: files written off the GUI thread, the folder remembered, the printer fed.

Each document printed or saved is written to the disclosure log once it is made; when the log cannot be written
the document is still there and the user is told.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from sclerochart import settings
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import AuditEntry, View
from sclerochart.services import audit, clinic, patients
from sclerochart.ui.clinic_settings_dialog import ClinicSettingsDialog
from sclerochart.ui.documents import FOLDER_KEY, preferences
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.ui.helpers import click, ctx_of


def _text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _disclosures(window: MainWindow, entity: str, entity_id: str) -> list[AuditEntry]:
    """The disclosure log's events (prints and exports) of one record, oldest first."""
    return [e for e in audit.history(ctx_of(window), entity, entity_id) if e.action in ("print", "export")]


def _what(events: list[AuditEntry]) -> list[tuple[str, str]]:
    return [(event.action, str((event.after or {}).get("what", ""))) for event in events]


def _printing_to(monkeypatch: pytest.MonkeyPatch, printed: Path) -> None:
    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFileName(str(printed))  # a PDF "printer" stands in for the real one
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)


def _choose(monkeypatch: pytest.MonkeyPatch, answer: Path, asked: list[str]) -> None:
    def save_dialog(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(answer), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)


def test_export_writes_the_file_and_remembers_the_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 40.0)
    folder = tmp_path / "exports"
    folder.mkdir()
    asked: list[str] = []
    _choose(monkeypatch, folder / "report", asked)  # no .pdf typed: it is added
    window.documents.export_report_action.trigger()
    qtbot.waitUntil(lambda: (folder / "report.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert "Łukasiewicz-Ødegård, Zoë" in _text(folder / "report.pdf")
    assert "Session report saved" in window.statusBar().currentMessage()
    assert preferences().value(FOLDER_KEY) == str(folder)

    _choose(monkeypatch, folder / "handout.pdf", asked)
    window.documents.export_handout_action.trigger()
    qtbot.waitUntil(lambda: (folder / "handout.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert asked[1] == str(folder / "SC-0001 2026-11-23 aftercare handout.pdf")
    assert "For Zoë Łukasiewicz-Ødegård" in _text(folder / "handout.pdf")

    _choose(monkeypatch, folder / "summary.pdf", asked)
    window.documents.export_summary_action.trigger()
    qtbot.waitUntil(lambda: (folder / "summary.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert "Treatment summary" in _text(folder / "summary.pdf")


def test_an_unwritable_folder_gives_a_message_and_no_file(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    _choose(monkeypatch, tmp_path / "gone" / "report.pdf", [])
    window.documents.export_report_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings) and not window.tasks.busy, timeout=10_000)
    assert "does not exist" in warnings[0]
    assert not (tmp_path / "gone").exists()
    assert _disclosures(window, "session", window.charting.controller.session_id) == [], "nothing left the program"


def test_print_handout_sends_every_page_to_the_printer(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "printed.pdf"
    _printing_to(monkeypatch, printed)
    window.documents.print_handout_action.trigger()
    qtbot.waitUntil(lambda: "sent to the printer" in window.statusBar().currentMessage(), timeout=20_000)
    pages = len(PdfReader(io.BytesIO(printed.read_bytes())).pages)
    assert pages == 2 and "2 pages" in window.statusBar().currentMessage()
    image = pdfium.PdfDocument(printed)[0].render(scale=0.5).to_pil().convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 2000, "the printed page holds the handout's text"


def test_a_cancelled_print_dialog_prints_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QPrintDialog.DialogCode.Rejected)
    window.documents.print_report_action.trigger()
    assert not window.tasks.busy
    assert _disclosures(window, "session", window.charting.controller.session_id) == []


def test_each_print_and_export_is_written_to_the_disclosure_log(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = window.charting.controller.session_id
    assert window.patient is not None
    patient_id = window.patient.id
    _choose(monkeypatch, tmp_path / "SC-0001 report.pdf", [])
    window.documents.export_report_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "SC-0001 report.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert _what(_disclosures(window, "session", session_id)) == [("export", "session report to SC-0001 report.pdf")]

    _printing_to(monkeypatch, tmp_path / "printed.pdf")
    window.documents.print_handout_action.trigger()
    qtbot.waitUntil(lambda: "sent to the printer" in window.statusBar().currentMessage(), timeout=20_000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10_000)
    events = _disclosures(window, "session", session_id)
    assert [event.action for event in events] == ["export", "print"]
    assert _what(events)[1][1].startswith("aftercare handout, 2 pages, printed")

    window.documents.print_report_action.trigger()
    qtbot.waitUntil(lambda: len(_disclosures(window, "session", session_id)) == 3, timeout=20_000)
    assert _what(_disclosures(window, "session", session_id))[2][1].startswith("session report, ")

    _choose(monkeypatch, tmp_path / "summary.pdf", [])
    window.documents.export_summary_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "summary.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert _what(_disclosures(window, "patient", patient_id)) == [("export", "treatment summary to summary.pdf")]
    assert all(event.actor == ctx_of(window).acting() and event.before is None for event in events)


def test_a_disclosure_log_that_cannot_be_written_is_said_and_the_document_is_kept(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    def refuse(*_args: object) -> None:
        raise UserError("The database is locked by another program.", "Close it, then try again.")

    monkeypatch.setattr(window.api, "record_disclosure", refuse)
    _choose(monkeypatch, tmp_path / "report.pdf", [])
    window.documents.export_report_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings) and not window.tasks.busy, timeout=10_000)
    assert (tmp_path / "report.pdf").exists(), "the document is made"
    assert (
        "The session report was saved, but the record of it in the disclosure log could not be written" in (warnings[0])
    )
    assert "locked by another program" in warnings[0]

    _printing_to(monkeypatch, tmp_path / "printed.pdf")
    window.documents.print_handout_action.trigger()
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=20_000)
    assert "The aftercare handout was printed, but the record of it in the disclosure log" in warnings[1]
    assert (tmp_path / "printed.pdf").exists()


def test_session_documents_need_an_open_session(window: MainWindow) -> None:
    assert window.documents.print_report_action.isEnabled()
    window.charting.controller.close_session()
    assert not window.documents.print_report_action.isEnabled()
    assert not window.documents.print_handout_action.isEnabled()
    assert window.documents.export_summary_action.isEnabled()  # the patient is still chosen


def test_clinic_settings_save_all_or_nothing_and_reset_a_text(
    qtbot: QtBot, window: MainWindow, warnings: list[str]
) -> None:
    ctx = ctx_of(window)
    dialog = ClinicSettingsDialog(window.api, window)
    qtbot.addWidget(dialog)
    dialog.editors["clinic_phone"].setText("+47 22 00 00 00")  # type: ignore[attr-defined]
    expect = dialog.editors["handout_expect"]
    assert isinstance(expect, QPlainTextEdit)
    expect.setPlainText("See you on {next_sesion}.")
    dialog.accept()
    assert "Aftercare: what to expect" in warnings[0] and "{next_sesion}" in warnings[0]
    assert clinic.load_settings(ctx).clinic_phone == "", "nothing is saved while one value is wrong"

    expect.setPlainText("See you from {next_session}.")
    red = QImage(400, 200, QImage.Format.Format_RGB32)
    red.fill(QColor("#d00000"))
    dialog.set_logo_image(red)
    dialog.accept()
    stored = clinic.load_settings(ctx)
    assert stored.clinic_phone == "+47 22 00 00 00"
    assert stored.handout_expect == "See you from {next_session}."
    logo = clinic.load_logo(ctx)
    assert logo is not None and logo.startswith(b"\x89PNG")

    again = ClinicSettingsDialog(window.api, window)
    qtbot.addWidget(again)
    again.reset_text("handout_expect")
    again.accept()
    assert clinic.load_settings(ctx).handout_expect == settings.handout_defaults()["handout_expect"]


def test_the_logo_is_printed_in_the_header(window: MainWindow, tmp_path: Path) -> None:
    from sclerochart.reports.session_report import session_report
    from sclerochart.services import records

    red = QImage(300, 120, QImage.Format.Format_RGB32)
    red.fill(QColor("#d00000"))
    dialog = ClinicSettingsDialog(window.api, window)
    dialog.set_logo_image(red)
    dialog.accept()
    record = records.session_record(ctx_of(window), window.charting.controller.session_id)
    page = pdfium.PdfDocument(session_report(record, ctx_of(window).clock()))[0].render(scale=2).to_pil().convert("RGB")
    # the logo sits in the top-left corner of the header: 16 mm margin, about 30 mm wide and 12 mm high
    spot = page.getpixel((round(16 / 25.4 * 72 * 2 + 30), round(16 / 25.4 * 72 * 2 + 6)))
    assert spot[0] > 180 and spot[1] < 60 and spot[2] < 60, spot


def _chart_shown(window: MainWindow) -> str | None:
    return window.patient.chart_number if window.patient is not None else None


def test_a_patient_without_sessions_can_have_a_summary(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patients.create_patient(
        ctx_of(window), patient_draft(chart_number="SC-0009", family_name="Ørsted", given_name="Ida")
    )
    window.search_field.setText("SC-0009")
    window.run_search()
    assert _chart_shown(window) == "SC-0009"
    assert window.session_model.rowCount() == 0
    assert window.documents.export_summary_action.isEnabled()
    assert not window.documents.export_report_action.isEnabled()
    _choose(monkeypatch, tmp_path / "summary.pdf", [])
    window.documents.export_summary_action.trigger()
    qtbot.waitUntil(lambda: (tmp_path / "summary.pdf").exists() and not window.tasks.busy, timeout=10_000)
    assert "Ørsted, Ida" in _text(tmp_path / "summary.pdf")


def test_a_name_no_font_can_print_is_refused_before_the_print_or_save_dialog(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warnings: list[str]
) -> None:
    ctx = ctx_of(window)
    stored = window.patient
    assert stored is not None
    patients.update_patient(ctx, stored.id, replace(stored.draft(), family_name="Schmi\U00010480dt"), stored.version)
    asked: list[str] = []
    _choose(monkeypatch, tmp_path / "report.pdf", asked)

    def print_dialog(_dialog: QPrintDialog) -> int:
        asked.append("print dialog")
        return 0

    monkeypatch.setattr(QPrintDialog, "exec", print_dialog)
    for act in (window.documents.export_report_action, window.documents.print_handout_action):
        act.trigger()
    assert asked == [], "no dialog opened for a document that cannot be made"
    assert len(warnings) == 2
    assert all("Osmanya letter alef" in warning and "family name" in warning for warning in warnings), warnings
    assert not (tmp_path / "report.pdf").exists()
