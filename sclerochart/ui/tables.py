"""The read-only lists of the window and its dialogs: whole rows chosen one at a time, big enough for gloved hands.

A list model shown anew announces the rows removed, inserted and changed as such (`show_by_rows`): a view then
repaints and measures only those rows, and keeps its selection and scroll position, where a model reset would make
it forget both and measure every row again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

ROW_HEIGHT = 32
_ROOT = QModelIndex()


class _RowsToContents(QObject):
    """Keeps each row of a word-wrapping table as tall as its texts need, measuring only the rows that changed.

    Qt's ResizeToContents would measure every row (wrapping every text) whenever any row changes; here a row
    inserted or changed is measured alone, and all rows only when the model is shown afresh, or a column's or the
    table's width changes (which wraps the texts anew).
    """

    def __init__(self, table: QTableView, model: QAbstractItemModel) -> None:
        super().__init__(table)
        self.table = table
        model.rowsInserted.connect(lambda _parent, first, last: self.measure(first, last))
        model.dataChanged.connect(lambda top, bottom, _roles=(): self.measure(top.row(), bottom.row()))
        self._all_due = QTimer(self)  # columns fitted one by one, a resize: all rows measured once, after them
        self._all_due.setSingleShot(True)
        self._all_due.setInterval(0)
        self._all_due.timeout.connect(self.measure_all)
        model.modelReset.connect(self.measure_all)
        model.layoutChanged.connect(self.measure_all)
        table.horizontalHeader().sectionResized.connect(lambda *_sizes: self._all_due.start())
        self.viewport = table.viewport()
        table.installEventFilter(self)
        self.viewport.installEventFilter(self)
        self.measure_all()

    def measure(self, first: int, last: int) -> None:
        """Give these rows the height their texts need at the columns' widths now (never less than ROW_HEIGHT)."""
        table, header = self.table, self.table.verticalHeader()
        for row in range(max(0, first), min(last, table.model().rowCount() - 1) + 1):
            needed = max(table.sizeHintForRow(row), header.sectionSizeHint(row), header.minimumSectionSize())
            height = min(needed, header.maximumSectionSize())
            if header.sectionSize(row) != height:
                header.resizeSection(row, height)

    def measure_all(self) -> None:
        """Measure every row (the model shown afresh, a column's width changed)."""
        self._all_due.stop()
        self.measure(0, self.table.model().rowCount() - 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Another font or style, or another width of the table, wraps the texts anew."""
        kind = event.type()
        if (kind == QEvent.Type.Resize and watched is self.viewport) or (
            kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and watched is self.table
        ):
            self._all_due.start()
        return False


class _ColumnsToContents(QObject):
    """Keeps each column but the stretching one as wide as its texts, measuring only the rows that changed.

    Qt's ResizeToContents measures every row of every column whenever any row changes (a click changes one line
    of the session list); here a row inserted or changed widens a column its texts no longer fit, and every row
    is measured only when the model is shown afresh, rows are removed, or the font or style changes.
    """

    def __init__(self, table: QTableView, model: QAbstractItemModel, stretch: int, fixed: Mapping[int, int]) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        self.fixed = dict(fixed)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column, width in self.fixed.items():
            header.resizeSection(column, width)
        model.rowsInserted.connect(lambda _parent, first, last: self.widen(first, last))
        model.dataChanged.connect(lambda top, bottom, _roles=(): self.widen(top.row(), bottom.row()))
        model.modelReset.connect(self.fit_all)
        model.layoutChanged.connect(self.fit_all)
        model.rowsRemoved.connect(lambda *_removed: self.fit_all())
        model.headerDataChanged.connect(lambda *_changed: self.fit_all())
        table.installEventFilter(self)
        self.fit_all()

    def _columns(self) -> list[int]:
        """The columns fitted to their texts: all but the stretching one and those of a set width."""
        count = self.table.model().columnCount()
        return [column for column in range(count) if column != self.stretch and column not in self.fixed]

    def widen(self, first: int, last: int) -> None:
        """Widen the columns these rows' texts no longer fit (a column never narrows here)."""
        table, model, header = self.table, self.table.model(), self.table.horizontalHeader()
        grid = 1 if table.showGrid() else 0
        rows = range(max(0, first), min(last, model.rowCount() - 1) + 1)
        for column in self._columns():
            if table.isColumnHidden(column):
                continue
            needed = max((table.sizeHintForIndex(model.index(row, column)).width() + grid for row in rows), default=0)
            if needed > header.sectionSize(column):
                header.resizeSection(column, needed)

    def fit_all(self) -> None:
        """Fit every column to all its rows and its title (the model shown afresh)."""
        for column in self._columns():
            self.table.resizeColumnToContents(column)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Another font or style measures every row again."""
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_all()
        return False


def row_table(
    model: QAbstractItemModel, *, stretch: int | None = None, wrap: bool = False, fixed: Mapping[int, int] | None = None
) -> QTableView:
    """A table over `model`: one whole row selected at a time, nothing edited in place, no row numbers.

    Args:
        model: what the table shows.
        stretch: the column that takes the width left over (the others fit their contents), or None.
        wrap: a text too long for its column goes on over more lines of a taller row, never cut off.
        fixed: columns kept at a set width in pixels (with `stretch`), e.g. a date whose time wraps under it.
    """
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.setAlternatingRowColors(True)
    if stretch is not None:  # first: a row's height is measured at the widths its texts gave the columns
        _ColumnsToContents(table, model, stretch, fixed or {})
    if wrap:
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        _RowsToContents(table, model)
    return table


T = TypeVar("T")


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last), in the order given (ascending)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def show_by_rows(
    model: QAbstractItemModel,
    old: tuple[T, ...],
    new: tuple[T, ...],
    key: Callable[[T], Hashable],
    store: Callable[[tuple[T, ...]], None],
) -> bool:
    """Take the model from `old` rows to `new` rows by removing, inserting and changing rows.

    Args:
        model: the model; `store` sets the rows it holds (called between each begin… and end… of the change).
        old: the rows it holds now.
        new: the rows to hold.
        key: what names a row's record (its id): a record with the same key is the same row, maybe changed.
        store: sets the model's rows.

    Returns:
        False, with nothing changed, when the lists have no record in common (another patient's, another
        session's) or the records kept are in another order: the caller then resets the model.
    """
    same = 0  # rows kept as they were (the very same records) at the start and at the end: nothing to compare
    if len(new) >= len(old) and new[: len(old)] == old:  # rows added at the end (a click): compared at C speed
        same = len(old)
    while same < min(len(old), len(new)) and old[same] is new[same]:
        same += 1
    tail = 0
    while tail < min(len(old), len(new)) - same and old[-1 - tail] is new[-1 - tail]:
        tail += 1
    old_keys = [key(item) for item in old[same : len(old) - tail]]
    new_keys = [key(item) for item in new[same : len(new) - tail]]
    wanted = set(new_keys)
    had = set(old_keys)
    if old and new and not (wanted & had or same or tail):
        return False
    if [k for k in old_keys if k in wanted] != [k for k in new_keys if k in had]:
        return False
    rows = list(old)
    for first, last in reversed(_runs([same + row for row, k in enumerate(old_keys) if k not in wanted])):
        model.beginRemoveRows(_ROOT, first, last)
        del rows[first : last + 1]
        store(tuple(rows))
        model.endRemoveRows()
    for first, last in _runs([same + row for row, k in enumerate(new_keys) if k not in had]):
        model.beginInsertRows(_ROOT, first, last)
        rows[first:first] = new[first : last + 1]
        store(tuple(rows))
        model.endInsertRows()
    end = len(new) - tail
    changed = [row for row in range(same, end) if new[row] is not rows[row] and new[row] != rows[row]]
    store(new)
    last_column = max(0, model.columnCount() - 1)
    for first, last in _runs(changed):
        model.dataChanged.emit(model.index(first, 0), model.index(last, last_column))
    return True
