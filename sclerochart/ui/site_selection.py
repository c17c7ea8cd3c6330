"""Which sites are selected: one owner, shown by the diagram and the sites table alike."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QTableView

from sclerochart.ui.diagram_canvas import DiagramCanvas
from sclerochart.ui.site_table_model import SITE_ID_ROLE, SiteTableModel


class SiteSelection(QObject):
    """The selected sites. A click on a marker or a row asks to change it; both views then show the same.

    Showing it is idempotent: a view that reports back the selection it was just given changes nothing, so a
    selection never echoes between the two, without any "syncing" flag.
    """

    changed = Signal(list)  # the selected site ids, in number order

    def __init__(self, canvas: DiagramCanvas, table: QTableView, model: SiteTableModel) -> None:
        super().__init__(table)
        self.canvas, self.table, self.model = canvas, table, model
        self.ids: list[int] = []
        canvas.selection_changed.connect(self.select)
        table.selectionModel().selectionChanged.connect(self._from_table)

    def select(self, ids: Iterable[int]) -> None:
        """Select exactly these sites (those still shown), in both views."""
        shown = [site_id for site_id in ids if self.model.row_of(site_id) is not None]
        ordered = sorted(shown, key=lambda site_id: self.model.row_of(site_id) or 0)
        changed = ordered != self.ids
        self.ids = ordered
        self.show()
        if changed:
            self.changed.emit(list(ordered))

    def show(self) -> None:
        """Show the selection again in both views (after they were redrawn from the store)."""
        self.ids = [site_id for site_id in self.ids if self.model.row_of(site_id) is not None]
        with QSignalBlocker(self.canvas):
            self.canvas.select_ids(self.ids)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for site_id in self.ids:
            row = self.model.row_of(site_id)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, last))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _from_table(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        self.select(self.model.data(self.model.index(row, 0), SITE_ID_ROLE) for row in rows)
