"""The lists' columns fit their texts, measuring only the rows that changed (a click changes one line)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from sclerochart.ui.tables import row_table

_Index = QModelIndex | QPersistentModelIndex


class Lines(QAbstractTableModel):
    """Rows of texts; counts how often a cell's text is asked for."""

    def __init__(self, rows: list[list[str]]) -> None:
        super().__init__()
        self.rows = rows
        self.asked = 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            self.asked += 1
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ("Date", "Practitioner", "mL")[section]
        return None

    def change(self, row: int, texts: list[str]) -> None:
        self.rows[row] = texts
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))

    def replace(self, rows: list[list[str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()


def _fitted(table: QTableView, column: int) -> int:
    """The width Qt's own fitting gives the column (every row and the title)."""
    return max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))


def test_a_changed_row_widens_only_the_columns_it_no_longer_fits_and_reads_only_that_row(qtbot: QtBot) -> None:
    model = Lines([[f"0{day}.03.2026", "Dr. Ana Müller", "1.00"] for day in range(1, 10)] * 20)
    table = row_table(model, stretch=1, wrap=True)
    qtbot.addWidget(table)
    table.resize(900, 400)
    table.show()
    qtbot.waitExposed(table)
    qtbot.wait(20)  # the rows measured at the widths shown, and painted
    header = table.horizontalHeader()
    widths = [header.sectionSize(column) for column in (0, 2)]
    assert widths == [_fitted(table, 0), _fitted(table, 2)]

    model.asked = 0
    model.change(5, ["05.03.2026", "Dr. Ana Müller", "2.50"])  # a click: the line's mL, no wider
    qtbot.wait(20)
    assert model.asked < 40, "the change measured every row, as Qt's ResizeToContents would"
    assert [header.sectionSize(column) for column in (0, 2)] == widths

    model.change(5, ["05.03.2026", "Dr. Ana Müller", "1234567.25"])
    assert header.sectionSize(2) == _fitted(table, 2) > widths[1]
    assert header.sectionSize(0) == widths[0]

    model.change(5, ["05.03.2026", "Dr. Ana Müller", "2.00"])  # narrower again: kept until shown afresh
    assert header.sectionSize(2) > widths[1]
    model.replace([["01.03.2026", "Dr. Ana Müller", "2.00"]])
    assert header.sectionSize(2) == _fitted(table, 2) < header.sectionSize(0) + 200


def test_rows_inserted_widen_and_rows_removed_fit_again(qtbot: QtBot) -> None:
    model = Lines([["01.03.2026", "Dr. Ana Müller", "1.00"]])
    table = row_table(model, stretch=1)
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    narrow = header.sectionSize(2)
    model.beginInsertRows(QModelIndex(), 1, 1)
    model.rows.append(["02.03.2026", "Nurse Ruth Okafor", "99999.99"])
    model.endInsertRows()
    assert header.sectionSize(2) == _fitted(table, 2) > narrow
    model.beginRemoveRows(QModelIndex(), 1, 1)
    del model.rows[1]
    model.endRemoveRows()
    assert header.sectionSize(2) == narrow


def test_a_column_of_a_set_width_keeps_it_when_rows_change_and_the_list_is_shown_anew(qtbot: QtBot) -> None:
    """The session list's date column: its time goes under the date, so the practitioner's name has room."""
    model = Lines([["01.03.2026 10:30", "Dr. Ana Müller", "1.00"]])
    table = row_table(model, stretch=1, wrap=True, fixed={0: 83})
    qtbot.addWidget(table)
    header = table.horizontalHeader()
    assert header.sectionSize(0) == 83
    model.change(0, ["01.03.2026 10:30 and a much longer text", "Dr. Ana Müller", "1.00"])
    model.replace([["02.03.2026 11:45", "Nurse Ruth Okafor", "2.00"]])
    assert header.sectionSize(0) == 83
    assert header.sectionSize(2) == _fitted(table, 2)
