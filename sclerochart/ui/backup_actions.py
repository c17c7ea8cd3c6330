"""Backups from the window: scheduled and at closing on the worker thread, the status line, and choosing a restore.

The application restores the chosen copy once the window has closed.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog

from sclerochart.domain.backups import BackupCopy, BackupState
from sclerochart.domain.errors import DamagedError, UserError
from sclerochart.ui.restore_dialog import RestoreDialog
from sclerochart.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow

CHECK_EVERY_MS = 10 * 60 * 1000
"""How often the window looks whether a scheduled copy is due."""
WARNING_STYLE = "QLabel { background: #fff4ce; color: #5c3c00; padding: 2px 8px; border-radius: 3px; }"
PROBLEM_STYLE = "QLabel { background: #fde7e9; color: #8a0b17; padding: 2px 8px; border-radius: 3px; }"


class BackupActions(QObject):
    """The window's backups: the status line, 'Back up now', 'Restore from backup…' and the schedule."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.api = window.api
        self.tasks = TaskRunner(self)  # its own: a backup never shows the documents' busy cursor
        self.restore_wanted: BackupCopy | None = None
        """The copy chosen for a restore; the application restores it after the window has closed."""
        self.state: BackupState | None = None
        self.damaged: DamagedError | None = None
        """Set when the database turned out damaged in use: the window closes and the application offers a copy."""
        self.status = QLabel()
        self.status.setAccessibleName("Backup status")
        window.statusBar().addPermanentWidget(self.status)
        self.back_up_action = QAction("&Back up now", window)
        self.back_up_action.setStatusTip("Make a verified copy of the database in the backup folder now.")
        self.back_up_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction("&Restore from backup…", window)
        self.restore_action.setStatusTip("Put a verified copy back in the database's place (administrators).")
        self.restore_action.triggered.connect(self.choose_restore)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self._when_due)
        QTimer.singleShot(0, self._at_start)

    # Status -------------------------------------------------------------------------------------------
    def _show_state(self) -> None:
        state = self.state
        if state is None:
            return
        now = self.api.clock()
        self.status.setText(state.in_words(now))
        self.status.setToolTip(f"Backup folder: {state.folder}" if state.folder is not None else "")
        self.status.setStyleSheet(WARNING_STYLE if state.stale(now) else "")
        on_file = state.folder is not None
        self.back_up_action.setEnabled(on_file)
        self.restore_action.setEnabled(on_file)

    def _problem(self, error: UserError) -> None:
        self.status.setText("Backup failed — see the message")
        self.status.setToolTip(f"{error.message}\n\n{error.hint}".strip())
        self.status.setStyleSheet(PROBLEM_STYLE)

    def _at_start(self) -> None:
        """Say plainly when there is no verified copy of the last 24 hours, and make one at once."""
        if self.api.read_only:
            self.status.setText("Read-only disk: records can be looked at and printed, not changed")
            self.status.setToolTip(
                "The database is on a disk that cannot be written. Nothing can be changed, and views and prints "
                "are not written into the audit trail. Copy the file onto a disk that can be written to work on it."
            )
            self.status.setStyleSheet(WARNING_STYLE)
            self.back_up_action.setEnabled(False)
            self.restore_action.setEnabled(False)
            return
        api = self.api
        # The backup folder may be a network folder that is slow to answer: read on the worker thread.
        self.tasks.run(api.backup_state, self._started, self._problem)

    def _started(self, state: BackupState) -> None:
        self.state = state
        self._show_state()
        if state.folder is None:
            return
        self.timer.start()
        now = self.api.clock()
        if state.stale(now):
            last = (
                "There has never been one"
                if state.last is None
                else f"The last one is from {state.last.made_at:%d %b %Y %H:%M}"
            )
            self.status.setText(f"No verified backup in the last 24 hours ({last.lower()}); making one now…")
            self._run("scheduled", announce=False)  # the status line says it; no message over the work

    # Making copies ------------------------------------------------------------------------------------
    def _when_due(self) -> None:
        if self.tasks.busy:
            return
        api = self.api
        self.tasks.run(api.backup_state, self._looked, self._problem)

    def _looked(self, state: BackupState) -> None:
        self.state = state
        self._show_state()  # "… (3 hours ago)" moves on, and turns to a warning after 24 hours
        if state.due(self.api.clock()) and not self.tasks.busy:
            self._run("scheduled", announce=False)

    def back_up_now(self) -> None:
        """A copy now, on the worker thread; the status bar says when it is verified."""
        if self.tasks.busy:
            self.window.statusBar().showMessage("A backup is being made already.", 5000)
            return
        self.status.setText("Making a backup…")
        self._run("manual", announce=True)

    def _run(self, reason: str, *, announce: bool) -> None:
        api = self.api
        self.tasks.run(lambda: api.make_backup(reason), lambda copy: self._made(copy, announce), self._failed)

    def _made(self, copy: BackupCopy, announce: bool) -> None:
        if self.state is not None:
            self.state = dataclasses.replace(self.state, last=copy)
        self._show_state()
        if announce:
            self.window.statusBar().showMessage(f"Backup made and checked ({copy.holds.in_words()}).", 10_000)

    def _failed(self, error: UserError) -> None:
        self._problem(error)
        if isinstance(error, DamagedError):
            self.found_damage(error)  # not charting on into a damaged file: the newest copy is offered
            return
        self.window.statusBar().showMessage(f"No backup was made: {error.message}", 15_000)

    def at_close(self) -> None:
        """A verified copy as the program closes (not before a restore); a failure is said, never hidden."""
        self.timer.stop()
        self.tasks.pool.waitForDone()  # a backup still being made is let finish (never two at once)
        if (
            self.restore_wanted is not None
            or self.damaged is not None
            or self.state is None
            or self.state.folder is None
        ):
            return
        progress = QProgressDialog("Making a backup before closing…", "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setWindowTitle("ScleroChart")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        outcome: list[UserError | None] = []
        api = self.api
        self.tasks.run(lambda: api.make_backup("at-close"), lambda _copy: outcome.append(None), outcome.append)
        while not outcome:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThread.msleep(10)
        progress.close()
        error = outcome[0] if outcome else None
        if isinstance(error, DamagedError):
            QMessageBox.critical(
                self.window,
                "The database is damaged",
                f"{error.message}\n\nStart ScleroChart again: it offers to restore the newest verified backup.",
            )
        elif error is not None:
            QMessageBox.warning(
                self.window,
                "Backup not made",
                f"The backup at closing could not be made.\n\n{error.message}\n\n{error.hint}\n\n"
                "The records themselves are safe in the database.".strip(),
            )

    # Restoring ----------------------------------------------------------------------------------------
    def found_damage(self, error: DamagedError) -> None:
        """The database turned out damaged: say so once, close, and let the application offer the newest copy."""
        if self.damaged is not None:
            return
        self.damaged = error
        QMessageBox.critical(
            self.window,
            "The database is damaged",
            f"{error.message}\n\nScleroChart closes now and at once offers to restore the newest verified backup. "
            "The damaged file is kept aside, not deleted.",
        )
        QTimer.singleShot(0, self.window.close)

    def choose_restore(self) -> None:
        """Choose a verified copy; the window then closes and the application restores it and reopens."""
        person = self.api.signed_in()
        if person is not None and person.role != "administrator":
            QMessageBox.information(
                self.window,
                "Restore from backup",
                f"Only an administrator restores a backup; {person.name} is signed in as {person.role}. "
                "Ask the clinic's administrator.",
            )
            return
        api = self.api
        folder = self.state.folder if self.state is not None else None
        dialog = RestoreDialog(api.list_backups, None, api.clock(), self.window, default_folder=folder)
        if not dialog.exec() or dialog.chosen is None:
            return
        self.restore_wanted = dialog.chosen
        if not self.window.close():
            self.restore_wanted = None  # something typed could not be stored: the window stays, nothing restored
