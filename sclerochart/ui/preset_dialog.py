"""Asks which key 1–9 a site's settings go on, and under what name."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from sclerochart.domain.errors import FieldError
from sclerochart.domain.values import Form, Preset, Sclerosant, SiteDraft
from sclerochart.ui.field_form import FieldForm
from sclerochart.ui.input_guards import guard_inputs

NAME_MAX = 60


def suggested_name(draft: SiteDraft, agent: Sclerosant | None) -> str:
    """A short name from the settings, e.g. "Polidocanol 0.5 % foam 0.5 mL"."""
    name = agent.name.split(" (")[0] if agent else "Sclerosant"
    form = "foam" if draft.form is Form.FOAM else "liquid"
    return f"{name} {draft.concentration:g} % {form} {draft.volume_ml:g} mL"[:NAME_MAX]


class PresetDialog(QDialog):
    """Key and name for a preset made from a site's settings."""

    def __init__(
        self, presets: tuple[Preset, ...], draft: SiteDraft, agent: Sclerosant | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Put settings on a preset key")
        self.key = QComboBox()
        self.key.setMinimumHeight(30)
        holders = {p.key: p for p in presets if p.key is not None}
        for key in range(1, 10):
            holder = holders.get(key)
            self.key.addItem(f"{key} — {holder.name} (replaced)" if holder else f"{key} — free", key)
        free = next((k for k in range(1, 10) if k not in holders), 9)
        self.key.setCurrentIndex(free - 1)
        self.name = QLineEdit(suggested_name(draft, agent))
        self.name.setMaxLength(NAME_MAX)
        self.form = FieldForm()
        self.form.add_field("Key", self.key)
        self.form.add_field("Preset name", self.name, label="Name")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        summary = QLabel(
            f"{agent.name if agent else ''} {draft.concentration:g} %, {draft.form.value}, "
            f"{draft.volume_ml:g} mL, {draft.vessel_type.value}"
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        guard_inputs(self)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.form.show_errors([FieldError("Preset name", f"is required (at most {NAME_MAX} characters).")])
            return
        self.accept()

    def chosen(self) -> tuple[int, str]:
        """The key and name entered."""
        return int(self.key.currentData()), self.name.text().strip()
