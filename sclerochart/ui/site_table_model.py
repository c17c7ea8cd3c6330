"""The session's sites as a table: one row per site, in number order, kept in step with the canvas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

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
