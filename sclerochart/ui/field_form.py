"""A form whose fields each carry a message line beneath them: what is not allowed, or what is not saved yet."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from sclerochart.domain.errors import FieldError, UserError, ValidationError

ERROR_STYLE = "color: #b00020; font-weight: 600;"
PENDING_STYLE = "color: #8a4b00; font-weight: 600;"
"""A value typed but not yet saved: dark amber, plainly apart from the red of a value not allowed."""

NOT_SAVED_YET = "Not saved yet: press Enter or Tab to save."
"""Shown under a one-line field while it holds a change that is not stored."""


class MessageLabel(QLabel):
    """A message that wraps and always gets the height of all its lines.

    A wrapped label inside a form row is otherwise given the height of fewer lines than it needs, and the last
    lines of a long message are cut off.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Ask for the height the text needs at the width given."""
        super().resizeEvent(event)
        self._fit()

    def setText(self, text: str) -> None:
        """Show the text and ask for the height it needs."""
        super().setText(text)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(0, needed))


@dataclass
class _MessageLine:
    """The line under one field: the errors about it win over the note that its change is not saved yet."""

    label: QLabel
    errors: list[str] = field(default_factory=list)
    pending: str = ""

    def show(self) -> None:
        if self.errors:
            self.label.setText("\n".join(self.errors))
            self.label.setStyleSheet(ERROR_STYLE)
        elif self.pending:
            self.label.setText(self.pending)
            self.label.setStyleSheet(PENDING_STYLE)
        else:
            self.label.clear()
        self.label.setVisible(bool(self.errors or self.pending))


def _in_words(error: FieldError) -> str:
    """An error as shown under its field: "Weight must be a number …", or its message when that is a sentence."""
    return f"{error.field} {error.message}" if error.message[:1].islower() else error.message


class FieldForm(QFormLayout):
    """A QFormLayout where every row is a field with its own (usually hidden) message below it.

    Rows are named by the same field labels the domain's validation uses ("Volume", "Date of birth"),
    so `show_errors` puts each message beside the field it is about, and `set_pending` says beside a field
    that what it shows is not stored yet.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._messages: dict[str, _MessageLine] = {}
        self._hints: dict[str, str] = {}

    def add_field(
        self,
        name: str,
        widget: QWidget,
        *,
        label: str | None = None,
        error_names: tuple[str, ...] = (),
        pending_hint: str = NOT_SAVED_YET,
    ) -> None:
        """Add a labelled field; `error_names` are further validation field names shown under it.

        Args:
            name: The field's name in validation messages.
            widget: The input.
            label: The caption shown (the name when not given).
            error_names: Further validation field names whose messages go under this field.
            pending_hint: What `set_pending` shows under the field.
        """
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        message = MessageLabel()
        message.setStyleSheet(ERROR_STYLE)
        message.setVisible(False)
        column.addWidget(message)
        caption = QLabel(label if label is not None else name)
        caption.setBuddy(widget)
        self.addRow(caption, holder)
        line = _MessageLine(message)
        for key in (name, *error_names):
            self._messages[key] = line
        self._hints[name] = pending_hint

    def message(self, name: str) -> str:
        """The message shown under a field ("" when none)."""
        label = self._messages[name].label
        return "" if label.isHidden() else label.text()

    def clear_errors(self) -> None:
        """Hide every error (a note that a change is not saved yet stays)."""
        for line in self._messages.values():
            line.errors.clear()
            line.show()

    def show_errors(self, errors: tuple[FieldError, ...] | list[FieldError]) -> list[FieldError]:
        """Show each error under its field; the errors with no field here are returned for showing elsewhere."""
        self.clear_errors()
        elsewhere: list[FieldError] = []
        for error in errors:
            line = self._messages.get(error.field)
            if line is None:
                elsewhere.append(error)
                continue
            line.errors.append(_in_words(error))
            line.show()
        return elsewhere

    def has_error(self, name: str) -> bool:
        """Whether the field shows an error (the message under it is red)."""
        return bool(self._messages[name].errors)

    def recheck(self, name: str, errors: tuple[FieldError, ...] | list[FieldError]) -> None:
        """Show a field's errors as they are now: gone as soon as the value is allowed, updated while it is not.

        Only a field already showing an error changes (a field is not scolded while it is being typed).

        Args:
            name: The field that changed.
            errors: Every error of the form's values as they are now; those about this field are shown.
        """
        line = self._messages[name]
        if not line.errors:
            return
        keys = {key for key, other in self._messages.items() if other is line}
        line.errors = [_in_words(error) for error in errors if error.field in keys]
        line.show()

    def set_pending(self, name: str, pending: bool) -> None:
        """Say under a field that the change it shows is not saved yet (or take that back)."""
        line = self._messages[name]
        line.pending = self._hints[name] if pending else ""
        line.show()

    def clear_pending(self) -> None:
        """Take back every "not saved yet" (the fields show what is stored)."""
        for line in self._messages.values():
            line.pending = ""
            line.show()

    def pending(self) -> list[str]:
        """The names of the fields that show a change not saved yet."""
        return [name for name in self._hints if self._messages[name].pending]


class FormMessage(QLabel):
    """The line at the foot of a dialog: a refusal no single field shows, in red, the dialog growing to fit it."""

    def __init__(self, *, grow: bool = True) -> None:
        """`grow`: the dialog fits itself around the message (a small form); a large window keeps its size."""
        super().__init__()
        self.grow = grow
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.hide()

    def say(self, text: str) -> None:
        """Show the text (a small dialog grows so the lines above it keep their room)."""
        self.setText(text)
        self.show()
        if self.grow:
            self.window().adjustSize()

    def refusal(self, error: UserError, *forms: FieldForm) -> None:
        """Show a refusal: each field's problem beside it in the forms, the rest (or the whole message) here."""
        if not isinstance(error, ValidationError):
            self.say(f"{error.message} {error.hint}".strip())
            return
        rest = list(error.errors)
        for form in forms:
            rest = form.show_errors(rest)
        if self.grow:
            self.window().adjustSize()  # the messages under the fields need room
        if rest:
            self.say("; ".join(str(e).rstrip(".") for e in rest) + ". Nothing was saved.")


def unsaved_value_error(outcome: str) -> UserError:
    """Why an action did not happen: a value typed in a field could not be saved.

    Args:
        outcome: What did not happen, in the user's words ("The session was not signed").
    """
    return UserError(
        f"{outcome}: a value you typed could not be saved.",
        "The field in the Site or Session tab says why. Correct it, or type the saved value again, then try once more.",
    )


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
