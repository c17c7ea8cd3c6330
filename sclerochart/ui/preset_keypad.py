"""The preset keypad: nine big keys for the presets, and a line saying what the next click on a leg places."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QGroupBox, QLabel, QMenu, QMessageBox, QSizePolicy, QToolButton

from sclerochart.domain.values import Preset
from sclerochart.ui.charting_controller import ChartingController
from sclerochart.ui.marker_style import abbreviation


class PresetKeypad(QGroupBox):
    """Keys 1–9 of the presets, drawn from the controller's presets; a click or a digit makes one current."""

    def __init__(self, controller: ChartingController, columns: int = 3) -> None:
        super().__init__("Presets: keys 1–9")
        self.controller = controller
        self.columns = columns
        """Keys per row: two beside the diagram leave the legs the most room."""
        self.placing = True
        """False on a signed session: the keys rest and the line says why nothing is placed."""
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.buttons.idClicked.connect(controller.choose_preset_key)
        self.grid = QGridLayout(self)
        self.grid.setSpacing(4)
        self.next_click = QLabel()
        self.next_click.setWordWrap(True)
        controller.preset_changed.connect(self.show_current)
        controller.presets_changed.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """Draw a key for each preset on a key, as the controller now holds them."""
        for button in self.buttons.buttons():
            self.buttons.removeButton(button)
            button.deleteLater()
        while self.grid.count():
            self.grid.takeAt(0)
        for preset in self.controller.presets:
            if preset.key is not None:
                self._add_key(preset, preset.key)
        self.grid.addWidget(self.next_click, -(-9 // self.columns), 0, 1, self.columns)
        if self.controller.preset is not None:
            self.show_current(self.controller.preset)
        else:
            self.show_hint()

    def _add_key(self, preset: Preset, key: int) -> None:
        agent = self.controller.agents.get(preset.agent_id)
        button = QToolButton()
        button.setText(
            f"{key}  {abbreviation(agent.code) if agent else '?'} {preset.concentration:g}%\n"
            f"{preset.form.value} {preset.volume_ml:g} mL"
        )
        button.setToolTip(f"Key {key}: {preset.name} ({preset.vessel_type.value})")
        button.setStatusTip(f"Key {key}: the next click on a leg places {preset.name}. Right-click to remove.")
        button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        button.customContextMenuRequested.connect(lambda _pos: self._menu(key, button))
        button.setCheckable(True)
        button.setMinimumHeight(44)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.buttons.addButton(button, key)
        self.grid.addWidget(button, (key - 1) // self.columns, (key - 1) % self.columns)

    def _menu(self, key: int, button: QToolButton) -> None:
        menu = QMenu(self)
        menu.addAction(f"Remove preset {key}…", lambda: self.remove(key))
        menu.exec(button.mapToGlobal(button.rect().center()))

    def remove(self, key: int) -> None:
        """Ask, then remove the preset on a key (sites placed with it keep their values)."""
        preset = next((p for p in self.controller.presets if p.key == key), None)
        if preset is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove preset",
            f"Remove preset {key}, “{preset.name}”?\n\nSites already placed with it keep their values.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.delete_preset(key)

    def show_current(self, preset: Preset) -> None:
        """Check the current preset's key and say what the next click places."""
        button = self.buttons.button(preset.key) if preset.key is not None else None
        if button is not None:
            button.setChecked(True)
        self.show_hint()

    def set_placing(self, placing: bool) -> None:
        """Keys in use (a draft session) or resting (a signed one, where nothing can be placed)."""
        self.placing = placing
        self.setEnabled(placing)
        self.show_hint()

    def show_hint(self) -> None:
        """What the next click on a leg places, or why it places nothing."""
        preset = self.controller.preset
        if not self.placing:
            self.next_click.setText("This session is signed or voided: nothing can be placed, moved or drawn on it.")
        elif preset is None:
            self.next_click.setText(
                "No preset on a key: select a site, set its fields, then “Save as preset on a key…”."
            )
        else:
            agent = self.controller.agents.get(preset.agent_id)
            self.next_click.setText(
                f"Next click: <b>{html.escape(preset.name)}</b> — {html.escape(agent.name if agent else '')} "
                f"{preset.concentration:g} %, {preset.form.value}, {preset.volume_ml:g} mL"
            )
