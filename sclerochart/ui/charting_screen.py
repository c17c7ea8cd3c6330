"""The charting screen: the diagram over the sites table, with presets, legend and running totals beside."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QPainter, QPaintEvent, QPen, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.dose import Finding
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import Site
from sclerochart.services.context import ServiceContext
from sclerochart.services.sessions import SessionDetail
from sclerochart.ui.charting_controller import ChartingController
from sclerochart.ui.diagram_canvas import DiagramCanvas
from sclerochart.ui.marker_style import MarkerStyle, marker_path, style_for
from sclerochart.ui.site_table_model import SITE_ID_ROLE, SiteTableModel
from sclerochart.ui.totals_panel import TotalsPanel


class _LegendSwatch(QWidget):
    def __init__(self, style: MarkerStyle) -> None:
        super().__init__()
        self.marker_style = style
        self.setFixedSize(22, 22)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """The agent's marker shape in its colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(11, 11)
        painter.setPen(QPen(QColor("#ffffff"), 1))
        painter.setBrush(QBrush(self.marker_style.colour))
        painter.drawPath(marker_path(self.marker_style.shape, 8))
        painter.end()


class ChartingScreen(QWidget):
    """Canvas, sites table, preset palette, legend and totals for the open session."""

    def __init__(self, ctx: ServiceContext, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.controller = ChartingController(ctx, undo_stack, self._confirm_over_limit)
        self.styles: dict[int, MarkerStyle] = {
            agent.id: style_for(agent.code, agent.id) for agent in self.controller.agents.values()
        }
        self.header = QLabel("No session open. Choose a patient, then New session or a session from the list.")
        self.header.setWordWrap(True)
        self.canvas = DiagramCanvas()
        self.canvas.setMinimumSize(420, 360)
        self.site_model = SiteTableModel(self)
        self.site_table = QTableView()
        self.site_table.setModel(self.site_model)
        self.site_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.site_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.site_table.verticalHeader().setVisible(False)
        self.site_table.setAlternatingRowColors(True)
        self.site_table.setWordWrap(False)
        self.site_table.verticalHeader().setDefaultSectionSize(28)
        header = self.site_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.header)
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(self.canvas)
        self.vertical.addWidget(self.site_table)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setSizes([520, 190])
        centre_layout.addWidget(self.vertical, 1)

        self.preset_buttons = QButtonGroup(self)
        self.preset_buttons.setExclusive(True)
        presets_box = QGroupBox("Presets (keys 1–9)")
        presets_layout = QVBoxLayout(presets_box)
        for preset in self.controller.presets:
            if preset.key is None:
                continue
            button = QPushButton(f"{preset.key}  {preset.name}")
            button.setCheckable(True)
            button.setMinimumHeight(34)
            button.setStyleSheet("text-align: left; padding-left: 8px;")
            self.preset_buttons.addButton(button, preset.key)
            presets_layout.addWidget(button)
        self.preset_buttons.idClicked.connect(self.controller.choose_preset_key)
        legend_box = QGroupBox("Markers")
        legend_layout = QGridLayout(legend_box)
        for row, agent in enumerate(sorted(self.controller.agents.values(), key=lambda a: a.id)):
            legend_layout.addWidget(_LegendSwatch(self.styles[agent.id]), row, 0)
            name = QLabel(agent.name)
            name.setWordWrap(True)
            legend_layout.addWidget(name, row, 1)
        self.totals = TotalsPanel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(presets_box)
        right_layout.addWidget(legend_box)
        right_layout.addWidget(self.totals, 1)
        scroller = QScrollArea()
        scroller.setWidget(right)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setMinimumWidth(260)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(scroller)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 260])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._syncing = False
        self.canvas.place_requested.connect(self.controller.place_site)
        self.canvas.move_requested.connect(self.controller.move_site)
        self.canvas.delete_requested.connect(self.controller.delete_sites)
        self.canvas.duplicate_requested.connect(self.controller.duplicate_site)
        self.canvas.selection_changed.connect(self._canvas_selection)
        self.site_table.selectionModel().selectionChanged.connect(self._table_selection)
        self.controller.detail_changed.connect(self.show_detail)
        self.controller.preset_changed.connect(self._preset_shown)
        for key in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(key)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda key=key: self.controller.choose_preset_key(key))
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        delete.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete.activated.connect(self.delete_selected)
        if self.controller.preset is not None:
            self._preset_shown(self.controller.preset)
        self.show_detail(None)

    # Shown state --------------------------------------------------------------------------------------
    def show_detail(self, detail: SessionDetail | None) -> None:
        """Redraw markers, table and totals from the stored session."""
        selected = self.canvas.selected_ids()
        if detail is None:
            self.header.setText("No session open. Choose a patient, then New session or a session from the list.")
            self.canvas.set_sites((), self.styles)
            self.site_model.set_sites((), self.controller.agents)
            self.totals.show_totals((), (), ())
            self.canvas.setEnabled(False)
            return
        self.canvas.setEnabled(True)
        header = detail.session
        weight = f"{header.weight_kg:g} kg" if header.weight_kg else "weight not recorded"
        if header.state.value == "draft":
            state = "draft – every change is saved as you go"
        else:
            state = f"signed by {header.signed_by}" if header.signed_by else "signed"
        self.header.setText(
            f"<b>Session {header.started_at:%d.%m.%Y %H:%M}</b> · {header.practitioner_name or 'no practitioner'} · "
            f"{weight} · {state}"
        )
        self.canvas.set_sites(detail.sites, self.styles, selected)
        self.site_model.set_sites(detail.sites, self.controller.agents)
        self._select_rows(self.canvas.selected_ids())
        self.totals.show_totals(detail.totals, detail.limits, detail.findings)

    def _preset_shown(self, preset: object) -> None:
        key = getattr(preset, "key", None)
        if key is not None and self.preset_buttons.button(key) is not None:
            self.preset_buttons.button(key).setChecked(True)

    # Selection in step ---------------------------------------------------------------------------------
    def _canvas_selection(self, ids: list[int]) -> None:
        if not self._syncing:
            self._select_rows(ids)

    def _select_rows(self, ids: list[int]) -> None:
        self._syncing = True
        try:
            selection = QItemSelection()
            for site_id in ids:
                row = self.site_model.row_of(site_id)
                if row is not None:
                    selection.select(
                        self.site_model.index(row, 0), self.site_model.index(row, self.site_model.columnCount() - 1)
                    )
            self.site_table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._syncing = False

    def _table_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        rows = {index.row() for index in self.site_table.selectionModel().selectedRows()}
        ids = [self.site_model.data(self.site_model.index(row, 0), SITE_ID_ROLE) for row in sorted(rows)]
        self._syncing = True
        try:
            self.canvas.select_ids(ids)
        finally:
            self._syncing = False

    def selected_sites(self) -> list[Site]:
        """The sites selected on the canvas (and so in the table)."""
        ids = set(self.canvas.selected_ids())
        return [s for s in (self.controller.detail.sites if self.controller.detail else ()) if s.id in ids]

    def delete_selected(self) -> None:
        """Delete the selected sites."""
        ids = self.canvas.selected_ids()
        if ids:
            self.controller.delete_sites(ids)

    # Questions -----------------------------------------------------------------------------------------
    def _confirm_over_limit(self, findings: tuple[Finding, ...]) -> str | None:
        text = "\n".join(f.message for f in findings)
        reason, accepted = QInputDialog.getText(
            self,
            "Limit exceeded",
            f"{text}\n\nTo place the site anyway, record the reason (it is kept with the site and printed):",
        )
        if not accepted:
            return None
        if not reason.strip():
            self.controller.failed.emit(UserError("A reason is needed to go over a limit.", "The site was not placed."))
            return None
        return reason.strip()
