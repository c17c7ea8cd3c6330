"""The audit trail as a table for the window: one row per event, and the filters that narrow it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from sclerochart.domain.clock import local_of
from sclerochart.reports.audit_report import COLUMNS, AuditRow, Kind, cells

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The AuditRow of a line."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""What a column sorts by: the event's number for When (the log's own order), the text folded for the rest."""


class AuditTableModel(QAbstractTableModel):
    """The trail's lines: When, Who, Computer, What, Details; the AuditRow under ROW_ROLE."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[AuditRow, ...] = ()

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        """Show another reading of the trail."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        """The event on a line."""
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """Lines: one per event (none under a parent: the list is flat)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        """Columns: When, Who, Computer, What, Details."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's words; the whole details as a tooltip; sort keys and the row under their roles."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(row)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.what}: {row.details}" if column == 4 else cells(row)[column]
        if role == SORT_ROLE:
            return row.event_id if column == 0 else cells(row)[column].casefold()
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None


class AuditFilter(QSortFilterProxyModel):
    """Shows the events that hold every word typed, are of the kind chosen, and fall within the dates chosen."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._words: tuple[str, ...] = ()
        self._kind: Kind | None = None
        self._first: dt.date | None = None
        self._last: dt.date | None = None
        self.setSortRole(SORT_ROLE)

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return bool(self._words) or self._kind is not None or self._first is not None or self._last is not None

    def set_text(self, text: str) -> None:
        """Keep events whose who, computer, what or details hold every word of `text` (any case)."""

        def apply() -> None:
            self._text, self._words = " ".join(text.split()), tuple(text.casefold().split())

        self._change(apply)

    def set_kind(self, kind: Kind | None) -> None:
        """Keep events of one kind; None keeps all."""
        self._change(lambda: setattr(self, "_kind", kind))

    def set_dates(self, first: dt.date | None, last: dt.date | None) -> None:
        """Keep events from `first` to `last` (local days, both included); None leaves that end open."""

        def apply() -> None:
            self._first, self._last = first, last

        self._change(apply)

    def words(self) -> str:
        """What the filters keep, in words, for a printed copy: "changes only, containing “lot”, from 01.11.2026"."""
        parts = []
        if self._kind is not None:
            parts.append(f"{self._kind.value.lower()} only")
        if self._words:
            parts.append(f"containing “{self._text}”")
        if self._first is not None:
            parts.append(f"from {self._first:%d.%m.%Y}")
        if self._last is not None:
            parts.append(f"to {self._last:%d.%m.%Y}")
        return ", ".join(parts)

    def _change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Whether the event on a line of the model passes every filter."""
        model = self.sourceModel()
        if not isinstance(model, AuditTableModel):
            return True
        row = model.row_at(source_row)
        if self._kind is not None and row.kind is not self._kind:
            return False
        if self._first is not None or self._last is not None:
            day = local_of(row.at).date()
            if (self._first is not None and day < self._first) or (self._last is not None and day > self._last):
                return False
        if self._words:
            haystack = " ".join((row.who, row.computer, row.what, row.details)).casefold()
            return all(word in haystack for word in self._words)
        return True
