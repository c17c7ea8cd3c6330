"""The clinic's outcome figures in a window: a period, a grouping, the table, a bar chart, Save as CSV.

The figures are read once per period (one pass over the period's sites); changing the grouping regroups
what was read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.domain.outcome_figures import DEFINITION, GROUPING_WORDS, Grouping, OutcomeFigures, OutcomeRow
from sclerochart.reports.export import save_file
from sclerochart.reports.outcome_table import columns, outcome_csv, row_of
from sclerochart.ui.tables import row_table
from sclerochart.ui.tasks import TaskRunner

CLEARED = QColor("#2e8b57")
COMPLICATIONS = QColor("#c0392b")


class OutcomeChart(QWidget):
    """A bar per group: the mean cleared fraction (green) and complications per 100 followed up (red)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[OutcomeRow, ...] = ()
        self.empty_words = "Choose the period and press Show."
        self.setMinimumSize(320, 200)

    def show_rows(self, rows: tuple[OutcomeRow, ...]) -> None:
        """Draw these groups (at most twelve: the largest)."""
        self.rows = rows[:12]
        self.empty_words = "No site in this period."
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Two thin bars per group, the group's name to their left, each labelled.

        The mean cleared % is drawn against 0–100, the complications per 100 followed up against the largest
        of them (they are far smaller).
        """
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        if not self.rows:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_words)
            painter.end()
            return
        rates = [(row.complication_rate or 0) * 100 for row in self.rows if row.followed_up]
        most = max(rates, default=0.0) or 1.0
        label_width = min(220, max(metrics.horizontalAdvance(row.group) for row in self.rows) + 12)
        top = metrics.height() + 8
        legend = f"■ mean cleared % (0–100)   ■ complications per 100 followed up (0–{most:.1f})"
        painter.drawText(QRectF(label_width, 0, self.width() - label_width, metrics.height() + 4), legend)
        painter.fillRect(QRectF(label_width, 4, 10, 10), CLEARED)
        offset = metrics.horizontalAdvance("■ mean cleared % (0–100)   ")
        painter.fillRect(QRectF(label_width + offset, 4, 10, 10), COMPLICATIONS)
        band = max(22.0, (self.height() - top - 4) / len(self.rows))
        room = self.width() - label_width - 70
        for index, row in enumerate(self.rows):
            y = top + index * band
            name = metrics.elidedText(row.group, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y, label_width - 8, band), Qt.AlignmentFlag.AlignVCenter, name)
            rate = (row.complication_rate or 0) * 100 if row.followed_up else None
            bars = (
                (row.mean_cleared, room / 100, CLEARED, "{:.1f} %"),
                (rate, room / most, COMPLICATIONS, "{:.1f}"),
            )
            for part, (value, scale, colour, words) in enumerate(bars):
                bar_top = y + 3 + part * (band - 6) / 2
                if value is None:
                    painter.drawText(QRectF(label_width, bar_top, 200, (band - 6) / 2), "not followed up")
                    continue
                painter.fillRect(QRectF(label_width, bar_top, value * scale, (band - 6) / 2 - 1), colour)
                painter.drawText(
                    QRectF(label_width + value * scale + 4, bar_top, 66, (band - 6) / 2),
                    Qt.AlignmentFlag.AlignVCenter,
                    words.format(value),
                )
        painter.end()


class OutcomeFiguresWindow(QDialog):
    """The figures of a period, grouped as chosen."""

    def __init__(self, api: ClinicApi, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.tasks = tasks
        self.figures: OutcomeFigures | None = None
        self.setWindowTitle("Outcome figures of the clinic")
        today = api.clock().date()
        self.all_time = QCheckBox("All sessions")
        self.start = QDateEdit(QDate(today.year - 1, today.month, min(today.day, 28)))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for field in (self.start, self.end):
            field.setCalendarPopup(True)
            field.setDisplayFormat("dd.MM.yyyy")
            field.setMinimumHeight(36)
        self.grouping = QComboBox()
        self.grouping.setMinimumHeight(36)
        for grouping in Grouping:
            self.grouping.addItem(GROUPING_WORDS[grouping], grouping.value)
        self.show_button = QPushButton("Show")
        self.show_button.setDefault(True)
        self.save_button = QPushButton("Save as CSV…")
        for button in (self.show_button, self.save_button):
            button.setMinimumHeight(36)
        self.save_button.setEnabled(False)
        self.model = QStandardItemModel(self)
        self.table = row_table(self.model, stretch=0, wrap=True)
        self.chart = OutcomeChart()
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        definition = QLabel(DEFINITION)
        definition.setWordWrap(True)
        definition.setStyleSheet("color: #555;")
        period = QHBoxLayout()
        for widget in (QLabel("Sessions from"), self.start, QLabel("to"), self.end, self.all_time):
            period.addWidget(widget)
        period.addSpacing(16)
        period.addWidget(QLabel("Grouped by"))
        period.addWidget(self.grouping)
        period.addStretch(1)
        period.addWidget(self.show_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        close = QPushButton("Close")
        close.setMinimumHeight(36)
        foot = QHBoxLayout()
        foot.addWidget(self.save_button)
        foot.addStretch(1)
        foot.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.outcome)
        layout.addWidget(splitter, 1)
        layout.addWidget(definition)
        layout.addLayout(foot)
        self.show_button.clicked.connect(self.read)
        self.grouping.currentIndexChanged.connect(lambda _index: self.show_figures())
        self.all_time.toggled.connect(self._all_time)
        self.save_button.clicked.connect(lambda: self.export())
        close.clicked.connect(self.accept)
        self.resize(1100, 700)

    def _all_time(self, checked: bool) -> None:
        self.start.setEnabled(not checked)
        self.end.setEnabled(not checked)

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The period chosen (None, None: every session)."""
        if self.all_time.isChecked():
            return None, None
        start, end = self.start.date(), self.end.date()
        return dt.date(start.year(), start.month(), start.day()), dt.date(end.year(), end.month(), end.day())

    def read(self) -> None:
        """Read the figures of the period chosen, off the GUI thread.

        The first time after an update of a large clinic the sums of every patient are worked out: that takes
        a while, and the window says so.
        """
        start, end = self.period()
        self.show_button.setEnabled(False)
        self.outcome.setStyleSheet("")
        self.outcome.setText("Working out the figures… (the first time after an update this can take a minute)")
        self.tasks.run(lambda: self.api.outcome_figures(start, end), self._read, self._refused)

    def _read(self, figures: OutcomeFigures) -> None:
        self.show_button.setEnabled(True)
        self.figures = figures
        self.show_figures()

    def _refused(self, error: UserError) -> None:
        self.show_button.setEnabled(True)
        self.outcome.setText(f"{error.message} {error.hint}".strip())
        self.outcome.setStyleSheet("color: #b00020;")

    def _grouping(self) -> Grouping:
        return Grouping(self.grouping.currentData())

    def show_figures(self) -> None:
        """Fill the table and chart from the figures read, grouped as chosen."""
        figures = self.figures
        if figures is None:
            return
        grouping = self._grouping()
        rows = figures.rows(grouping)
        self.model.clear()
        self.model.setHorizontalHeaderLabels(list(columns(grouping)))
        for row in (*rows, figures.total()):
            items = [QStandardItem(text) for text in row_of(row)]
            for item in items[1:]:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(items)
        self.chart.show_rows(rows)
        total = figures.total()
        self.outcome.setText(
            f"Sessions of {figures.period_words()}: {total.sites} sites, {total.followed_up} followed up, "
            f"{total.rated} rated."
        )
        self.save_button.setEnabled(bool(rows))

    def export(self, target: Path | None = None) -> Path | None:
        """Save the table shown as CSV (asks where unless told); the file written, or None."""
        if self.figures is None:
            return None
        if target is None:
            chosen, _filter = QFileDialog.getSaveFileName(self, "Save outcome figures", "outcomes.csv", "CSV (*.csv)")
            if not chosen:
                return None
            target = Path(chosen)
        try:
            written = save_file(outcome_csv(self.figures, self._grouping()), str(target), ".csv", "outcomes.csv")
        except UserError as error:
            self.outcome.setText(f"{error.message} {error.hint}".strip())
            return None
        self.outcome.setText(f"Saved to {written}.")
        return Path(written)
