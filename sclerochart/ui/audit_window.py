"""The audit trail window: who did what to one patient's record or one session, and when, filtered and saved.

Opening the window writes that the trail was viewed; saving it as CSV or PDF writes that it was exported and to
which file. Files are built and written on the TaskRunner's threads into a temporary file beside the target; the
export is logged, and only then is the file put in place, so a failure leaves no half-written file behind.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.clock import local_of
from sclerochart.domain.errors import UserError
from sclerochart.readmodels import Changes
from sclerochart.reports.audit_report import COLUMNS, AuditRow, Kind, audit_row, audit_trail_pdf, cells
from sclerochart.ui.audit_files import CSV, PDF, FileFormat, Unplaced, csv_bytes, explained, write_beside
from sclerochart.ui.audit_models import ROW_ROLE, AuditFilter, AuditTableModel
from sclerochart.ui.documents import FOLDER_KEY, Document, file_name, preferences
from sclerochart.ui.tasks import TaskRunner

NOTHING_CHOSEN = "Choose an event in the list to read all of it here."
NOTHING_SHOWN = "No event matches the filters: change them, or press Show all."
TARGET_HEIGHT = 36
"""Buttons and fields big enough to hit with gloves on."""

ENTITIES = ("patient", "session")


def _button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setMinimumHeight(TARGET_HEIGHT)
    button.setAutoDefault(False)  # Return in the search field must not press a button
    button.clicked.connect(slot)
    return button


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class AuditWindow(QDialog):
    """Who did what and when to one patient's record (and their sessions) or to one session.

    Args:
        api: The clinic's records.
        entity: "patient" or "session".
        entity_id: The patient's or session's id.
        title: The record in words, for the window title and the printed copy: "Łukasiewicz, Zoë (SC-0001)".
        parent: The window it belongs to (it stays open beside it, not modal).
        runner: Runs file writing off the GUI thread; the window makes its own when none is given.
    """

    saved = Signal(object)
    """A file was written and put in place (its Path)."""
    save_failed = Signal(object)
    """A file could not be saved (the UserError, already shown to the user)."""

    def __init__(
        self,
        api: ClinicApi,
        *,
        entity: str,
        entity_id: str,
        title: str,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        if entity not in ENTITIES:
            raise ValueError(f"an audit trail is of a patient or a session, not {entity!r}")
        self.api, self.entity, self.entity_id, self.title = api, entity, entity_id, title
        self.runner = runner or TaskRunner(self)
        self._viewed = False
        self._saving = False
        self._unplaced = Unplaced()
        self.setModal(False)
        self.setWindowTitle(f"Audit trail – {title}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.resize(1180, 680)

        self.model = AuditTableModel(self)
        self.proxy = AuditFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.refresh()

    # Layout ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        heading = QLabel(f"Audit trail of {'the patient' if self.entity == 'patient' else 'the session'}: {self.title}")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        what = (
            "Every change to the patient's record and to each of their sessions"
            if self.entity == "patient"
            else "Every change to the session, its sites, tracings and follow-ups"
        )
        about = QLabel(
            f"{what}, and each time it was viewed, printed or saved: who, on which computer, and when "
            "(local time, with its offset from UTC)."
        )
        about.setWordWrap(True)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search who, what or details…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(TARGET_HEIGHT)
        self.search.setToolTip("Shows the events that hold every word typed (Ctrl+F)")
        self.search.textChanged.connect(self._text_changed)
        self.kind = QComboBox()
        self.kind.addItem("All events", None)
        for kind in (Kind.CHANGE, Kind.SIGNATURE, Kind.DISCLOSURE):
            self.kind.addItem(kind.value, kind)
        self.kind.setItemData(2, "Sessions signed, amended or voided", Qt.ItemDataRole.ToolTipRole)
        self.kind.setMinimumHeight(TARGET_HEIGHT)
        self.kind.setToolTip("Show one kind of event")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.use_first, self.first = self._date_filter("From", "Show events from this day on")
        self.use_last, self.last = self._date_filter("To", "Show events up to and including this day")
        self.clear_button = _button("Show all", "Clear the search, the kind and the dates", self.clear_filters)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.kind, 2)
        for widget in (self.use_first, self.first, self.use_last, self.last, self.clear_button):
            filters.addWidget(widget)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(max(30, self.fontMetrics().height() + 12))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(NOTHING_CHOSEN)
        self.detail.setToolTip("The chosen event in full")
        lines = self.detail.fontMetrics().lineSpacing()
        self.detail.setFixedHeight(4 * lines + 16)

        self.count = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.refresh_button = _button("Refresh", "Read the trail again (F5)", self.refresh)
        self.csv_button = _button(
            "Save as CSV…", "Save the events shown as a file for a spreadsheet program", lambda: self.save_csv()
        )
        self.pdf_button = _button("Save as PDF…", "Save the events shown as a PDF document", lambda: self.save_pdf())
        self.close_button = _button("Close", "Close this window", self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addWidget(self.status, 1)
        for button in (self.refresh_button, self.csv_button, self.pdf_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

        QShortcut(QKeySequence.StandardKey.Find, self, self._find)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)

    def _date_filter(self, label: str, tip: str) -> tuple[QCheckBox, QDateEdit]:
        box = QCheckBox(label)
        box.setToolTip(tip)
        box.setMinimumHeight(TARGET_HEIGHT)
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setMinimumHeight(TARGET_HEIGHT)
        edit.setToolTip(tip)
        edit.setDate(_qdate(self.api.clock().date()))
        box.toggled.connect(self._dates_changed)
        edit.dateChanged.connect(lambda _date: box.setChecked(True) if not box.isChecked() else self._dates_changed())
        return box, edit

    def _find(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # Reading -----------------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Read the trail again (the first time, write that it was viewed); False when it could not be read."""
        chosen = self.selected_row()
        try:
            if not self._viewed:
                self.api.record_disclosure("view", self.entity, self.entity_id, "audit trail")
                self._viewed = True
            entries = (
                self.api.patient_trail(self.entity_id)
                if self.entity == "patient"
                else self.api.session_trail(self.entity_id)
            )
        except UserError as error:
            self._say(f"The audit trail could not be read. {error.message} {error.hint}".strip(), problem=True)
            return False
        rows = [audit_row(entry) for entry in entries]
        self.model.set_rows(rows)
        self._default_dates(rows)
        self._fit_columns()
        if chosen is not None:
            self._select(chosen.event_id)
        self._counted()
        self._say(f"Read at {self.api.clock():%H:%M:%S}.")
        return True

    def apply_changes(self, changes: Changes) -> None:
        """Read the trail again when the changes (this room's or another's) touch the record shown."""
        if (
            changes.everything
            or (self.entity == "session" and self.entity_id in changes.sessions)
            or (self.entity == "patient" and self.entity_id in changes.patients | changes.session_patients)
        ):
            self.refresh()

    def shown_rows(self) -> list[AuditRow]:
        """The events the filters let through, in the order shown."""
        rows = []
        for line in range(self.proxy.rowCount()):
            row = self.proxy.index(line, 0).data(ROW_ROLE)
            if isinstance(row, AuditRow):
                rows.append(row)
        return rows

    def selected_row(self) -> AuditRow | None:
        """The event chosen in the list, or None."""
        chosen = self.table.selectionModel().selectedRows()
        row = chosen[0].data(ROW_ROLE) if chosen else None
        return row if isinstance(row, AuditRow) else None

    def _select(self, event_id: int) -> None:
        for line in range(self.proxy.rowCount()):
            index = self.proxy.index(line, 0)
            row = index.data(ROW_ROLE)
            if isinstance(row, AuditRow) and row.event_id == event_id:
                self.table.selectRow(line)
                self.table.scrollTo(index)
                return

    def _default_dates(self, rows: Sequence[AuditRow]) -> None:
        """Unticked date fields start at the first and last day of the trail, where a user would begin."""
        if not rows:
            return
        days = [local_of(row.at).date() for row in rows]
        for box, edit, day in ((self.use_first, self.first, min(days)), (self.use_last, self.last, max(days))):
            if not box.isChecked():
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)

    def _fit_columns(self) -> None:
        """Size When, Who, Computer and What to their words (within reason); Details takes the rest."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column, most in ((0, 260), (1, 260), (2, 180), (3, 240)):
            widest = max(
                [metrics.horizontalAdvance(COLUMNS[column]) + 36]
                + [
                    metrics.horizontalAdvance(cells(self.model.row_at(r))[column]) + 20
                    for r in range(self.model.rowCount())
                ]
            )
            header.resizeSection(column, min(widest, most))

    # Filters -----------------------------------------------------------------------------------------
    def _refilter(self, apply: Callable[[], None]) -> None:
        """Change a filter; the event chosen stays chosen while shown, and no other one takes its place."""
        chosen = self.selected_row()
        apply()
        self.table.clearSelection()
        if chosen is not None:
            self._select(chosen.event_id)
        self._counted()

    def _text_changed(self, text: str) -> None:
        self._refilter(lambda: self.proxy.set_text(text))

    def _kind_changed(self, _index: int) -> None:
        kind = self.kind.currentData()
        self._refilter(lambda: self.proxy.set_kind(kind if isinstance(kind, Kind) else None))

    def _dates_changed(self) -> None:
        first = _day(self.first.date()) if self.use_first.isChecked() else None
        last = _day(self.last.date()) if self.use_last.isChecked() else None
        self._refilter(lambda: self.proxy.set_dates(first, last))

    def clear_filters(self) -> None:
        """Show every event again."""
        for widget in (self.search, self.kind, self.use_first, self.use_last):
            widget.blockSignals(True)
        self.search.clear()
        self.kind.setCurrentIndex(0)
        self.use_first.setChecked(False)
        self.use_last.setChecked(False)
        for widget in (self.search, self.kind, self.use_first, self.use_last):
            widget.blockSignals(False)

        def show_all() -> None:
            self.proxy.set_text("")
            self.proxy.set_kind(None)
            self.proxy.set_dates(None, None)

        self._refilter(show_all)
        self._default_dates([self.model.row_at(r) for r in range(self.model.rowCount())])

    def _counted(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        events = f"{total} event{'' if total == 1 else 's'}"
        self.count.setText(events if shown == total else f"{shown} of {events} shown")
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(not self._saving and shown > 0)
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        row = self.selected_row()
        if row is None:
            self.detail.setPlainText("")
            self.detail.setPlaceholderText(NOTHING_CHOSEN if self.proxy.rowCount() else NOTHING_SHOWN)
            return
        place = f" on {row.computer}" if row.computer else ""
        self.detail.setPlainText(f"{row.what} — {row.when}, by {row.who}{place}\n{row.details}")

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b71c1c; font-weight: bold;" if problem else "")

    # Saving ------------------------------------------------------------------------------------------
    def save_csv(self, path: Path | None = None) -> None:
        """Save the events shown as CSV: ask where (unless `path` is given), then write it off the GUI thread."""
        self._save(CSV, path)

    def save_pdf(self, path: Path | None = None) -> None:
        """Save the events shown as a PDF: ask where (unless `path` is given), then make and write it off the GUI."""
        self._save(PDF, path)

    def _ask(self, kind: FileFormat) -> Path | None:
        prefs = preferences()
        folder = str(prefs.value(FOLDER_KEY, "") or Path.home())
        suggested = Path(
            file_name(self.title, self.api.clock().date(), Document("Audit trail", self.entity == "patient"))
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            f"Save the audit trail as {kind.name}",
            str(Path(folder) / suggested.with_suffix(kind.suffix)),
            kind.files,
        )
        if not chosen:
            return None
        prefs.setValue(FOLDER_KEY, str(Path(chosen).parent))
        prefs.sync()
        return Path(chosen)

    def _save(self, kind: FileFormat, path: Path | None) -> None:
        if self._saving:
            return
        rows = self.shown_rows()
        if path is None:
            path = self._ask(kind)
            if path is None:
                return
        target = Path(path).expanduser()
        if target.suffix.lower() != kind.suffix:
            target = target.with_name(target.name + kind.suffix)
        build: Callable[[], bytes]
        if kind is PDF:
            try:
                clinic, logo, generated = self.api.load_settings(), self.api.load_logo(), self.api.clock()
            except UserError as error:
                self._failed(error)
                return
            total = self.model.rowCount()
            scope = f"filtered from {total}: {self.proxy.words()}" if self.proxy.active else ""
            title, record_id = self.title, self.entity_id

            def build() -> bytes:
                return audit_trail_pdf(title, rows, clinic, generated, record_id=record_id, scope=scope, logo=logo)

        else:

            def build() -> bytes:
                return csv_bytes(rows)

        unplaced = self._unplaced

        def work() -> Path:
            written = write_beside(build(), target)
            unplaced.add(written, target, kind)
            return written

        self._busy(True)
        self._say(f"Saving {target.name}…")
        self.runner.run(work, self._put_in_place, self._failed)

    def _put_in_place(self, written: Path) -> None:
        """Log the export, then put the finished file in place; on either failure remove it and say why."""
        waiting = self._unplaced.take(written)
        if waiting is None:  # already put in place while the window closed
            return
        target, kind = waiting
        try:
            self.api.record_disclosure(
                "export", self.entity, self.entity_id, f"audit trail as {kind.name} to {target.name}"
            )
        except UserError as error:
            written.unlink(missing_ok=True)
            self._failed(
                UserError(
                    f"{target.name} was not saved: the log of who viewed, printed or saved this record could not "
                    f"be written. {error.message}",
                    error.hint,
                )
            )
            return
        try:
            os.replace(written, target)
        except OSError as error:
            written.unlink(missing_ok=True)
            self._failed(explained(error, target, replacing=True))
            return
        self._busy(False)
        self.refresh()  # the export is now in the trail
        self._say(f"Saved: {target}")
        self.saved.emit(target)

    def _failed(self, error: UserError) -> None:
        self._busy(False)
        self._say(error.message, problem=True)
        QMessageBox.warning(self, "Audit trail", f"{error.message}\n\n{error.hint}".strip())
        self.save_failed.emit(error)

    def _busy(self, busy: bool) -> None:
        self._saving = busy
        self._counted()

    def done(self, result: int) -> None:
        """Close, after any file still being written is finished and put in place (so none is left half-written)."""
        self.runner.wait()
        for written in self._unplaced.files():
            self._put_in_place(written)
        super().done(result)
