"""Patients who received a lot, from the window: find, read the list whole, save it as CSV."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import View
from sclerochart.services import audit, sites
from sclerochart.ui.lot_recall_dialog import LotRecallDialog
from sclerochart.ui.main_window import MainWindow
from tests.ui.helpers import click, ctx_of, stored_session, stored_sites


def test_a_lot_is_found_from_the_file_menu_and_saved_as_csv(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    click(window.charting.canvas, View.ANTERIOR, 0, 50)
    ctx = ctx_of(window)
    first, second = stored_sites(window)
    sites.edit_site(ctx, first.id, replace(first.draft(), lot_number="ABC-123"), first.version)
    entry = next(a for a in window.findChildren(QAction) if a.text() == "Patients who received a &lot…")
    dialog = LotRecallDialog(window.api, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.lot.setText("   ")
    dialog.find_lot()
    assert "Lot: is empty" in dialog.outcome.text()
    assert dialog.model.rowCount() == 0 and not dialog.export_button.isEnabled()
    dialog.lot.setText("abc-123")
    dialog.find_lot()
    assert dialog.model.rowCount() == 1
    assert dialog.outcome.text() == "Lot abc-123: 1 site in 1 patient."
    row = [dialog.model.item(0, column).text() for column in range(dialog.model.columnCount())]
    assert row[0] == "SC-0001" and row[1] == "Łukasiewicz-Ødegård, Zoë" and row[-1] == "ABC-123"
    written = dialog.export(tmp_path / "recall")
    assert written == tmp_path / "recall.csv" and "ABC-123" in written.read_text(encoding="utf-8-sig")
    patient_id = stored_session(window).session.patient_id
    actions = [e.action for e in audit.history(ctx, "patient", patient_id) if e.action in ("view", "export")]
    assert actions[-2:] == ["view", "export"], "seen and saved: both in the disclosure log"
    assert entry.shortcut().toString() == "Ctrl+Shift+L"
    assert second.lot_number == ""
