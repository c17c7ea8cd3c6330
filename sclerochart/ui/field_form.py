"""A form whose fields each carry a message line beneath them, filled from a ValidationError's field names."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from sclerochart.domain.errors import FieldError

ERROR_STYLE = "color: #b00020; font-weight: 600;"


class FieldForm(QFormLayout):
    """A QFormLayout where every row is a field with its own (usually hidden) message below it.

    Rows are named by the same field labels the domain's validation uses ("Volume", "Date of birth"),
    so `show_errors` puts each message beside the field it is about.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._messages: dict[str, QLabel] = {}

    def add_field(
        self, name: str, widget: QWidget, *, label: str | None = None, error_names: tuple[str, ...] = ()
    ) -> None:
        """Add a labelled field; `error_names` are further validation field names shown under it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        message = QLabel()
        message.setWordWrap(True)
        message.setStyleSheet(ERROR_STYLE)
        message.setVisible(False)
        column.addWidget(message)
        caption = QLabel(label if label is not None else name)
        caption.setBuddy(widget)
        self.addRow(caption, holder)
        for key in (name, *error_names):
            self._messages[key] = message

    def message(self, name: str) -> str:
        """The message shown under a field ("" when none)."""
        label = self._messages[name]
        return "" if label.isHidden() else label.text()

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in self._messages.values():
            label.clear()
            label.setVisible(False)

    def show_errors(self, errors: tuple[FieldError, ...] | list[FieldError]) -> list[FieldError]:
        """Show each error under its field; the errors with no field here are returned for showing elsewhere."""
        self.clear_errors()
        elsewhere: list[FieldError] = []
        for error in errors:
            label = self._messages.get(error.field)
            if label is None:
                elsewhere.append(error)
                continue
            line = f"{error.field} {error.message}" if error.message[:1].islower() else error.message
            label.setText(f"{label.text()}\n{line}" if label.text() else line)
            label.setVisible(True)
        return elsewhere


def parse_number(text: str) -> float | None:
    """A number typed by a user ("0.2", "0,2", " 2 "), None for an empty field; ValueError when not a number."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def put_text(line: QLineEdit, text: str) -> None:
    """Fill a one-line field so that a text longer than the field shows its beginning, not its end."""
    line.setText(text)
    line.setCursorPosition(0)
