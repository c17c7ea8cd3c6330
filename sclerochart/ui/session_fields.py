"""Small widgets of the session's details: notes that say when they are left, and tick rows for a gloved hand."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QWidget


class NotesEdit(QPlainTextEdit):
    """Multi-line notes that report when the user leaves them (the moment they are stored)."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Store on leaving the field."""
        super().focusOutEvent(event)
        self.left.emit()


class CheckRow(QWidget):
    """A tick box with a label that wraps in a narrow panel; a click on the text ticks the box too."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.box = QCheckBox()
        self.box.setAccessibleName(text)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click anywhere on the row toggles the box (a big target for a gloved hand)."""
        if self.box.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
        super().mouseReleaseEvent(event)
