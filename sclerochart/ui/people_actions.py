"""Who is at work and whose record: sign-in, the lock, passwords, practitioners, and the patient's own actions.

The status bar names the signed-in practitioner; a patient's record shown on screen writes a line of the
disclosure log. A patient is recorded, changed, archived (kept, no longer listed) and restored here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QPushButton, QWidget

from sclerochart.domain.accounts import Role
from sclerochart.domain.errors import StaleError, UserError
from sclerochart.domain.values import Patient, Practitioner
from sclerochart.readmodels import Changes
from sclerochart.ui.patient_form import PatientForm
from sclerochart.ui.practitioners_dialog import PasswordDialog, PractitionersDialog
from sclerochart.ui.screen_lock import ScreenLock
from sclerochart.ui.signing_dialogs import AmendmentDialog, SignDialog

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow

ARCHIVE_TEXT = "&Archive patient…"
RESTORE_TEXT = "&Restore patient"


class PeopleActions(QObject):
    """The File menu's lock, password and practitioners entries, who is signed in, and the patient's own actions.

    The patient's actions: new patient, edit patient, archive or restore, and the patient's audit trail.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.api = window.api
        minutes = self._lock_minutes()
        self.lock = ScreenLock(self.api, window, minutes, self._before_lock)
        self.lock.signed_in.connect(self._signed_in)
        self.lock.locked_changed.connect(self._quiet)
        self.who = QLabel()
        self.lock_button = QPushButton("Lock")
        self.lock_button.setToolTip("Hide patient data now until someone signs in (Ctrl+L)")
        self.lock_button.clicked.connect(self.lock.lock)
        window.statusBar().addPermanentWidget(self.who)
        window.statusBar().addPermanentWidget(self.lock_button)
        self.lock_action = self._action(
            "&Lock now", "Ctrl+L", self.lock.lock, "Hide patient data until someone signs in."
        )
        self.password_action = self._action(
            "Change my &password…", None, self.change_password, "Set a new password for the practitioner signed in."
        )
        self.practitioners_action = self._action(
            "P&ractitioners…",
            None,
            self.edit_practitioners,
            "Add, change or deactivate the clinic's practitioners (administrators only).",
        )
        self.patient_trail_action = self._action(
            "Patient's audit &trail…", None, self.show_patient_trail, "Who did what to this patient's record and when."
        )
        self.patient_trail_action.setEnabled(False)
        self.archive_action = self._action(
            ARCHIVE_TEXT, None, self.archive_or_restore, "Stop listing the chosen patient; nothing is deleted."
        )
        self.archive_button = QPushButton(ARCHIVE_TEXT.replace("&", ""))
        self.archive_button.setStatusTip(self.archive_action.statusTip())
        self.archive_button.clicked.connect(self.archive_or_restore)
        self._show_archived_state(None)
        self._shown_patient: str | None = None
        self.windows: list[QWidget] = []
        self.show_who()

    def _action(self, text: str, shortcut: str | None, slot: object, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _before_lock(self) -> None:
        """Store what the person at work typed, in their name, asking nothing (nobody may be there to answer)."""
        self._quiet(True)
        self.window.charting.commit_pending()

    def _quiet(self, quiet: bool) -> None:
        """Nothing asks or shows a message box while the window is locked; all speak again once unlocked."""
        self.window.charting.quiet = quiet

    def _lock_minutes(self) -> int:
        try:
            return self.api.load_settings().lock_after_minutes
        except UserError:
            return 10

    def show_who(self) -> None:
        """Say in the status bar who is signed in; offer the practitioners list to an administrator only."""
        person = self.api.signed_in()
        self.who.setText(f"Signed in: {person.name} ({person.role})" if person is not None else "")
        self.practitioners_action.setEnabled(person is None or person.role == Role.ADMINISTRATOR.value)
        self.password_action.setEnabled(person is not None)

    def on_changes(self, changes: Changes) -> None:
        """A new idle time from the clinic settings applies at once; a deactivated person's window locks."""
        if changes.settings or changes.everything:
            self.lock.set_minutes(self._lock_minutes())
        if (changes.practitioners or changes.everything) and not self.lock.locked:
            person = self.api.signed_in()
            if person is None:
                return
            try:
                stored = next((p for p in self.api.list_accounts() if p.id == person.id), None)
            except UserError:
                return
            if stored is None or not stored.active:
                self.lock.lock()  # deactivated in another room: only an active person goes on here
            elif stored.role != person.role:
                self.show_who()

    def _signed_in(self, person: Practitioner | None) -> None:
        before = self.lock.before
        if person is not None and before is not None and person.id != before.id:
            # A signature or amendment being written names its signer: one left open by the person before is
            # closed, unsigned, so nobody signs under another's name.
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, SignDialog | AmendmentDialog) and widget.isVisible():
                    widget.reject()
        self.show_who()
        self._shown_patient = None  # whoever signed in now sees the record on screen: the log says so
        self.patient_shown(self.window.patient)
        if person is not None:
            self.window.statusBar().showMessage(f"{person.name} is signed in; the open work is as it was.", 10_000)
        self.window.apply_changes(Changes(practitioners=True))

    def patient_shown(self, patient: Patient | None) -> None:
        """A patient's record is on screen: the disclosure log says who saw it (once per patient chosen).

        A message in the status bar about the patient shown before is taken away when another is shown.
        """
        self.patient_trail_action.setEnabled(patient is not None)
        self._show_archived_state(patient)
        if patient is None:
            if self._shown_patient is not None:
                self.window.statusBar().clearMessage()
            self._shown_patient = None
            return
        if patient.id == self._shown_patient:
            return
        if self._shown_patient is not None:
            self.window.statusBar().clearMessage()
        self._shown_patient = patient.id
        try:
            self.api.record_disclosure("view", "patient", patient.id, "patient's record on screen")
        except UserError as error:
            self.window.statusBar().showMessage(f"{error.message} {error.hint}".strip(), 15_000)

    def edit_practitioners(self) -> None:
        """The practitioners list (an administrator adds, changes and deactivates people there)."""
        PractitionersDialog(self.api, self.window).exec()
        self.show_who()
        self.window.apply_changes(Changes(practitioners=True))

    def change_password(self) -> None:
        """A new password for the practitioner signed in, given the current one."""
        person = self.api.signed_in()
        if person is None:
            return
        if PasswordDialog(self.api, person, own=True, parent=self.window).exec():
            self.window.statusBar().showMessage("Your new password is set.", 10_000)

    def show_patient_trail(self) -> None:
        """The chosen patient's audit trail (their record and every session) in a window of its own."""
        patient = self.window.patient
        if patient is None:
            return
        title = f"{patient.display_name} ({patient.chart_number})"
        from sclerochart.ui.audit_window import AuditWindow  # here: it loads ReportLab, which start-up need not

        try:
            window = AuditWindow(self.api, entity="patient", entity_id=patient.id, title=title, parent=self.window)
        except UserError as error:
            self.window.show_error(error)
            return
        self.windows = [w for w in self.windows if w.isVisible()] + [window]
        window.show()

    # The patient's record --------------------------------------------------------------------------------
    def patient_form(self, patient: Patient | None) -> PatientForm:
        """The patient form for a new patient (None) or for changing a stored one, wired to the records."""
        api = self.api
        if patient is None:
            return PatientForm(
                lambda draft, _shown: api.create_patient(draft),
                None,
                self.window,
                next_chart_number=api.next_chart_number,
                duplicates=api.possible_duplicates,
            )
        return PatientForm(
            lambda draft, shown: api.update_patient(shown.id, draft, shown.version),  # type: ignore[union-attr]
            patient,
            self.window,
            reload=api.get_patient,
            duplicates=api.possible_duplicates,
        )

    def new_patient(self) -> None:
        """Ask for a new patient's details, store them, and show the patient (with the chart number given)."""
        if not self.window.stored_first("No new patient was recorded"):
            return
        form = self.patient_form(None)
        if form.exec() == QDialog.DialogCode.Accepted and form.saved is not None:
            saved = form.saved
            given = form.chart_number.text().strip() != saved.chart_number
            self._show_saved(saved, f"recorded with chart number {saved.chart_number}" if given else "recorded")

    def edit_patient(self) -> None:
        """Change the shown patient's details."""
        patient = self.window.patient
        if patient is None:
            return
        form = self.patient_form(patient)
        if form.exec() == QDialog.DialogCode.Accepted and form.saved is not None:
            self._show_saved(form.saved, "saved")

    def _show_saved(self, patient: Patient, what: str) -> None:
        window = self.window
        window.search_field.setText(patient.chart_number)
        window.run_search()
        self._show_stored(patient)
        window.statusBar().showMessage(f"{patient.full_name} {what}.", 10_000)

    def _show_stored(self, patient: Patient) -> None:
        """Show the patient as stored now, even when the same patient stays chosen."""
        self.window.patient = None
        self.window.show_patient(patient)

    def _show_archived_state(self, patient: Patient | None) -> None:
        """Offer Archive for a listed patient, Restore for an archived one, neither without a patient."""
        archived = patient is not None and patient.archived
        text = RESTORE_TEXT if archived else ARCHIVE_TEXT
        tip = (
            "List the chosen patient again, to treat or find them as before."
            if archived
            else "Stop listing the chosen patient; nothing is deleted."
        )
        self.archive_action.setText(text)
        self.archive_action.setStatusTip(tip)
        self.archive_action.setEnabled(patient is not None)
        self.archive_button.setText(text.replace("&", ""))
        self.archive_button.setStatusTip(tip)
        self.archive_button.setEnabled(patient is not None)

    def archive_or_restore(self) -> None:
        """Archive the chosen patient (asked first: they are no longer listed) or restore an archived one."""
        patient = self.window.patient
        if patient is None:
            return
        archive = not patient.archived
        if archive and not self._archive_confirmed(patient):
            return
        try:
            stored = self.api.set_archived(patient.id, archive, patient.version)
        except StaleError as error:
            self._show_as_stored(patient.id)
            verb = "Archive" if archive else "Restore"
            self.window.show_error(
                UserError(
                    error.message, f"The patient's details now show what is stored. {verb} again if still wanted."
                )
            )
            return
        except UserError as error:
            self.window.show_error(error)
            return
        self.window.run_search()
        self._show_stored(stored)
        if archive:
            self.window.statusBar().showMessage(
                f"{stored.full_name} archived: no longer listed. Tick “Show archived patients” to find them again.",
                15_000,
            )
        else:
            self.window.statusBar().showMessage(f"{stored.full_name} restored: listed again.", 10_000)

    def _archive_confirmed(self, patient: Patient) -> bool:
        born = f", born {patient.date_of_birth:%d.%m.%Y}" if patient.date_of_birth else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Archive patient",
            f"{patient.full_name} (chart {patient.chart_number}{born}) will no longer be listed.",
            parent=self.window,
        )
        box.setInformativeText(
            "Nothing is deleted: their chart, sessions and documents are kept. "
            "Tick “Show archived patients” to find them again; Restore patient lists them as before."
        )
        archive = box.addButton("Archive", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is archive

    def _show_as_stored(self, patient_id: str) -> None:
        """After a refused change: the list and the patient's details as stored now."""
        self.window.run_search()
        try:
            self._show_stored(self.api.get_patient(patient_id))
        except UserError as error:
            self.window.statusBar().showMessage(f"{error.message} {error.hint}".strip(), 15_000)
