"""The selected site's fields: a change is checked, then stored through the charting controller when committed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.validation import FOAM_GAS_PARTS_RANGE, FOAM_LIQUID_PARTS_RANGE, validate_site
from sclerochart.domain.values import Delivery, Form, Gas, Reaction, Sclerosant, Site, SiteDraft, VesselType
from sclerochart.ui.field_form import FieldForm, parse_number, put_text
from sclerochart.ui.input_guards import guard_inputs

NOTHING_SELECTED = (
    "<p><b>No site selected.</b></p>"
    "<p><b>To place a site</b>, click on a leg: it gets the preset checked beside the diagram "
    "(keys 1–9 choose another).</p>"
    "<p><b>To see or change a site</b>, click its marker or its row in the table; its fields appear here.</p>"
    "<p><b>Keys:</b> arrow keys move the cross on the diagram, Space places a site there; "
    "F2 edits the selected site, Delete deletes it, Ctrl+D copies it, Ctrl+Z undoes.</p>"
)
"""What the Site tab says while no site is selected in a session that can be changed."""
NOTHING_SELECTED_READ_ONLY = (
    "<p><b>No site selected.</b></p><p>Click a marker or a row of the table to see its fields.</p>"
)

StoreEdit = Callable[[int, SiteDraft, int], bool]
"""Stores a checked site draft for a site id, made from the version shown; False (having said why) when not stored."""


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumHeight(30)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    for text, value in items:
        combo.addItem(text, value)
    return combo


_Choice = TypeVar("_Choice", bound=StrEnum)


def _chosen(combo: QComboBox, kind: type[_Choice]) -> _Choice:
    """The enum member behind the current item (Qt hands string enums back as plain strings)."""
    return kind(combo.currentData())


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class SiteEditor(QGroupBox):
    """Every field of one site; a change is checked here first and only a valid site is sent on.

    Agent, its own concentrations, form with foam ratio and gas, volume, vessel type and diameter, needle or
    butterfly, lot, immediate reaction and notes. A choice in a list is stored at once; a typed field is stored
    when it is committed (Enter, Tab, or leaving it), and until then says beside it that it is not saved yet.
    """

    save_as_preset = Signal(object)  # SiteDraft whose settings should go on a preset key
    typing_dropped = Signal(str)  # what was typed could not be kept (the session was signed meanwhile)

    def __init__(self, agents: dict[int, Sclerosant], store: StoreEdit, parent: QWidget | None = None) -> None:
        super().__init__("Selected site", parent)
        self.agents = agents
        self.store = store
        self.site: Site | None = None
        self._newer: tuple[Site, bool, int] | None = None
        """The site as stored while something was typed here (by another room): shown once nothing is pending."""
        self._loading = False
        self.heading = QLabel(NOTHING_SELECTED)
        self.heading.setWordWrap(True)

        self.agent = _combo([(a.name, a.id) for a in sorted(agents.values(), key=lambda a: a.id) if a.active])
        self.concentration = _combo([])
        self.form_choice = _combo([])
        self.liquid_parts = QSpinBox()
        self.liquid_parts.setRange(*FOAM_LIQUID_PARTS_RANGE)
        self.gas_parts = QSpinBox()
        self.gas_parts.setRange(*FOAM_GAS_PARTS_RANGE)
        ratio = QWidget()
        ratio_row = QHBoxLayout(ratio)
        ratio_row.setContentsMargins(0, 0, 0, 0)
        ratio_row.addWidget(self.liquid_parts)
        ratio_row.addWidget(QLabel(":"))
        ratio_row.addWidget(self.gas_parts)
        ratio_row.addStretch(1)
        self.ratio_widget = ratio
        self.gas = _combo([(g.value, g) for g in Gas])
        self.volume = QLineEdit()
        self.volume.setPlaceholderText("mL, e.g. 0.2")
        self.vessel = _combo([(v.value, v) for v in VesselType])
        self.diameter = QLineEdit()
        self.diameter.setPlaceholderText("mm (optional)")
        self.delivery = _combo([(d.value, d) for d in Delivery])
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("as printed on the vial")
        self.reaction = _combo([(r.value, r) for r in Reaction])
        self.notes = QLineEdit()
        self.override = QLabel()
        self.override.setWordWrap(True)
        self.preset_button = QPushButton("Save as preset on a key…")
        self.preset_button.setMinimumHeight(32)

        self.form = FieldForm()
        self.form.add_field("Sclerosant", self.agent)
        self.form.add_field("Concentration", self.concentration, label="Concentration (%)")
        self.form.add_field("Form", self.form_choice)
        self.form.add_field("Foam ratio", ratio, label="Liquid : gas")
        self.form.add_field("Gas", self.gas)
        self.form.add_field("Volume", self.volume, label="Volume (mL)")
        self.form.add_field("Vessel", self.vessel)
        self.form.add_field("Vessel diameter", self.diameter, label="Diameter (mm)")
        self.form.add_field("Delivery", self.delivery, label="Needle or butterfly")
        self.form.add_field("Lot number", self.lot)
        self.form.add_field("Reaction", self.reaction, label="Immediate reaction")
        self.form.add_field("Notes", self.notes, error_names=("Reason", "Position across", "Position down"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.fields = QWidget()
        self.fields.setLayout(self.form)
        layout.addWidget(self.fields)
        layout.addWidget(self.override)
        layout.addWidget(self.preset_button)
        layout.addStretch(1)  # with nothing selected the help sits at the top, not adrift in the middle

        self.agent.currentIndexChanged.connect(self._agent_changed)
        for combo in (self.concentration, self.gas, self.vessel, self.delivery, self.reaction):
            combo.currentIndexChanged.connect(self._changed)
        self.form_choice.currentIndexChanged.connect(self._form_changed)
        self.liquid_parts.valueChanged.connect(self._changed)
        self.gas_parts.valueChanged.connect(self._changed)
        self.typed: dict[str, QLineEdit] = {
            "Volume": self.volume,
            "Vessel diameter": self.diameter,
            "Lot number": self.lot,
            "Notes": self.notes,
        }
        self._shown: dict[str, str] = {}
        for name, line in self.typed.items():
            line.editingFinished.connect(self._changed)
            line.textEdited.connect(lambda _text, name=name: self._typed(name))
        self.preset_button.clicked.connect(self._save_as_preset)
        guard_inputs(self)
        self.show_site(None, editable=False)

    # Showing ------------------------------------------------------------------------------------------
    def show_site(self, site: Site | None, *, editable: bool, selected_count: int = 1) -> None:
        """Fill the fields from a stored site (None: nothing or several selected).

        While a field of the same site holds typing not yet stored, the fields and the version they were typed on
        are kept: storing them names that version, so a change another room made meanwhile refuses it (with a
        message) instead of being overwritten, and nothing typed disappears without a word.
        """
        if site is not None and self.site is not None and site.id == self.site.id and self.has_pending():
            if editable:
                self._newer = (site, editable, selected_count)  # shown once nothing is pending any more
                return
            self.typing_dropped.emit(
                f"Site {site.number}: what you typed was not saved, because the session was signed meanwhile."
            )
        self.site = site
        self._newer = None
        self.form.clear_errors()
        self.form.clear_pending()
        self.fields.setVisible(site is not None)
        self.preset_button.setVisible(site is not None)
        if site is None:
            if selected_count > 1:
                self.heading.setText(f"{selected_count} sites are selected; select one to see its fields.")
            else:
                self.heading.setText(NOTHING_SELECTED if editable else NOTHING_SELECTED_READ_ONLY)
            if self.override.text():  # an empty label cleared again would still be laid out and painted anew
                self.override.clear()
            return
        self._loading = True
        try:
            self.heading.setText(f"<b>Site {site.number}</b> · {site.region_label}")
            if self.agent.findData(site.agent_id) < 0:  # an agent taken out of use still shows on its old sites
                agent = self.agents[site.agent_id]
                self.agent.addItem(f"{agent.name} (not in use)", agent.id)
            _select(self.agent, site.agent_id)
            self._fill_agent_choices(site.agent_id)
            _select(self.concentration, site.concentration)
            _select(self.form_choice, site.form)
            self.liquid_parts.setValue(site.foam_liquid_parts or 1)
            self.gas_parts.setValue(site.foam_gas_parts or 4)
            _select(self.gas, site.gas or Gas.ROOM_AIR)
            self.volume.setText(f"{site.volume_ml:g}")
            _select(self.vessel, site.vessel_type)
            self.diameter.setText("" if site.vessel_diameter_mm is None else f"{site.vessel_diameter_mm:g}")
            _select(self.delivery, site.delivery)
            put_text(self.lot, site.lot_number)
            _select(self.reaction, site.reaction)
            put_text(self.notes, site.notes)
            reason = site.override_reason
            self.override.setText(f"Limit exceeded on purpose. Reason: {reason}" if reason else "")
            self._show_foam_fields()
            self._shown = {name: line.text() for name, line in self.typed.items()}
        finally:
            self._loading = False
        self.fields.setEnabled(editable)
        self.preset_button.setEnabled(True)

    def _show_newer(self) -> None:
        """Show the site as another room stored it while something was typed here, once nothing is pending."""
        if self._newer is not None and not self.has_pending():
            site, editable, selected_count = self._newer
            self.show_site(site, editable=editable, selected_count=selected_count)

    def _fill_agent_choices(self, agent_id: int) -> None:
        agent = self.agents[agent_id]
        self.concentration.clear()
        for value in agent.concentrations:
            self.concentration.addItem(f"{value:g} %", value)
        self.form_choice.clear()
        for form in agent.forms:
            self.form_choice.addItem(form.value, form)

    def _show_foam_fields(self) -> None:
        foam = self.form_choice.currentData() == Form.FOAM.value
        self.ratio_widget.setEnabled(foam)
        self.gas.setEnabled(foam)

    # Changing -----------------------------------------------------------------------------------------
    def _agent_changed(self) -> None:
        if self._loading or self.site is None:
            return
        self._loading = True
        try:
            previous_form = self.form_choice.currentData()
            self._fill_agent_choices(self.agent.currentData())
            _select(self.form_choice, previous_form)
            self._show_foam_fields()
        finally:
            self._loading = False
        self._changed()

    def _form_changed(self) -> None:
        self._show_foam_fields()
        self._changed()

    def current_draft(self) -> SiteDraft:
        """The fields as a site draft; ValidationError names every field that is not allowed."""
        assert self.site is not None
        errors: list[FieldError] = []
        volume = diameter = None
        try:
            volume = parse_number(self.volume.text())
        except ValueError:
            errors.append(FieldError("Volume", "must be a number of mL, e.g. 0.2."))
        if volume is None and not errors:
            errors.append(FieldError("Volume", "is required (mL, e.g. 0.2)."))
        try:
            diameter = parse_number(self.diameter.text())
        except ValueError:
            errors.append(FieldError("Vessel diameter", "must be a number of mm, e.g. 0.5, or left empty."))
        if errors:
            raise ValidationError(errors)
        form = _chosen(self.form_choice, Form)
        foam = form is Form.FOAM
        return replace(
            self.site.draft(),
            agent_id=self.agent.currentData(),
            concentration=self.concentration.currentData(),
            form=form,
            foam_liquid_parts=self.liquid_parts.value() if foam else None,
            foam_gas_parts=self.gas_parts.value() if foam else None,
            gas=_chosen(self.gas, Gas) if foam else None,
            volume_ml=volume or 0.0,
            vessel_type=_chosen(self.vessel, VesselType),
            vessel_diameter_mm=diameter,
            delivery=_chosen(self.delivery, Delivery),
            lot_number=self.lot.text(),
            reaction=_chosen(self.reaction, Reaction),
            notes=self.notes.text(),
        )

    def checked_draft(self) -> SiteDraft | None:
        """The fields checked against the catalogue, or None with the messages shown beside the fields."""
        try:
            draft = self.current_draft()
            checked = validate_site(draft, self.agents[draft.agent_id])
        except ValidationError as error:
            self.form.show_errors(error.errors)
            return None
        self.form.clear_errors()
        return checked

    def _typed(self, name: str) -> None:
        """A key changed a typed field: say beside it whether it now shows something not stored."""
        if not self._loading and self.site is not None:
            self.form.set_pending(name, self.typed[name].text() != self._shown.get(name))
            if not self.has_pending() and self._newer is not None:
                QTimer.singleShot(0, self._show_newer)  # typed back: show what is stored now (after this key)

    def has_pending(self) -> bool:
        """Whether a typed field shows a change that is not stored yet."""
        return bool(self.form.pending())

    def commit_pending(self) -> bool:
        """Store what the fields show, as leaving the field would; False when it was not stored.

        A value that is not allowed keeps its message beside the field. A change the database refused (or a
        limit not overridden) has been said, and the fields show the stored site again.
        """
        if self.site is None or not self.fields.isEnabled():
            return True
        return self._changed()

    def _changed(self) -> bool:
        if self._loading or self.site is None or not self.fields.isEnabled():
            return True
        draft = self.checked_draft()
        if draft is None:
            return False
        if draft == self.site.draft():
            self.form.clear_pending()
            self._shown = {name: line.text() for name, line in self.typed.items()}
            if self._newer is not None:
                QTimer.singleShot(0, self._show_newer)
            return True
        # Made from the version shown: a site another room changed meanwhile is refused, not overwritten. The
        # screen then shows the stored site (changed, or as it was); nothing is pending any more either way.
        self.form.clear_pending()
        return self.store(self.site.id, draft, self.site.version)

    def _save_as_preset(self) -> None:
        if self.site is None:
            return
        draft = self.checked_draft() if self.fields.isEnabled() else self.site.draft()
        if draft is not None:
            self.save_as_preset.emit(draft)
