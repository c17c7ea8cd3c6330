"""Asking for the clinic passphrase of an encrypted database (kept in memory only, never stored)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

TITLE = "Clinic passphrase"


def ask_passphrase(where: str, *, wrong: bool = False, parent: QWidget | None = None) -> str | None:
    """The passphrase typed, or None when the user cancelled."""
    lead = "That passphrase does not open the records. Type it again, exactly (capitals count).\n\n" if wrong else ""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(TITLE)
    dialog.setLabelText(
        f"{lead}The clinic's records in {where} are encrypted. Type the clinic passphrase to open them."
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("Open")
    dialog.resize(520, dialog.sizeHint().height())
    if not dialog.exec():
        return None
    return dialog.textValue()
