"""The session's sites as a table: one row per site, in number order, kept in step with the canvas.

SiteTableModel holds the rows; SiteTable shows them with the columns a practitioner reads first (number, region,
agent, %, form, mL, vessel) as wide as their longest text, so none is cut off and none needs sideways scrolling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

from sclerochart.domain.dose import site_mg
from sclerochart.domain.values import Form, Sclerosant, Site
from sclerochart.ui.marker_style import abbreviation
from sclerochart.ui.tables import show_by_rows

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _site_id(site: Site) -> int:
    return site.id


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


class SiteTableModel(QAbstractTableModel):
    """Number, view, region, agent, %, form, mL, mg, vessel, lot, reaction."""

    HEADERS = ("#", "View", "Region", "Agent", "%", "Form", "mL", "mg", "Vessel", "Lot", "Reaction")
    _NUMERIC = frozenset((0, 4, 6, 7))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sites: tuple[Site, ...] = ()
        self._row_of: dict[int, int] | None = {}
        """Site id → row, worked out when first asked after a change (a click asks for none)."""
        self._agents: dict[int, Sclerosant] = {}
        self._corrected: dict[int, Site] = {}
        """Sites an amendment corrected, by id, as corrected: their cells show "as signed → corrected"."""

    def set_corrected(self, corrected: Sequence[Site]) -> None:
        """Mark the sites amendments corrected (the rows keep the values as signed, the correction beside)."""
        rows = self._rows()
        changed = {site.id: site for site in corrected if site != self._sites[rows[site.id]]} if corrected else {}
        if changed == self._corrected:
            return
        self.beginResetModel()
        self._corrected = changed
        self.endResetModel()

    def set_sites(self, sites: Sequence[Site], agents: dict[int, Sclerosant]) -> None:
        """Show the session's sites: rows added, removed or changed are announced as such, so only they repaint.

        A site placed is a row inserted, an edited site one row changed, a deleted site a row removed, and a site
        put back by an undo a row inserted where its number goes; another catalogue shows the table afresh.
        """
        new = tuple(sites)
        if agents != self._agents or not show_by_rows(self, self._sites, new, _site_id, self._store):
            self.beginResetModel()
            self._agents = agents
            self._store(new)
            self.endResetModel()

    def _store(self, sites: tuple[Site, ...]) -> None:
        self._sites = sites
        self._row_of = None

    def _rows(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {site.id: row for row, site in enumerate(self._sites)}
        return self._row_of

    def site(self, row: int) -> Site:
        """The site on a row."""
        return self._sites[row]

    def row_of(self, site_id: int) -> int | None:
        """The row showing a site, or None."""
        return self._rows().get(site_id)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """One row per site."""
        return 0 if parent.isValid() else len(self._sites)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        """The columns of HEADERS."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, site: Site, column: int) -> str:
        agent = self._agents.get(site.agent_id)
        if column == 0:
            return str(site.number)
        if column == 1:
            return site.view.value.capitalize()
        if column == 2:
            return site.region_label
        if column == 3:
            return abbreviation(agent.code) if agent else str(site.agent_id)
        if column == 4:
            return _number(site.concentration)
        if column == 5:
            if site.form is Form.FOAM:
                return (
                    f"foam {site.foam_liquid_parts}:{site.foam_gas_parts} {site.gas.value if site.gas else ''}".strip()
                )
            return "liquid"
        if column == 6:
            return _number(site.volume_ml)
        if column == 7:
            return _number(site_mg(site))
        if column == 8:
            diameter = f" {_number(site.vessel_diameter_mm)} mm" if site.vessel_diameter_mm else ""
            return site.vessel_type.value + diameter
        if column == 9:
            return site.lot_number
        return "" if site.reaction.value == "none" else site.reaction.value

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text per column, numbers right-aligned, the site id under SITE_ID_ROLE."""
        if not index.isValid() or not 0 <= index.row() < len(self._sites):
            return None
        site = self._sites[index.row()]
        corrected = self._corrected.get(site.id)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._text(site, index.column())
            if corrected is not None and index.column() > 2:
                now = self._text(corrected, index.column())
                return text if now == text else f"{text or '—'} → {now or '—'}"
            return text
        if role == Qt.ItemDataRole.BackgroundRole and corrected is not None:
            return QColor("#fff3c4")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SITE_ID_ROLE:
            return site.id
        if role == Qt.ItemDataRole.ToolTipRole:
            agent = self._agents.get(site.agent_id)
            lines = [f"Site {site.number}: {site.region_label}", agent.name if agent else ""]
            if corrected is not None:
                lines.append("Corrected by an amendment (Session tab): as signed → corrected")
            return "\n".join(line for line in (*lines, site.notes) if line)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class _TextWidths:
    """Per column, how many rows' texts need each width: the widest and whether any row has a text, at once."""

    def __init__(self, columns: int) -> None:
        self.rows: list[tuple[int, ...]] = []
        self.counts: list[Counter[int]] = [Counter() for _ in range(columns)]

    def _count(self, widths: Sequence[tuple[int, ...]], step: int) -> None:
        for row in widths:
            for counts, width in zip(self.counts, row, strict=True):
                if width:
                    counts[width] += step
                    if counts[width] <= 0:
                        del counts[width]

    def insert(self, first: int, widths: list[tuple[int, ...]]) -> None:
        self.rows[first:first] = widths
        self._count(widths, 1)

    def remove(self, first: int, last: int) -> None:
        self._count(self.rows[first : last + 1], -1)
        del self.rows[first : last + 1]

    def replace(self, first: int, widths: list[tuple[int, ...]]) -> None:
        self._count(self.rows[first : first + len(widths)], -1)
        self.rows[first : first + len(widths)] = widths
        self._count(widths, 1)

    def widest(self, column: int) -> int:
        return max(self.counts[column], default=0)

    def filled(self, column: int) -> bool:
        return bool(self.counts[column])


IMPORTANT_COLUMNS = (0, 2, 3, 4, 5, 6, 8)
"""Number, region, agent, %, form, mL and vessel: always shown whole, left of everything else."""
TRAILING_COLUMNS = (7, 9, 10)
"""mg, lot and reaction, after the important ones: as wide as their texts where there is room, narrower where
there is not; the last one shown takes what is left."""
VISUAL_ORDER = (0, 1, 2, 3, 4, 5, 6, 8, 7, 9, 10)
"""The columns as shown: mg, lot and reaction after the vessel (the view column stays hidden)."""
_LOT_WIDTH_AT_MOST = 110


class SiteTable(QTableView):
    """The sites table: its columns fit their texts whenever the rows change (never on every paint)."""

    def __init__(self, model: SiteTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.site_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(20)
        for position, column in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(column), position)
        self.setColumnHidden(1, True)  # the region names the view's side and surface already
        self._fit_due = QTimer(self)  # several changes at once (a row added and its neighbours renumbered): one fit
        self._fit_due.setSingleShot(True)
        self._fit_due.setInterval(0)
        self._fit_due.timeout.connect(self.fit_columns)
        self._text_widths = _TextWidths(len(model.HEADERS))
        """The width each row's text needs per column, kept in step with the rows (a click measures one row)."""
        model.modelReset.connect(self._measure_all)
        model.layoutChanged.connect(self._measure_all)
        model.rowsInserted.connect(lambda _parent, first, last: self._measure_rows(first, last, inserted=True))
        model.rowsRemoved.connect(lambda _parent, first, last: self._text_widths.remove(first, last))
        model.dataChanged.connect(lambda top, bottom, _roles=(): self._measure_rows(top.row(), bottom.row()))
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(lambda *_args: self._fit_due.start())
        self._inserted_from: int | None = None
        """The first row that rows inserted since the last layout moved down, while nothing else needs a layout."""
        self._whole_layout = False
        model.rowsInserted.connect(lambda _parent, first, _last: self._rows_inserted(first))
        for signal in (model.modelReset, model.layoutChanged, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._layout_whole)
        self._measure_all()
        self.fit_columns()

    def _cell_margin(self) -> int:
        # A cell's text keeps PM_FocusFrameHMargin + 1 clear each side, and the grid line takes one more pixel.
        return 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 2

    def _row_widths(self, row: int) -> tuple[int, ...]:
        """Per column, the width the row's text needs (0 when it has none)."""
        model, metrics, margin = self.site_model, self.fontMetrics(), self._cell_margin()
        texts = (model.data(model.index(row, column)) for column in range(len(model.HEADERS)))
        return tuple(metrics.horizontalAdvance(str(text)) + margin if text else 0 for text in texts)

    def _measure_rows(self, first: int, last: int, *, inserted: bool = False) -> None:
        widths = [self._row_widths(row) for row in range(first, last + 1)]
        if inserted:
            self._text_widths.insert(first, widths)
        else:
            self._text_widths.replace(first, widths)

    def _measure_all(self) -> None:
        self._text_widths = _TextWidths(len(self.site_model.HEADERS))
        self._measure_rows(0, self.site_model.rowCount() - 1, inserted=True)

    def changeEvent(self, event: QEvent) -> None:
        """Another font or style measures the texts differently: measure them again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._measure_all()
            self._fit_due.start()

    def column_width_needed(self, column: int) -> int:
        """The width that shows the column's title and every one of its texts whole."""
        style = self.style()
        title = str(self.site_model.headerData(column, Qt.Orientation.Horizontal) or "")
        header = self.horizontalHeader()
        widest = (
            header.fontMetrics().horizontalAdvance(title)
            + 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
            + 4
        )
        return max(widest, self._text_widths.widest(column))

    def fit_columns(self) -> None:
        """Size the columns to their texts: the important ones whole, the others in the room left.

        mg, lot and reaction share what the important columns leave, the last one shown taking the rest; a lot or
        reaction column with nothing in it gives its place up when there is no room for it.
        """
        self._fit_due.stop()
        room = self.viewport().width() - sum(self._set_width(column, None) for column in IMPORTANT_COLUMNS)
        trailing = []
        for column in TRAILING_COLUMNS:
            wanted = self.column_width_needed(column)
            if column == 9:
                wanted = min(wanted, _LOT_WIDTH_AT_MOST)
            filled = column == 7 or self._text_widths.filled(column)
            trailing.append((column, wanted, filled))
        while sum(wanted for _, wanted, _ in trailing) > room and any(not filled for *_, filled in trailing):
            trailing.pop(max(index for index, (*_, filled) in enumerate(trailing) if not filled))
        shown = [column for column, *_ in trailing]
        for column in TRAILING_COLUMNS:
            self.setColumnHidden(column, column not in shown)
        least = self.horizontalHeader().minimumSectionSize()
        for index, (column, wanted, _filled) in enumerate(trailing):
            after = len(trailing) - index - 1
            width = max(least, room) if after == 0 else max(least, min(wanted, room - after * least))
            room -= self._set_width(column, width)

    def _set_width(self, column: int, width: int | None) -> int:
        """Give a column this width (None: the width its texts need); returns the width."""
        header = self.horizontalHeader()
        width = self.column_width_needed(column) if width is None else width
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
        return header.sectionSize(column)  # never below the header's minimum

    def _rows_inserted(self, first: int) -> None:
        self._inserted_from = first if self._inserted_from is None else min(first, self._inserted_from)

    def _layout_whole(self, *_args: object) -> None:
        self._whole_layout = True

    def settle(self) -> None:
        """Lay the rows out and fit the columns now, not at the event loop's next turn as Qt and `_fit_due` would.

        Called once a change is shown whole: the table is then painted in the same repaint as the rest of the
        window, not in a second one.
        """
        self.executeDelayedItemsLayout()
        if self._fit_due.isActive():
            self.fit_columns()

    def doItemsLayout(self) -> None:
        """Lay the rows out again; after rows were only inserted, repaint just the rows shown that they moved.

        Qt repaints every row shown after any insertion; a site placed is a row at the end, usually out of view,
        so then only the scroll bar changes.
        """
        first, whole = self._inserted_from, self._whole_layout
        self._inserted_from, self._whole_layout = None, False
        if first is None or whole:
            super().doItemsLayout()
            return
        self.updateGeometries()
        viewport = self.viewport()
        top = max(0, self.rowViewportPosition(first)) if first < self.site_model.rowCount() else viewport.height()
        if top < viewport.height():
            viewport.update(QRect(0, top, viewport.width(), viewport.height() - top))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width out again."""
        super().resizeEvent(event)
        self.fit_columns()

    def important_width(self) -> int:
        """How wide the important columns are together."""
        return sum(self.horizontalHeader().sectionSize(column) for column in IMPORTANT_COLUMNS)
