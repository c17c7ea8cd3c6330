"""CEAP in full and the revised VCSS of both legs: typed and picked beside each other, totals as you go.

Each VCSS item is a drop-down of its four scores in words (and "not scored"); the item's definition is under
its name. A CEAP class is typed ("C2,4a,S Ep As Pr") and read back in words, or the reason it is not valid.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from sclerochart.domain.ceap import parse_ceap_full
from sclerochart.domain.vcss import VCSS_ITEMS, VCSS_MAX
from sclerochart.ui.input_guards import guard_inputs

LEGS = ("right", "left")
NOT_SCORED = "— not scored"


class LegScores(QWidget):
    """CEAP and VCSS of the right and left leg side by side."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        for column, leg in enumerate(LEGS, start=1):
            heading = QLabel(f"<b>{leg.capitalize()} leg</b>")
            grid.addWidget(heading, 0, column)
        self.ceap: dict[str, QLineEdit] = {}
        self.ceap_words: dict[str, QLabel] = {}
        grid.addWidget(QLabel("<b>CEAP</b> (e.g. C2,4a,S Ep As Pr)"), 1, 0)
        for column, leg in enumerate(LEGS, start=1):
            field = QLineEdit()
            field.setMinimumHeight(32)
            field.setAccessibleName(f"CEAP {leg} leg")
            field.setPlaceholderText("e.g. C1,S")
            field.textChanged.connect(lambda _text, leg=leg: self._ceap_changed(leg))
            words = QLabel()
            words.setWordWrap(True)
            self.ceap[leg], self.ceap_words[leg] = field, words
            grid.addWidget(field, 1, column)
            grid.addWidget(words, 2, column)
        self.combos: dict[str, dict[str, QComboBox]] = {leg: {} for leg in LEGS}
        row = 3
        grid.addWidget(QLabel("<b>Revised VCSS</b> (each item 0–3)"), row, 0)
        for item in VCSS_ITEMS:
            row += 1
            label = QLabel(f"<b>{item.name}</b><br><span style='color:#555'>{item.definition}</span>")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(label, row, 0)
            for column, leg in enumerate(LEGS, start=1):
                combo = QComboBox()
                combo.setMinimumHeight(32)
                # Narrow enough for both legs side by side: the list that opens shows each score's words whole.
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(14)
                combo.setAccessibleName(f"VCSS {leg} leg: {item.name}")
                combo.addItem(NOT_SCORED, None)
                for score, meaning in enumerate(item.levels):
                    combo.addItem(f"{score} — {meaning}", score)
                combo.setToolTip(f"{item.name}: {item.definition}")
                combo.currentIndexChanged.connect(lambda _index, leg=leg: self._vcss_changed(leg))
                self.combos[leg][item.key] = combo
                grid.addWidget(combo, row, column)
        guard_inputs(self)  # scrolling past a score never changes it
        row += 1
        grid.addWidget(QLabel("<b>VCSS total</b>"), row, 0)
        self.totals: dict[str, QLabel] = {}
        for column, leg in enumerate(LEGS, start=1):
            total = QLabel()
            self.totals[leg] = total
            grid.addWidget(total, row, column)
            self._vcss_changed(leg)

    def _ceap_changed(self, leg: str) -> None:
        text = self.ceap[leg].text()
        words = self.ceap_words[leg]
        if not text.strip():
            words.setText("")
            words.setStyleSheet("")
        else:
            try:
                words.setText(parse_ceap_full(text).describe())
                words.setStyleSheet("color: #2e5e2e;")
            except ValueError as error:
                words.setText(str(error))
                words.setStyleSheet("color: #b00020;")
        self.edited.emit()

    def _vcss_changed(self, leg: str) -> None:
        scores = self.vcss(leg)
        if not scores:
            self.totals[leg].setText("not scored")
        else:
            total = sum(scores.values())
            missing = len(VCSS_ITEMS) - len(scores)
            rest = f" ({missing} item{'s' if missing != 1 else ''} not scored)" if missing else ""
            self.totals[leg].setText(f"<b>{total}</b> of {VCSS_MAX}{rest}")
        self.edited.emit()

    def vcss(self, leg: str) -> dict[str, int]:
        """The scored items of a leg (empty: not scored)."""
        return {key: combo.currentData() for key, combo in self.combos[leg].items() if combo.currentData() is not None}

    def ceap_text(self, leg: str) -> str:
        """The CEAP class typed for a leg."""
        return self.ceap[leg].text()

    def set_values(
        self,
        ceap: Mapping[str, str],
        vcss: Mapping[str, Mapping[str, int] | None],
    ) -> None:
        """Show stored values (without announcing an edit)."""
        self.blockSignals(True)
        try:
            for leg in LEGS:
                self.ceap[leg].setText(ceap.get(leg, ""))
                scores = vcss.get(leg) or {}
                for key, combo in self.combos[leg].items():
                    value = scores.get(key)
                    combo.setCurrentIndex(0 if value is None else int(value) + 1)
                self._vcss_changed(leg)
        finally:
            self.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        """Frozen for a signed record."""
        for leg in LEGS:
            self.ceap[leg].setReadOnly(read_only)
            self.ceap[leg].setPlaceholderText("" if read_only else "e.g. C1,S")  # an example is not a value
            for combo in self.combos[leg].values():
                combo.setEnabled(not read_only)
