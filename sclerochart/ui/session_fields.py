"""Small widgets of the session's details: notes, tick rows, the CEAP and practitioner choices, the weight check."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QWidget

from sclerochart.domain.checklist import ITEMS_BY_KEY
from sclerochart.domain.validation import WEIGHT_KG_RANGE
from sclerochart.domain.values import Practitioner, TreatmentSession
from sclerochart.ui.field_form import parse_number

WEIGHT_CHECK = "weight_recorded"
"""The checklist's check that the weight field answers."""


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


def ceap_box(choices: tuple[str, ...]) -> QComboBox:
    """A CEAP field: the clinical classes to pick from, or CEAP typed in full ("C2,4a,S Ep As Pr")."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(choices)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    line_edit = combo.lineEdit()
    if line_edit is not None:
        line_edit.setPlaceholderText("e.g. C1,S")
        combo.setToolTip("The clinical class, or CEAP in full: e.g. C2,4a,S Ep As Pr")
    return combo


def fill_practitioners(
    combo: QComboBox, practitioners: tuple[Practitioner, ...], session: TreatmentSession | None
) -> tuple[Practitioner, ...]:
    """Offer the clinic's practitioners with the session's own chosen (at first: whoever started it); they come back.

    A practitioner no longer active stays offered on the session that names them.
    """
    combo.clear()
    combo.addItem("(not recorded)", None)
    for person in practitioners:
        combo.addItem(person.name, person.id)
    if session is None:
        return practitioners
    if session.practitioner_id is not None and combo.findData(session.practitioner_id) < 0:
        combo.addItem(session.practitioner_name or "(former practitioner)", session.practitioner_id)
    combo.setCurrentIndex(max(0, combo.findData(session.practitioner_id)))
    return practitioners


def show_weight_check(row: CheckRow, weight: str, reason: str) -> None:
    """Tick the weight check while a weight the store accepts is typed, and say beside it where its answer comes from.

    A weight that is not yet one (a typing slip, "0", 500) changes nothing: the tick stays as it was until the
    field holds a weight again.
    """
    low, high = WEIGHT_KG_RANGE
    try:
        value = parse_number(weight)
    except ValueError:
        value = float("nan")
    if value is not None and not low <= value <= high:
        row.label.setText(
            f"{ITEMS_BY_KEY[WEIGHT_CHECK].label} — ticked once a weight of {low:g}–{high:g} kg is entered above"
        )
        return
    weighed = value is not None
    row.box.setChecked(weighed)
    if weighed:
        note = "ticked by the weight entered above"
    elif reason.strip():
        note = "not weighed; the reason is given above"
    else:
        note = "ticked once the weight is entered above"
    row.label.setText(f"{ITEMS_BY_KEY[WEIGHT_CHECK].label} — {note}")
