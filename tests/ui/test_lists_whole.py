"""Names in the window's lists are shown whole at 1366×768: a long one goes on over a second line, never cut off."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionDraft
from sclerochart.services import catalogue, patients, sessions
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.ui.helpers import ctx_of

LONG_PRACTITIONER = "Dr. Hélène Dubois-Martin de Saint-Exupéry"
LONG_NAME = "Papadopoulou-Christodoulou"


def _whole(table: QTableView, index: QModelIndex) -> bool:
    """The cell's text fits its cell as the table draws it (wrapped at word boundaries where allowed)."""
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    cell = table.visualRect(index).adjusted(3, 0, -3, 0)  # the cell's text margins
    flags = Qt.TextFlag.TextWordWrap if table.wordWrap() else Qt.TextFlag.TextSingleLine
    needed = table.fontMetrics().boundingRect(QRect(0, 0, cell.width(), 10_000), int(flags), text)
    return needed.width() <= cell.width() and needed.height() <= cell.height()


def _cells(table: QTableView) -> list[QModelIndex]:
    model = table.model()
    return [model.index(row, column) for row in range(model.rowCount()) for column in range(model.columnCount())]


def test_a_long_practitioner_and_patient_name_are_shown_whole(qtbot: QtBot, window: MainWindow) -> None:
    ctx = ctx_of(window)
    doctor = catalogue.add_practitioner(ctx, LONG_PRACTITIONER)
    patient = patients.create_patient(
        ctx, patient_draft(chart_number="SC-0002", family_name=LONG_NAME, given_name="Anna-Maria")
    )
    sessions.start_session(ctx, patient.id, SessionDraft(doctor.id, ctx.clock(), weight_kg=70.0))
    window.search_field.setText("papado")
    window.run_search()
    qtbot.waitUntil(lambda: window.patient is not None and window.patient.id == patient.id, timeout=5_000)
    qtbot.waitUntil(lambda: window.session_model.rowCount() == 1, timeout=5_000)
    for table in (window.patient_table, window.session_table):
        cut = [str(index.data()) for index in _cells(table) if not _whole(table, index)]
        assert not cut, cut
