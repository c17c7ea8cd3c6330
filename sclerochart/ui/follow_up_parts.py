"""The parts of the follow-up visit form: clearance per treated region, and the complications found.

Clearance: one row per region treated up to the visit's day, with the sessions and sites that treated it
and its last rating, and six large buttons (not rated, 0, 25, 50, 75, 100 %) — one press, gloves on.
Complications: one row each, every field a choice except the action taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.diagram import ALL_REGIONS
from sclerochart.domain.follow_up import (
    SIDE_WORDS,
    ComplicationFinding,
    ComplicationSide,
    RegionClearance,
    Severity,
    region_words,
)
from sclerochart.domain.outcomes import CLEARANCE_COLOURS, RegionOutcome
from sclerochart.domain.values import CLEARANCE_STEPS, Complication
from sclerochart.ui.input_guards import guard_inputs

NOT_RATED = 999
"""The id of the "Not rated" button (a button group gives -1 to none pressed and invents ids below)."""
W = TypeVar("W", bound=QWidget)


def treated_words(outcome: RegionOutcome, up_to: dt.date) -> str:
    """E.g. "Treated 02.03.2026 (sites 1, 4) and 20.04.2026 (site 2)"."""
    parts = []
    for treatment in outcome.treatments:
        if treatment.treated_on > up_to:
            continue
        numbers = ", ".join(str(n) for n in treatment.site_numbers)
        plural = "s" if len(treatment.site_numbers) > 1 else ""
        parts.append(f"{treatment.treated_on:%d.%m.%Y} (site{plural} {numbers})")
    return "Treated " + " and ".join(parts) if parts else ""


def earlier_rating(outcome: RegionOutcome, before: dt.date, visit_id: str | None) -> str:
    """The region's last rating at another visit on or before the day, in words; "" for none."""
    earlier = [r for r in outcome.ratings if r.visit_id != visit_id and r.examined_on <= before]
    if not earlier:
        return "Not rated before"
    last = earlier[-1]
    return f"Before: {last.percent} % on {last.examined_on:%d.%m.%Y}"


class ClearanceGrid(QScrollArea):
    """The treated regions, each with its six buttons; `clearances()` gives what is pressed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.groups: dict[str, QButtonGroup] = {}
        self._read_only = False
        self.empty = QLabel()
        self._build([], dt.date.today(), None, {})

    def show_regions(
        self,
        outcomes: Iterable[RegionOutcome],
        up_to: dt.date,
        visit_id: str | None,
        chosen: dict[str, int],
    ) -> None:
        """Rows for the regions treated on or before `up_to`, each pressed at `chosen` (region → %)."""
        treated = [o for o in outcomes if any(t.treated_on <= up_to for t in o.treatments)]
        treated.sort(key=lambda o: region_words(o.region))
        self._build(treated, up_to, visit_id, chosen)

    def _build(
        self, outcomes: Sequence[RegionOutcome], up_to: dt.date, visit_id: str | None, chosen: dict[str, int]
    ) -> None:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setColumnStretch(0, 1)
        self.groups = {}
        if not outcomes:
            self.empty = QLabel("No region was treated on or before this day: there is nothing to rate yet.")
            self.empty.setWordWrap(True)
            grid.addWidget(self.empty, 0, 0)
        for row, outcome in enumerate(outcomes):
            words = QLabel(
                f"<b>{region_words(outcome.region)}</b><br>{treated_words(outcome, up_to)}<br>"
                f"<span style='color:#555'>{earlier_rating(outcome, up_to, visit_id)}</span>"
            )
            words.setTextFormat(Qt.TextFormat.RichText)
            words.setWordWrap(True)
            grid.addWidget(words, row, 0)
            buttons = QHBoxLayout()
            group = QButtonGroup(holder)
            group.setExclusive(True)
            for value in (NOT_RATED, *CLEARANCE_STEPS):
                button = QPushButton("Not rated" if value == NOT_RATED else f"{value} %")
                button.setCheckable(True)
                button.setMinimumSize(64 if value != NOT_RATED else 84, 40)
                button.setAccessibleName(f"{region_words(outcome.region)}: {button.text()}")
                if value != NOT_RATED:
                    colour = CLEARANCE_COLOURS[value]
                    button.setStyleSheet(
                        f"QPushButton {{ border-left: 6px solid {colour}; }}"
                        f"QPushButton:checked {{ background: {colour}; color: black; font-weight: bold; }}"
                    )
                group.addButton(button, value)
                buttons.addWidget(button)
                button.setEnabled(not self._read_only)
            pressed = group.button(chosen.get(outcome.region, NOT_RATED))
            if pressed is not None:
                pressed.setChecked(True)
            group.idClicked.connect(lambda _id: self.edited.emit())
            self.groups[outcome.region] = group
            grid.addLayout(buttons, row, 1)
        grid.setRowStretch(len(outcomes) + 1, 1)
        self.setWidget(holder)

    def clearances(self) -> tuple[RegionClearance, ...]:
        """The rated regions."""
        return tuple(
            RegionClearance(region, group.checkedId())
            for region, group in self.groups.items()
            if group.checkedId() not in (NOT_RATED, -1)
        )

    def chosen(self) -> dict[str, int]:
        """Region → % of the rated regions (kept when the rows are rebuilt for another day)."""
        return {each.region: each.percent for each in self.clearances()}

    def press(self, region: str, percent: int) -> None:
        """Press a region's button (as a click would)."""
        button = self.groups[region].button(percent)
        button.click()

    def set_read_only(self, read_only: bool) -> None:
        """Frozen for a signed visit."""
        self._read_only = read_only
        for group in self.groups.values():
            for button in group.buttons():
                button.setEnabled(not read_only)


def _side_follows_region(side: QComboBox, region: QComboBox) -> None:
    """A region of one leg sets the side to that leg."""
    code = region.currentData()
    known = ALL_REGIONS.get(code) if code else None
    if known is not None and side.currentData() not in (known.side.value, ComplicationSide.BOTH.value):
        side.setCurrentIndex(side.findData(ComplicationSide(known.side.value)))


def _region_follows_side(side: QComboBox, region: QComboBox) -> None:
    """A side that is not the region's leg clears the region (none is chosen rather than a contradiction)."""
    code = region.currentData()
    known = ALL_REGIONS.get(code) if code else None
    if known is not None and side.currentData() not in (known.side.value, ComplicationSide.BOTH.value):
        region.setCurrentIndex(0)


class ComplicationTable(QWidget):
    """The complications found, a row of fields each (a form, not a table holding data); Add complication adds one."""

    edited = Signal()
    COLUMNS = ("Complication", "Side", "Region", "Severity", "Action taken", "Resolved", "")
    WIDTHS = (200, 100, 220, 110, 170, 70, 0)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[QWidget, ...]] = []
        holder = QWidget()
        self.grid = QGridLayout(holder)
        for column, (title, width) in enumerate(zip(self.COLUMNS, self.WIDTHS, strict=True)):
            heading = QLabel(f"<b>{title}</b>")
            heading.setMinimumWidth(width if column < 6 else 0)
            self.grid.addWidget(heading, 0, column)
        self.grid.setRowStretch(1000, 1)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(holder)
        self.add_button = QPushButton("Add complication")
        self.add_button.setMinimumHeight(40)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.none_label = QLabel("No complication recorded. “Add complication” records one.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.none_label)
        layout.addWidget(area, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._regions: list[str] = []

    def offer_regions(self, treated: Iterable[str]) -> None:
        """Regions offered first in each row's region choice (the treated ones)."""
        self._regions = sorted(set(treated), key=region_words)

    def add_row(self, finding: ComplicationFinding | None = None) -> None:
        """A new row, filled from `finding` when given."""
        kind = QComboBox()
        kind.addItem("Choose…", None)
        for complication in Complication:
            kind.addItem(complication.value[:1].upper() + complication.value[1:], complication)
        side = QComboBox()
        for place in ComplicationSide:
            side.addItem(SIDE_WORDS[place], place)
        region = QComboBox()
        region.addItem("— none", "")
        for code in self._regions:
            region.addItem(region_words(code), code)
        others = sorted((code for code in ALL_REGIONS if code not in self._regions), key=region_words)
        for code in others:
            region.addItem(region_words(code), code)
        severity = QComboBox()
        for grade in Severity:
            severity.addItem(grade.value.capitalize() or "Not recorded", grade)
        action = QLineEdit()
        action.setPlaceholderText("e.g. microthrombectomy")
        resolved = QCheckBox("Yes")
        remove = QPushButton("Remove")
        for widget in (kind, side, region, severity, action, remove):
            widget.setMinimumHeight(36)
        if finding is not None:
            kind.setCurrentIndex(kind.findData(finding.kind))
            side.setCurrentIndex(side.findData(finding.side))
            region.setCurrentIndex(max(0, region.findData(finding.region)))
            severity.setCurrentIndex(severity.findData(finding.severity))
            action.setText(finding.action)
            resolved.setChecked(finding.resolved)
        cells: tuple[QWidget, ...] = (kind, side, region, severity, action, resolved, remove)
        line = len(self.rows) + 1
        for column, cell in enumerate(cells):
            self.grid.addWidget(cell, line, column)
        self.rows.append(cells)
        for combo in (kind, side, region, severity):
            combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        action.textEdited.connect(lambda _t: self.edited.emit())
        resolved.toggled.connect(lambda _b: self.edited.emit())
        remove.clicked.connect(lambda: self._remove(cells))
        guard_inputs(self)  # the new row's lists too: the wheel scrolls past them
        region.currentIndexChanged.connect(lambda _i: _side_follows_region(side, region))
        side.currentIndexChanged.connect(lambda _i: _region_follows_side(side, region))
        self.none_label.setVisible(False)
        if finding is None:
            kind.setFocus()
            self.edited.emit()

    def _remove(self, cells: tuple[QWidget, ...]) -> None:
        self._take(cells)
        self._relay()
        self.none_label.setVisible(not self.rows)
        self.edited.emit()

    def _take(self, cells: tuple[QWidget, ...]) -> None:
        self.rows.remove(cells)
        for cell in cells:
            self.grid.removeWidget(cell)
            cell.deleteLater()

    def _relay(self) -> None:
        """Put the rows left back one under the other."""
        for line, cells in enumerate(self.rows, start=1):
            for column, cell in enumerate(cells):
                self.grid.addWidget(cell, line, column)

    def findings(self) -> tuple[tuple[ComplicationFinding, ...], list[int]]:
        """The rows as findings, and the numbers (from 1) of rows whose complication is not chosen."""
        found: list[ComplicationFinding] = []
        unchosen: list[int] = []
        for row in range(len(self.rows)):
            kind = self._widget(row, 0, QComboBox).currentData()
            if kind is None:
                unchosen.append(row + 1)
                continue
            # A combo box gives its items' data back as plain text: the choices are made values again.
            found.append(
                ComplicationFinding(
                    Complication(kind),
                    ComplicationSide(self._widget(row, 1, QComboBox).currentData()),
                    str(self._widget(row, 2, QComboBox).currentData()),
                    Severity(self._widget(row, 3, QComboBox).currentData()),
                    self._widget(row, 4, QLineEdit).text(),
                    self._widget(row, 5, QCheckBox).isChecked(),
                )
            )
        return tuple(found), unchosen

    def _widget(self, row: int, column: int, kind: type[W]) -> W:
        widget = self.rows[row][column]
        assert isinstance(widget, kind)
        return widget

    def set_findings(self, findings: Sequence[ComplicationFinding]) -> None:
        """Show stored findings."""
        self.blockSignals(True)
        try:
            for cells in list(self.rows):
                self._take(cells)
            for finding in findings:
                self.add_row(finding)
            self.none_label.setVisible(not findings)
        finally:
            self.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        """Frozen for a signed visit."""
        self.add_button.setEnabled(not read_only)
        for cells in self.rows:
            for widget in cells:
                widget.setEnabled(not read_only)
