"""The main window: patient search and chart on the left, the charting screen of the open session beside."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import DamagedError, UserError
from sclerochart.domain.search import SEARCH_LIMIT
from sclerochart.domain.values import Patient, PatientHit
from sclerochart.readmodels import Changes
from sclerochart.ui.backup_actions import BackupActions
from sclerochart.ui.chair_status import ChairStatus
from sclerochart.ui.change_watch import ChangeWatch
from sclerochart.ui.charting_screen import ChartingScreen
from sclerochart.ui.clinic_settings_dialog import ClinicSettingsDialog
from sclerochart.ui.course_actions import course_changed, open_course
from sclerochart.ui.documents import DocumentActions
from sclerochart.ui.field_form import unsaved_value_error
from sclerochart.ui.menus import build_menus
from sclerochart.ui.patient_models import ID_ROLE, PatientListModel, SessionListModel
from sclerochart.ui.people_actions import PeopleActions
from sclerochart.ui.photo_actions import PhotoActions
from sclerochart.ui.session_start import start_new_session
from sclerochart.ui.tables import row_table
from sclerochart.ui.tasks import TaskRunner
from sclerochart.ui.window_layout import (
    first_size,
    fit_on_screen,
    quiet_read_only_hints,
    restore_layout,
    restore_splitters,
    save_layout,
)

SEARCH_DELAY_MS = 25
"""The list refreshes this long after the last keystroke, so a burst of typing runs one search, not one per key,
and the list still follows the typing within the 50 ms issue 3 asks for."""


class MainWindow(QMainWindow):
    """Patient search and chart on the left, the open session's diagram, table and totals beside it."""

    def __init__(self, api: ClinicApi) -> None:
        super().__init__()
        self.api = api
        self.patient: Patient | None = None
        self._searching = False
        self._splitters_restored = False
        self.setWindowTitle(f"ScleroChart — {api.display}")
        self.resize(first_size(QApplication.primaryScreen()))
        self.undo_stack = QUndoStack(self)
        quiet_read_only_hints()

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search name, chart number or birth date")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumHeight(36)
        self.show_archived = QCheckBox("Show archived patients")
        self.patient_model = PatientListModel(self)
        self.patient_table = row_table(self.patient_model, stretch=1, wrap=True)
        self.result_label = QLabel()

        self.details_box = QGroupBox("Patient")
        self.details = QFormLayout(self.details_box)
        self.name_label = QLabel("Choose a patient from the list.")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart_label = QLabel()
        self.born_label = QLabel()
        self.allergies_label = QLabel()
        self.allergies_label.setWordWrap(True)
        self.details.addRow("Name", self.name_label)
        self.details.addRow("Chart", self.chart_label)
        self.details.addRow("Born", self.born_label)
        self.details.addRow("Allergies", self.allergies_label)
        self.session_model = SessionListModel(self)
        # The date's time goes under it, so that the practitioner's name has room to be read whole.
        date_width = self.fontMetrics().horizontalAdvance("00.00.0000") + 14
        self.session_table = row_table(self.session_model, stretch=1, wrap=True, fixed={0: date_width})
        self.new_session_button = QPushButton("New session")
        self.new_session_button.setMinimumHeight(36)
        self.new_session_button.setEnabled(False)
        self.course_button = QPushButton("Follow-up and outcomes…")
        self.course_button.setMinimumHeight(36)
        self.course_button.setEnabled(False)
        self.course_button.setStatusTip(
            "Record a follow-up visit; see each treated region's clearance, CEAP and VCSS over the course "
            "(Ctrl+Shift+F)."
        )
        self.new_patient_button = QPushButton("New patient…")
        self.edit_patient_button = QPushButton("Edit patient…")
        self.edit_patient_button.setEnabled(False)
        self.search_field.setStatusTip("Type part of a name, a chart number or a birth date; Ctrl+F comes back here.")
        self.patient_table.setStatusTip("Choose a patient to see their details and sessions.")
        self.session_table.setStatusTip("Enter or a double-click opens the session.")
        self.new_session_button.setStatusTip("Start a treatment session for this patient, dated now (Ctrl+N).")
        self.new_patient_button.setStatusTip("Record a patient who is not yet listed (Ctrl+Shift+N).")
        self.edit_patient_button.setStatusTip("Change the chosen patient's details (Ctrl+E).")
        patient_buttons = QHBoxLayout()
        patient_buttons.addWidget(self.new_patient_button)
        patient_buttons.addWidget(self.edit_patient_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_field)
        left_layout.addWidget(self.show_archived)
        left_layout.addWidget(self.patient_table, 3)
        left_layout.addWidget(self.result_label)
        left_layout.addWidget(self.details_box)
        left_layout.addLayout(patient_buttons)
        left_layout.addWidget(QLabel("Sessions (double-click or Enter opens one)"))
        left_layout.addWidget(self.session_table, 2)
        session_buttons = QHBoxLayout()
        session_buttons.addWidget(self.new_session_button)
        session_buttons.addWidget(self.course_button)
        left_layout.addLayout(session_buttons)

        self.charting = ChartingScreen(api, self.undo_stack)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.charting)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([340, 1020])
        left.setMinimumWidth(300)
        self.setCentralWidget(self.splitter)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.show_archived.toggled.connect(self.run_search)
        self.patient_table.selectionModel().selectionChanged.connect(self._patient_chosen)
        self.session_table.activated.connect(self._session_activated)
        self.new_session_button.clicked.connect(self.new_session)
        self.course_button.clicked.connect(lambda: open_course(self))
        self.new_patient_button.clicked.connect(self.new_patient)
        self.edit_patient_button.clicked.connect(self.edit_patient)
        controller = self.charting.controller
        controller.failed.connect(self.show_error)
        controller.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        controller.changed.connect(self._own_change)
        # Other rooms' changes arrive by themselves, within about a second.
        self.watch = ChangeWatch(api, self)
        self.watch.changed.connect(self.apply_changes)
        self.watch.failed.connect(self._watch_failed)
        self.watch.recovered.connect(
            lambda: self.statusBar().showMessage("The database answers again; other rooms' changes show again.", 10_000)
        )
        self.chair_status = ChairStatus(self.statusBar(), self.charting.canvas)
        self.tasks = TaskRunner(self)
        self.tasks.busy_changed.connect(self._busy)
        self.documents = DocumentActions(
            api,
            self.tasks,
            self,
            session_id=lambda: controller.detail.session.id if controller.detail is not None else None,
            patient_id=lambda: self.patient.id if self.patient is not None else None,
            show_error=self.show_error,
            show_message=lambda text: self.statusBar().showMessage(text, 10_000),
            commit_pending=self.charting.commit_pending,
        )
        controller.detail_changed.connect(lambda _detail: self.documents.update_enabled())
        self.people = PeopleActions(self)
        patient_buttons.addWidget(self.people.archive_button)
        self.backups = BackupActions(self)
        self.photos = PhotoActions(self)
        self.charting.add_document_buttons((self.documents.print_report_action, self.documents.print_handout_action))
        menus = build_menus(self)
        self.edit_patient_action, self.new_session_action = menus.edit_patient, menus.new_session
        self.history_action, self.undo_action, self.redo_action = menus.history, menus.undo, menus.redo
        self.course_action = menus.course
        self.statusBar().showMessage("Type to find a patient. Ctrl+F jumps to the search field.")
        restore_layout(self)
        self.watch.start()  # the mark first: a change made while the list is read is not missed
        self.run_search()

    def edit_clinic_settings(self) -> None:
        """The clinic settings dialog; a changed interval or compression default applies from now on."""
        person = self.api.signed_in()
        if person is not None and person.role != "administrator":
            QMessageBox.information(
                self,
                "Clinic settings",
                f"Only an administrator changes the clinic settings; {person.name} is signed in as {person.role}. "
                "Ask the clinic's administrator.",
            )
            return
        dialog = ClinicSettingsDialog(self.api, self)
        if dialog.exec():
            self.apply_changes(Changes(settings=True))
            self.statusBar().showMessage("Clinic settings saved.", 8000)

    # Changes, from this window or another room -------------------------------------------------------
    def apply_changes(self, changes: Changes) -> None:
        """Show records that changed as they are now stored: the open session, the session list, the patients.

        The charting screen's own changes are on screen already; the others (another room's, the settings
        dialog's) are read again. The chosen patient and the selected rows stay chosen.
        """
        if changes.elsewhere or changes.settings or changes.catalogue or changes.presets or changes.practitioners:
            self.charting.controller.on_changes(changes)
        self.people.on_changes(changes)
        course_changed(changes)
        shown = self.patient
        if changes.elsewhere and (changes.patients or changes.everything):
            self._refresh_patients(changes.patients, everything=changes.everything)
        if shown is not None and self._own_change_to_the_open_session(changes):
            self._show_open_session_line()
        elif shown is not None and (
            changes.everything
            or not changes.elsewhere  # this window's own change: to the shown patient's sessions
            or shown.id in changes.patients
            or shown.id in changes.session_patients
            or changes.sessions & set(self.session_model.session_ids())
        ):
            self.refresh_sessions()

    def _own_change(self, changes: Changes) -> None:
        """The charting screen's own change: the open session's line at once, the rest at the loop's next turn.

        The line is made from the session the screen holds (no read, nothing asked), so it is painted with the
        marker, in one repaint of the window; what may read the database or show a message waits until the
        click's handling is over.
        """
        if self.patient is not None and self._own_change_to_the_open_session(changes):
            self._show_open_session_line()
        QTimer.singleShot(0, lambda: self.apply_changes(changes))

    def _own_change_to_the_open_session(self, changes: Changes) -> bool:
        """This window changed only the open session, which the session list shows (a click on the diagram)."""
        detail = self.charting.controller.detail
        return (
            detail is not None
            and changes == Changes(sessions=frozenset({detail.session.id}))
            and detail.session.id in self.session_model.session_ids()
        )

    def _show_open_session_line(self) -> None:
        """The open session's line from the session as the charting screen got it back from the store.

        After a click the screen holds the session as stored by that change, so the list needs no read of its
        own: its line is made from the same record (sites, mL, state), one row repainted.
        """
        detail = self.charting.controller.detail
        assert detail is not None
        line = detail.summary()
        self.session_model.set_sessions(
            tuple(line if summary.id == line.id else summary for summary in self.session_model.sessions())
        )

    def _refresh_patients(self, changed: frozenset[str], *, everything: bool = False) -> None:
        """Read the patient list and the chosen patient's details again, keeping the chosen patient."""
        try:
            hits = self.api.search_patients(self.search_field.text(), include_archived=self.show_archived.isChecked())
            patient = (
                self.api.get_patient(self.patient.id)
                if self.patient is not None and (everything or self.patient.id in changed)
                else self.patient
            )
        except UserError as error:
            self.statusBar().showMessage(f"{error.message} {error.hint}", 15_000)
            return
        self._searching = True
        try:
            self.patient_model.set_hits(hits)
            self._choose_shown_patient()
        finally:
            self._searching = False
        if patient is not None and patient != self.patient:
            self.patient = patient
            self._show_patient_details(patient)
            self.people.patient_shown(patient)  # Archive or Restore follows another room's change

    def _watch_failed(self, error: UserError) -> None:
        self.statusBar().showMessage(
            f"{error.message} Changes made in other rooms will show again once the database answers.", 30_000
        )

    def _busy(self, busy: bool) -> None:
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def focus_search(self) -> None:
        """Put the cursor in the patient search, its text selected (Ctrl+F)."""
        self.search_field.setFocus()
        self.search_field.selectAll()

    def show_error(self, error: UserError) -> None:
        """Tell the user what went wrong and what to do, in the status bar and a message box."""
        self.statusBar().showMessage(error.message, 15_000)
        if isinstance(error, DamagedError):
            self.backups.found_damage(error)
            return
        if self.charting.quiet:
            return  # locked: the field keeps its message; no box opens over the covered window
        QMessageBox.warning(self, "ScleroChart", f"{error.message}\n\n{error.hint}".strip())

    def stored_first(self, outcome: str, *, quietly: bool = False) -> bool:
        """Store what is still being typed in the open session before leaving it or acting on it.

        Args:
            outcome: What does not happen when it cannot be stored ("The other patient was not opened").
            quietly: Say so in the status bar only (a search running as the user types), not in a message box.

        Returns:
            False when a typed value could not be stored: the caller then does nothing.
        """
        if self.charting.commit_pending():
            return True
        error = unsaved_value_error(outcome)
        if quietly:
            self.statusBar().showMessage(f"{error.message} {error.hint}", 15_000)
        else:
            self.show_error(error)
        return False

    def _leaves_session(self, patient: Patient | None) -> bool:
        detail = self.charting.controller.detail
        return detail is not None and (patient is None or detail.session.patient_id != patient.id)

    # Patients ------------------------------------------------------------------------------------------
    def run_search(self) -> None:
        """Refresh the patient list from the search field."""
        query = self.search_field.text()
        try:
            hits = self.api.search_patients(query, include_archived=self.show_archived.isChecked())
        except UserError as error:
            self.show_error(error)
            return
        self._searching = True
        try:
            self.patient_model.set_hits(hits)
            self._show_hits(hits, query)
        finally:
            self._searching = False

    def _show_hits(self, hits: tuple[PatientHit, ...], query: str) -> None:
        if not hits:
            self.result_label.setText("No patient matches." if query.strip() else "No patients are stored yet.")
        elif len(hits) >= SEARCH_LIMIT and not query.strip():
            self.result_label.setText(f"The first {len(hits)} patients by name: type to find others.")
        elif len(hits) >= SEARCH_LIMIT:
            self.result_label.setText(f"First {len(hits)} matches: type more to narrow the list.")
        else:
            self.result_label.setText(f"{len(hits)} patient{'s' if len(hits) != 1 else ''}.")
        # The list only finds: the chart beside it changes when a patient is chosen (a click, the arrow keys,
        # or a search that leaves exactly one), never because a list was filled or a name is first in it.
        shown = self.patient.id if self.patient is not None else None
        row = next((r for r, hit in enumerate(hits) if hit.id == shown), None)
        if row is None and query.strip() and len(hits) == 1:
            row = 0
        if row is None:
            self.patient_table.selectionModel().clearSelection()
        else:
            self.patient_table.selectRow(row)

    def _patient_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        hit = self.patient_model.hit(indexes[0].row())
        if self.patient is not None and hit.id == self.patient.id:
            return
        if self.charting.controller.detail is not None and not self.stored_first(
            f"{hit.display_name} was not opened", quietly=self._searching
        ):
            self._choose_shown_patient()
            return
        try:
            self.show_patient(self.api.get_patient(hit.id))
        except UserError as error:
            self.show_error(error)

    def _choose_shown_patient(self) -> None:
        """Select the shown patient's row again (or none when the list no longer holds them)."""
        shown = self.patient.id if self.patient is not None else None
        row = next((r for r in range(self.patient_model.rowCount()) if self.patient_model.hit(r).id == shown), None)
        selection = self.patient_table.selectionModel()
        if row is None:
            selection.clearSelection()
        else:
            self.patient_table.selectRow(row)

    def show_patient(self, patient: Patient | None) -> None:
        """Fill the chart side with one patient (or clear it); an open session of another patient closes.

        Callers store what is still being typed first (`stored_first`).
        """
        if self._leaves_session(patient):
            self.charting.controller.close_session()
        self.patient = patient
        self.documents.update_enabled()
        enabled = patient is not None and not patient.archived
        self.new_session_button.setEnabled(enabled)
        self.new_session_action.setEnabled(enabled)
        self.edit_patient_button.setEnabled(patient is not None)
        self.course_button.setEnabled(patient is not None)
        self.course_action.setEnabled(patient is not None)
        self.edit_patient_action.setEnabled(patient is not None)
        self.setWindowTitle(
            f"{patient.display_name} ({patient.chart_number}) — ScleroChart"
            if patient
            else f"ScleroChart — {self.api.display}"
        )
        if patient is None:
            self.charting.show_patient(None)
            self.people.patient_shown(None)
            self.name_label.setText("Choose a patient from the list.")
            for label in (self.chart_label, self.born_label, self.allergies_label):
                label.clear()
            self.session_model.set_sessions(())
            return
        self._show_patient_details(patient)
        self.refresh_sessions()
        self.people.patient_shown(patient)

    def _show_patient_details(self, patient: Patient) -> None:
        self.charting.show_patient(patient)
        self.name_label.setText(patient.display_name + (" (archived)" if patient.archived else ""))
        self.chart_label.setText(patient.chart_number)
        self.born_label.setText(patient.date_of_birth.strftime("%d.%m.%Y") if patient.date_of_birth else "")
        self.allergies_label.setText(patient.allergies or "none recorded")

    def new_patient(self) -> None:
        """Ask for a new patient's details, store them, and show the patient."""
        self.people.new_patient()

    def edit_patient(self) -> None:
        """Change the shown patient's details."""
        self.people.edit_patient()

    def refresh_sessions(self) -> None:
        """Read the chosen patient's session list again, keeping the selected session selected."""
        if self.patient is None:
            return
        rows = self.session_table.selectionModel().selectedRows()
        selected = self.session_model.session_ids()[rows[0].row()] if rows else None
        try:
            self.session_model.set_sessions(self.api.list_sessions(self.patient.id))
        except UserError as error:
            self.show_error(error)
            return
        if selected in self.session_model.session_ids():
            self.session_table.selectRow(self.session_model.session_ids().index(selected))

    # Sessions ------------------------------------------------------------------------------------------
    def new_session(self) -> None:
        """Start a session for the chosen patient now (asked first when sooner than the interval) and open it."""
        start_new_session(self)

    def _session_activated(self, index: QModelIndex) -> None:
        self.open_session(self.session_model.data(self.session_model.index(index.row(), 0), ID_ROLE))

    def open_session(self, session_id: str) -> bool:
        """Show a session on the charting screen (after storing what is still typed in the one open)."""
        if not self.stored_first("The session was not opened"):
            return False
        self.charting.controller.open_session(session_id)
        detail = self.charting.controller.detail
        if detail is not None and (self.patient is None or self.patient.id != detail.session.patient_id):
            try:  # the chart beside the diagram is always the open session's patient
                self.show_patient(self.api.get_patient(detail.session.patient_id))
            except UserError as error:
                self.show_error(error)
            self._choose_shown_patient()
        self.charting.canvas.setFocus()
        return True

    # Layout --------------------------------------------------------------------------------------------
    def _splitters(self) -> dict[str, QSplitter]:
        return {"splitter": self.splitter, "charting": self.charting.splitter, "canvas": self.charting.vertical}

    def showEvent(self, event: QShowEvent) -> None:
        """Splitters back where they stood (first time); once the frame is on, keep the whole window on the screen."""
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            restore_splitters(self._splitters())
        QTimer.singleShot(0, lambda: fit_on_screen(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Store what is still typed (or stay open), remember the window layout, let a file being written finish."""
        if self.backups.damaged is None and not self.stored_first("ScleroChart was not closed"):
            event.ignore()
            return
        self.tasks.wait()
        self.backups.at_close()
        self.watch.stop()
        save_layout(self, self._splitters())
        super().closeEvent(event)
