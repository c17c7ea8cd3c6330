"""Choosing a verified backup to restore: the copies with their date, size and what they hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.backups import BackupCopy, age_in_words
from sclerochart.ui.tables import row_table

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
COLUMNS = ("Made", "How", "Size", "Patients", "Sessions", "Newest session")

Lister = Callable[[Path | None], tuple[BackupCopy, ...]]
"""The verified copies in a folder (None: the database's own backup folder), newest first."""


class BackupListModel(QAbstractTableModel):
    """One line per verified copy, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.copies: tuple[BackupCopy, ...] = ()

    def set_copies(self, copies: tuple[BackupCopy, ...]) -> None:
        """Show another folder's copies."""
        self.beginResetModel()
        self.copies = copies
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        """One line per copy."""
        return 0 if parent.isValid() else len(self.copies)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        """Made, How, Size, Patients, Sessions, Newest session."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's words; the file name as a tooltip."""
        if not index.isValid() or not 0 <= index.row() < len(self.copies):
            return None
        copy = self.copies[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(copy.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        newest = copy.holds.newest_session
        return (
            f"{copy.made_at:%d %b %Y %H:%M:%S}",
            copy.how_made(),
            copy.size_in_words(),
            f"{copy.holds.patients:,}",
            f"{copy.holds.sessions:,}",
            f"{newest:%d %b %Y}" if newest is not None else "none",
        )[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class RestoreDialog(QDialog):
    """Lists the verified copies of a folder; Restore accepts with `chosen` set (nothing is replaced here)."""

    def __init__(
        self,
        lister: Lister,
        folder: Path | None,
        now: dt.datetime,
        parent: QWidget | None = None,
        *,
        default_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.default_folder = default_folder
        self.setWindowTitle("Restore from backup")
        self.resize(860, 420)
        self.lister = lister
        self.now = now
        self.chosen: BackupCopy | None = None
        self.model = BackupListModel(self)
        self.table = row_table(self.model, stretch=1)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        other = QPushButton("Other folder…")
        other.setMinimumHeight(36)
        other.setToolTip("Look for copies in another folder (a USB drive, a network folder).")
        other.clicked.connect(self.choose_folder)
        self.details = QLabel()
        self.details.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("Restore this copy…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setMinimumHeight(36)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(other)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_choice())
        self.show_folder(folder)

    def show_folder(self, folder: Path | None) -> None:
        """List the verified copies of a folder (None: the database's own backup folder)."""
        copies = self.lister(folder)
        self.model.set_copies(copies)
        shown = folder or self.default_folder
        where = str(shown) if shown is not None else "the backup folder"
        if copies:
            self.folder_label.setText(f"Verified copies in {where}, newest first:")
            self.table.selectRow(0)
        else:
            self.folder_label.setText(
                f"There is no verified copy in {where}. Choose the folder that holds the copies (Other folder…)."
            )
        self._show_choice()

    def choose_folder(self) -> None:
        """Ask for another folder and list its copies."""
        folder = QFileDialog.getExistingDirectory(self, "Folder with backup copies")
        if folder:
            self.show_folder(Path(folder))

    def _selected(self) -> BackupCopy | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.copies[rows[0].row()] if rows else None

    def _show_choice(self) -> None:
        copy = self._selected()
        self.restore_button.setEnabled(copy is not None)
        if copy is None:
            self.details.setText("")
            return
        self.details.setText(
            f"This copy was made on {copy.made_at:%d %b %Y at %H:%M} ({age_in_words(copy.made_at, self.now)} ago) "
            f"and holds {copy.holds.in_words()}. Whatever was entered after it is not in it."
        )

    def accept(self) -> None:
        """Confirm, then close with the copy chosen."""
        copy = self._selected()
        if copy is None:
            return
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Restore the copy made on {copy.made_at:%d %b %Y at %H:%M}?\n\n"
            f"It holds {copy.holds.in_words()}. Whatever was entered after "
            f"{copy.made_at:%H:%M on %d %b %Y} is not in it.\n\n"
            "The database as it is now is kept in the same folder under another name, so nothing is deleted. "
            "ScleroChart then opens the restored records and asks for a sign-in.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.chosen = copy
        super().accept()
