"""Recall of a lot: type the lot, see every patient, session and site that received it, save the list as CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.readmodels import LotLine
from sclerochart.reports.export import save_file
from sclerochart.reports.lot_recall import COLUMNS, recall_csv, row_of
from sclerochart.ui.tables import row_table


class LotRecallDialog(QDialog):
    """Find who received a lot (a recall by the maker, a complication seen with one vial)."""

    def __init__(self, api: ClinicApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.lines: tuple[LotLine, ...] = ()
        self.setWindowTitle("Patients who received a lot")
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("Lot number as printed on the vial")
        self.lot.setMinimumHeight(36)
        self.find_button = QPushButton("Find")
        self.find_button.setDefault(True)
        self.find_button.setMinimumHeight(36)
        self.outcome = QLabel("Type a lot number and press Enter.")
        self.outcome.setWordWrap(True)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = row_table(self.model, stretch=COLUMNS.index("Region"), wrap=True)
        self.export_button = QPushButton("Save as CSV…")
        self.export_button.setEnabled(False)
        close = QPushButton("Close")
        for button in (self.export_button, close):
            button.setMinimumHeight(36)
        search = QHBoxLayout()
        search.addWidget(QLabel("Lot"))
        search.addWidget(self.lot, 1)
        search.addWidget(self.find_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.outcome)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.find_button.clicked.connect(self.find_lot)
        self.lot.returnPressed.connect(self.find_lot)
        self.export_button.clicked.connect(lambda: self.export())
        close.clicked.connect(self.accept)
        self.resize(1280, 600)

    def find_lot(self) -> None:
        """Read every site of the typed lot (each patient listed goes into the disclosure log)."""
        try:
            self.lines = self.api.sites_with_lot(self.lot.text())
        except UserError as error:
            self.lines = ()
            self.outcome.setText(f"{error.message} {error.hint}".strip())
            self._show_lines()
            return
        self._show_lines()
        if not self.lines:
            self.outcome.setText(f"No site received the lot {self.lot.text().strip()}.")
            return
        patients = len({line.patient_id for line in self.lines})
        sites = f"{len(self.lines)} site{'s' if len(self.lines) != 1 else ''}"
        self.outcome.setText(
            f"Lot {self.lot.text().strip()}: {sites} in {patients} patient{'s' if patients != 1 else ''}."
        )

    def _show_lines(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for line in self.lines:
            items = [QStandardItem(text) for text in row_of(line)]
            for item in items:
                item.setEditable(False)
            self.model.appendRow(items)
        self.table.resizeColumnsToContents()  # every text whole; the patient's name takes what is left
        self.table.resizeRowsToContents()
        self.export_button.setEnabled(bool(self.lines))

    def export(self, path: Path | None = None) -> Path | None:
        """Save the list as a CSV file (asked where, unless given); each patient's export is logged."""
        if not self.lines:
            return None
        if path is None:
            lot = "".join(char if char.isalnum() else "-" for char in self.lines[0].lot_number)
            chosen, _filter = QFileDialog.getSaveFileName(
                self, "Save the recall list", str(Path.home() / f"lot {lot}.csv"), "CSV files (*.csv)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            written = save_file(recall_csv(self.lines), path, ".csv", "recall.csv")
            patients = list(dict.fromkeys(line.patient_id for line in self.lines))
            self.api.record_disclosures("export", "patient", patients, f"recall of lot {self.lines[0].lot_number}")
        except UserError as error:
            QMessageBox.warning(self, "ScleroChart", f"{error.message}\n\n{error.hint}".strip())
            return None
        self.outcome.setText(f"Saved: {written}")
        return written
