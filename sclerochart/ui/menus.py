"""The main window's menu bar: File, Edit, Session, View and Help, every entry with its key and status-bar hint."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from sclerochart import __version__, logs, paths
from sclerochart.domain.values import View
from sclerochart.ui.course_actions import open_course
from sclerochart.ui.keys_help import show_keys_help
from sclerochart.ui.lot_recall_dialog import LotRecallDialog
from sclerochart.ui.outcome_figures_window import OutcomeFiguresWindow

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow


@dataclass(frozen=True)
class Menus:
    """The menu entries the window enables, disables or reads."""

    edit_patient: QAction
    new_session: QAction
    history: QAction
    course: QAction
    undo: QAction
    redo: QAction


def action(
    parent: QWidget,
    text: str,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
    slot: Callable[[], object],
    tip: str = "",
) -> QAction:
    """A menu entry with its key and its status-bar hint."""
    entry = QAction(text, parent)
    if shortcut is not None:
        entry.setShortcut(QKeySequence(shortcut))
    entry.setStatusTip(tip)
    entry.triggered.connect(lambda _checked=False: slot())
    return entry


def build_menus(window: MainWindow) -> Menus:
    """Fill the window's menu bar; the entries that change with the chosen patient or session come back."""
    charting, documents = window.charting, window.documents
    file_menu = window.menuBar().addMenu("&File")
    file_menu.addAction(
        action(
            window,
            "&Find patient",
            QKeySequence.StandardKey.Find,
            window.focus_search,
            "Type a name, chart number or date.",
        )
    )
    file_menu.addAction(
        action(window, "New &patient…", "Ctrl+Shift+N", window.new_patient, "Record a patient who is not yet listed.")
    )
    edit_patient = action(
        window, "&Edit patient…", "Ctrl+E", window.edit_patient, "Change the chosen patient's details."
    )
    edit_patient.setEnabled(False)
    file_menu.addAction(edit_patient)
    course = action(
        window,
        "Follow-up and &outcomes…",
        "Ctrl+Shift+F",
        lambda: open_course(window),
        "Record a follow-up visit; each treated region's clearance, CEAP and VCSS over the course.",
    )
    course.setEnabled(False)
    file_menu.addAction(course)
    file_menu.addAction(window.people.archive_action)
    file_menu.addAction(window.people.patient_trail_action)
    file_menu.addAction(
        action(
            window,
            "Patients who received a &lot…",
            "Ctrl+Shift+L",
            lambda: LotRecallDialog(window.api, window).exec(),
            "Find every patient, session and site that received a lot, with contact details; save as CSV.",
        )
    )
    file_menu.addAction(
        action(
            window,
            "Outcome &figures…",
            "Ctrl+Shift+O",
            lambda: OutcomeFiguresWindow(window.api, window.tasks, window).exec(),
            "Clearance at the last follow-up and complication rates, by agent, strength, form or vessel.",
        )
    )
    file_menu.addAction(window.photos.camera_action)
    file_menu.addSeparator()
    for entry in (documents.export_report_action, documents.export_handout_action, documents.export_summary_action):
        file_menu.addAction(entry)
    file_menu.addSeparator()
    file_menu.addAction(
        action(
            window,
            "Clinic &settings…",
            "Ctrl+,",
            window.edit_clinic_settings,
            "Clinic name, address, phone and logo; paper size; compression and the aftercare handout's text.",
        )
    )
    file_menu.addAction(window.people.practitioners_action)
    file_menu.addSeparator()
    file_menu.addAction(window.backups.back_up_action)
    file_menu.addAction(window.backups.restore_action)
    file_menu.addSeparator()
    file_menu.addAction(window.people.password_action)
    file_menu.addAction(window.people.lock_action)
    file_menu.addSeparator()
    file_menu.addAction(
        action(
            window,
            "&Quit",
            QKeySequence.StandardKey.Quit,
            window.close,
            "Close ScleroChart; a value still being typed is saved first.",
        )
    )

    edit_menu = window.menuBar().addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    undo.setStatusTip("Take back the last change to the session's sites or tracings.")
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts(QKeySequence.StandardKey.Redo)
    redo.setStatusTip("Make the change taken back again.")
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    for entry in (charting.edit_site_action, charting.duplicate_action, charting.delete_action):
        edit_menu.addAction(entry)
    edit_menu.addSeparator()
    edit_menu.addAction(charting.pen_action)

    session_menu = window.menuBar().addMenu("&Session")
    new_session = action(
        window,
        "&New session for this patient",
        QKeySequence.StandardKey.New,
        window.new_session,
        "Start a treatment session for the chosen patient, dated now.",
    )
    new_session.setEnabled(False)
    session_menu.addAction(new_session)
    session_menu.addAction(
        action(
            window,
            "Session &details",
            "Ctrl+I",
            charting.show_session_details,
            "Weight, CEAP, checklist, consent, compression and notes of the open session.",
        )
    )
    session_menu.addAction(window.photos.session_photos_action)
    session_menu.addSeparator()
    session_menu.addAction(documents.print_report_action)
    session_menu.addAction(documents.photos_action)
    session_menu.addAction(documents.print_handout_action)
    session_menu.addSeparator()
    session_actions = charting.session_actions
    for entry in (session_actions.sign_action, session_actions.amend_action):
        session_menu.addAction(entry)
    session_menu.addSeparator()
    for entry in (session_actions.void_action, session_actions.delete_action):
        session_menu.addAction(entry)
    session_menu.addSeparator()
    session_menu.addAction(session_actions.trail_action)

    view_menu = window.menuBar().addMenu("&View")
    canvas = charting.canvas
    view_menu.addAction(
        action(window, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: canvas.zoom(1.25), "Or + on the diagram.")
    )
    view_menu.addAction(
        action(window, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: canvas.zoom(0.8), "Or - on the diagram.")
    )
    view_menu.addAction(action(window, "Show &all views", "Ctrl+0", canvas.fit_all, "Fit all six views."))
    view_menu.addSeparator()
    for number, view in enumerate(View, start=1):
        view_menu.addAction(
            action(
                window,
                f"Zoom to {view.value}",
                f"Alt+{number}",
                partial(canvas.focus_view, view),
                f"Show the {view.value} view large.",
            )
        )
    view_menu.addSeparator()

    def toggle_history() -> None:
        charting.show_history(history.isChecked())

    history = action(
        window,
        "Show &earlier sessions' sites",
        "Ctrl+H",
        toggle_history,
        "Show the sites of this patient's earlier sessions faintly under this one.",
    )
    history.setCheckable(True)
    view_menu.addAction(history)

    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addAction(
        action(window, "&Keys at the chair", "F1", lambda: show_keys_help(window), "Every key of the charting screen.")
    )
    help_menu.addAction(
        action(
            window,
            "Open &log folder",
            None,
            lambda: open_log_folder(window),
            "Show the folder of the log file, for whoever looks after ScleroChart.",
        )
    )
    help_menu.addAction(
        action(
            window,
            "&About ScleroChart",
            None,
            lambda: show_about(window, window.api.display, window.backups.status.text()),
        )
    )
    return Menus(edit_patient, new_session, history, course, undo, redo)


def open_log_folder(parent: QWidget) -> None:
    """Show the log file's folder in the system's file manager; where none opens, say where it is."""
    in_use = logs.log_file()
    folder = in_use.parent if in_use is not None else paths.log_dir()
    with contextlib.suppress(OSError):
        paths.private_folder(folder)  # made when missing, so the file manager has something to show
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        QMessageBox.information(parent, "Log folder", f"The log files of ScleroChart are in the folder\n{folder}")


def show_about(parent: QWidget, database: str, backups: str = "") -> None:
    """The version, the database in use, its last verified backup, and the components' licences."""
    notice = paths.resources_dir() / "licences" / "README.txt"
    bundled = paths.licences_dir()
    components = notice.read_text(encoding="utf-8") if notice.exists() else ""
    where = (
        f"Each component's own licence text is in {bundled}."
        if bundled is not None
        else "Each component's licence text is in its installed package."
    )
    box = QMessageBox(parent)
    box.setWindowTitle("About ScleroChart")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(
        f"ScleroChart {__version__}\nCharting at the chair for sclerotherapy of leg veins.\n\nDatabase: {database}"
        + (f"\n{backups}" if backups else "")
        + "\n\nScleroChart is built with Qt 6 and PySide6 (LGPL 3), SQLAlchemy, ReportLab, Pillow, psycopg, "
        "SQLCipher and the DejaVu, Droid Sans Fallback and NanumGothic fonts. " + where
    )
    box.setDetailedText(components)  # "Show details…": every component and its licence
    box.exec()
