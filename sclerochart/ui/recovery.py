"""At start, a database that is missing or damaged while verified copies of it exist: restore, choose, or stop.

A new, empty clinic is offered only where no file exists; a damaged file is never opened as a new clinic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from sclerochart.domain.backups import BackupCopy, age_in_words
from sclerochart.ui.restore_dialog import Lister, RestoreDialog

EMPTY = "The database holds no clinic yet"
"""How the application names an empty database beside copies of a clinic (not damaged: a new clinic is offered)."""


def ask_recovery(
    database: Path, problem: str | None, copies: tuple[BackupCopy, ...], lister: Lister, now: dt.datetime,
    parent: QWidget | None = None,
) -> BackupCopy | str:  # fmt: skip
    """Ask what to do about a missing (`problem` None) or damaged database that has verified copies.

    Returns:
        The copy to restore, "new" to start a new clinic (only offered for a missing file), or "quit".
    """
    newest = copies[0]
    since = age_in_words(newest.made_at, now)
    if problem is None or problem.startswith(EMPTY):
        title = "The database is missing" if problem is None else "The database holds no clinic"
        text = (
            f"The clinic's records file cannot be found ({database}), but there are checked backups of it. If the "
            "file was deleted or moved by mistake, restore the newest backup."
            if problem is None
            else f"{problem} If the clinic's file was replaced by mistake, restore the newest backup."
        )
    else:
        title = "The database is damaged"
        text = f"{problem}\n\nThe damaged file is not deleted: it is kept in the same folder under another name."
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setInformativeText(
        f"The newest verified backup was made on {newest.made_at:%d %b %Y at %H:%M} ({since} ago) and holds "
        f"{newest.holds.in_words()}. Whatever was entered after it is not in it."
    )
    restore = box.addButton("Restore the newest backup", QMessageBox.ButtonRole.AcceptRole)
    choose = box.addButton("Choose another backup…", QMessageBox.ButtonRole.ActionRole)
    new = (
        box.addButton("Start a new, empty clinic", QMessageBox.ButtonRole.DestructiveRole) if problem is None else None
    )
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(quit_button)
    while True:
        box.exec()
        clicked = box.clickedButton()
        if clicked is restore:
            return newest
        if new is not None and clicked is new:
            sure = QMessageBox.question(
                parent,
                "Start a new, empty clinic?",
                "A new clinic starts without any patient. The backups stay where they are, and can still be "
                "restored later from File → Restore from backup….\n\nStart a new, empty clinic?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if sure == QMessageBox.StandardButton.Yes:
                return "new"
            continue
        if clicked is choose:
            dialog = RestoreDialog(lister, None, now, parent)
            if dialog.exec() and dialog.chosen is not None:
                return dialog.chosen
            continue
        return "quit"
