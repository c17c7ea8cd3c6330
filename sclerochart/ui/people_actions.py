"""Who is at work: who is signed in, the lock, passwords, the practitioners, and who saw which record.

The status bar names the signed-in practitioner; a patient's record shown on screen writes a line of the
disclosure log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from sclerochart.domain.accounts import Role
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import Patient, Practitioner
from sclerochart.readmodels import Changes
from sclerochart.ui.practitioners_dialog import PasswordDialog, PractitionersDialog
from sclerochart.ui.screen_lock import ScreenLock
from sclerochart.ui.signing_dialogs import AmendmentDialog, SignDialog

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow


class PeopleActions(QObject):
    """The File menu's lock, password and practitioners entries, the patient's audit trail, and who is signed in."""

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
        """A patient's record is on screen: the disclosure log says who saw it (once per patient chosen)."""
        self.patient_trail_action.setEnabled(patient is not None)
        if patient is None:
            self._shown_patient = None
            return
        if patient.id == self._shown_patient:
            return
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
