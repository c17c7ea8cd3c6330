"""Item models over plain values: the patient search results and a patient's session history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from sclerochart.domain.values import PatientHit, SessionSummary
from sclerochart.ui.tables import show_by_rows

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PatientListModel(QAbstractTableModel):
    """Search results: chart number, name, date of birth; the patient id under ID_ROLE."""

    HEADERS = ("Chart", "Name", "Born")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: tuple[PatientHit, ...] = ()

    def set_hits(self, hits: Sequence[PatientHit]) -> None:
        """Show a new result list."""
        self.beginResetModel()
        self._hits = tuple(hits)
        self.endResetModel()

    def hit(self, row: int) -> PatientHit:
        """The patient on a row."""
        return self._hits[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """Rows: one per patient (none under a parent: the list is flat)."""
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        """Columns: chart, name, born."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text per column; the id under ID_ROLE; archived patients marked."""
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return hit.chart_number
            if column == 1:
                return hit.display_name + (" (archived)" if hit.archived else "")
            return hit.date_of_birth.strftime("%d.%m.%Y") if hit.date_of_birth else ""
        if role == ID_ROLE:
            return hit.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.display_name}, chart {hit.chart_number}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 3:
            return self.HEADERS[section]
        return None


def _session_id(session: SessionSummary) -> str:
    return session.id


class SessionListModel(QAbstractTableModel):
    """A patient's sessions: date, practitioner, number of sites, total volume, state."""

    HEADERS = ("Date", "Practitioner", "Sites", "mL", "State")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sessions: tuple[SessionSummary, ...] = ()

    def set_sessions(self, sessions: Sequence[SessionSummary]) -> None:
        """Show a patient's sessions: rows added, removed or changed are announced as such, so only they repaint.

        The same patient's list after a click differs in one row (its number of sites and mL), after a new
        session by a row at the top; another patient's list is shown afresh.
        """
        new = tuple(sessions)
        if not show_by_rows(self, self._sessions, new, _session_id, self._store):
            self.beginResetModel()
            self._sessions = new
            self.endResetModel()

    def _store(self, sessions: tuple[SessionSummary, ...]) -> None:
        self._sessions = sessions

    def sessions(self) -> tuple[SessionSummary, ...]:
        """The sessions shown, in row order."""
        return self._sessions

    def session_ids(self) -> list[str]:
        """The ids of the sessions shown, in row order."""
        return [session.id for session in self._sessions]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """Rows: one per session."""
        return 0 if parent.isValid() else len(self._sessions)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        """Columns: date, practitioner, sites, total mL, state."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text per column, numbers right-aligned; the session id under ID_ROLE."""
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        item = self._sessions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                item.started_at.strftime("%d.%m.%Y %H:%M"),
                item.practitioner_name or "—",
                str(item.site_count),
                f"{item.total_ml:.2f}",
                "voided" if item.voided else item.state.value,
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and item.voided:
            return QColor("#8a8a8a")  # kept and listed, but not counted: greyed
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return item.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 5:
            return self.HEADERS[section]
        return None
