"""Starting a session from the window: asked first when it is sooner than the clinic's interval, then opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from sclerochart.domain.dose import Finding
from sclerochart.domain.errors import UserError

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow


def start_new_session(window: MainWindow) -> None:
    """Start a session for the window's chosen patient now (weight from the last session) and open it.

    A session sooner than the clinic's interval is asked about before anything is stored: Start anyway, or
    Cancel (the default), so an accidental click leaves no empty draft behind.
    """
    patient = window.patient
    if patient is None or not window.stored_first("No new session was started"):
        return
    api = window.api
    try:
        early = api.interval_before_start(patient.id)
        if early is not None and not start_anyway(window, patient.display_name, early):
            window.statusBar().showMessage("No session was started.", 8000)
            return
        started = api.start_session(patient.id)
    except UserError as error:
        window.show_error(error)
        return
    window.refresh_sessions()
    window.open_session(started.id)
    ids = window.session_model.session_ids()
    if started.id in ids:
        window.session_table.selectRow(ids.index(started.id))
    window.charting.tabs.setCurrentIndex(1)
    window.statusBar().showMessage(
        "New session started and saved. Check the weight and the checklist, then click on the legs.", 10_000
    )


def start_anyway(parent: QWidget, name: str, early: Finding) -> bool:
    """Ask before a session sooner than the clinic's interval is started; True for Start anyway."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Session sooner than the clinic's interval", early.message, parent=parent
    )
    box.setInformativeText(f"{early.source}\n\nStart a session for {name} anyway?")
    start = box.addButton("Start anyway", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is start
