"""The session's sites as a table: one row per site, in number order, kept in step with the canvas.

SiteTableModel holds the rows; SiteTable shows them with the columns a practitioner reads first (number, region,
agent, %, form, mL, vessel) as wide as their longest text, so none is cut off and none needs sideways scrolling.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

from sclerochart.domain.dose import site_mg
from sclerochart.domain.values import Form, Sclerosant, Site
from sclerochart.ui.marker_style import abbreviation

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


class SiteTableModel(QAbstractTableModel):
    """Number, view, region, agent, %, form, mL, mg, vessel, lot, reaction."""

    HEADERS = ("#", "View", "Region", "Agent", "%", "Form", "mL", "mg", "Vessel", "Lot", "Reaction")
    _NUMERIC = frozenset((0, 4, 6, 7))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sites: tuple[Site, ...] = ()
        self._rows: dict[int, int] = {}
        self._agents: dict[int, Sclerosant] = {}
        self._corrected: dict[int, Site] = {}
        """Sites an amendment corrected, by id, as corrected: their cells show "as signed → corrected"."""

    def set_corrected(self, corrected: Sequence[Site]) -> None:
        """Mark the sites amendments corrected (the rows keep the values as signed, the correction beside)."""
        changed = {site.id: site for site in corrected if site != self._sites[self._rows[site.id]]} if corrected else {}
        if changed == self._corrected:
            return
        self.beginResetModel()
        self._corrected = changed
        self.endResetModel()

    def set_sites(self, sites: Sequence[Site], agents: dict[int, Sclerosant]) -> None:
        """Show the session's sites: only rows added or changed are announced, so the table repaints only those.

        A site placed is a row inserted at the end; an edited site is one row changed; anything else (a site
        removed, put back under an old number, another catalogue) shows the table afresh.
        """
        new = tuple(sites)
        old = self._sites
        if agents != self._agents or len(new) < len(old):
            self._replace(new, agents)
            return
        changed = [row for row in range(len(old)) if old[row] != new[row]]
        if any(old[row].id != new[row].id for row in changed):
            self._replace(new, agents)
            return
        if len(new) > len(old):
            self.beginInsertRows(_ROOT, len(old), len(new) - 1)
        self._sites = new
        self._rows = {site.id: row for row, site in enumerate(new)}
        if len(new) > len(old):
            self.endInsertRows()
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(self.HEADERS) - 1))

    def _replace(self, sites: tuple[Site, ...], agents: dict[int, Sclerosant]) -> None:
        self.beginResetModel()
        self._sites = sites
        self._rows = {site.id: row for row, site in enumerate(sites)}
        self._agents = agents
        self.endResetModel()

    def site(self, row: int) -> Site:
        """The site on a row."""
        return self._sites[row]

    def row_of(self, site_id: int) -> int | None:
        """The row showing a site, or None."""
        return self._rows.get(site_id)

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
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(lambda *_args: self._fit_due.start())
        self.fit_columns()

    def column_width_needed(self, column: int) -> int:
        """The width that shows the column's title and every one of its texts whole."""
        style = self.style()
        # A cell's text keeps PM_FocusFrameHMargin + 1 clear each side, and the grid line takes one more pixel.
        cell_margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 2
        title = str(self.site_model.headerData(column, Qt.Orientation.Horizontal) or "")
        header = self.horizontalHeader()
        widest = (
            header.fontMetrics().horizontalAdvance(title)
            + 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
            + 4
        )
        metrics = self.fontMetrics()
        model = self.site_model
        texts = {str(text) for row in self._rows() if (text := model.data(model.index(row, column)))}
        for text in texts:
            widest = max(widest, metrics.horizontalAdvance(text) + cell_margin)
        return widest

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
            filled = column == 7 or any(
                self.site_model.data(self.site_model.index(row, column)) for row in self._rows()
            )
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

    def _rows(self) -> range:
        return range(self.site_model.rowCount())

    def _set_width(self, column: int, width: int | None) -> int:
        """Give a column this width (None: the width its texts need); returns the width."""
        header = self.horizontalHeader()
        width = self.column_width_needed(column) if width is None else width
        if header.sectionSize(column) != width:
            header.resizeSection(column, width)
        return header.sectionSize(column)  # never below the header's minimum

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width out again."""
        super().resizeEvent(event)
        self.fit_columns()

    def important_width(self) -> int:
        """How wide the important columns are together."""
        return sum(self.horizontalHeader().sectionSize(column) for column in IMPORTANT_COLUMNS)
