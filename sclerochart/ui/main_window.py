"""The main window: type-ahead patient search and list, the chosen patient's details and sessions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sclerochart import __version__
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import Patient
from sclerochart.services import patients as patient_service
from sclerochart.services import sessions as session_service
from sclerochart.services.context import ServiceContext
from sclerochart.ui.patient_models import PatientListModel, SessionListModel

SEARCH_DELAY_MS = 60
"""Typing pauses this long before the list refreshes, so fast typing runs one search, not one per key."""


class MainWindow(QMainWindow):
    """Patient search on the left, the patient's chart on the right."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"ScleroChart — {ctx.db.display}")
        self.resize(1200, 760)

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search name, chart number or date of birth (dd.mm.yyyy)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumHeight(36)
        self.show_archived = QCheckBox("Show archived patients")
        self.patient_model = PatientListModel(self)
        self.patient_table = self._table(self.patient_model)
        self.patient_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.result_label = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search_field)
        left_layout.addWidget(self.show_archived)
        left_layout.addWidget(self.patient_table, 1)
        left_layout.addWidget(self.result_label)

        self.details_box = QGroupBox("Patient")
        self.details = QFormLayout(self.details_box)
        self.name_label = QLabel("Choose a patient from the list.")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart_label = QLabel()
        self.born_label = QLabel()
        self.allergies_label = QLabel()
        self.allergies_label.setWordWrap(True)
        self.details.addRow("Name", self.name_label)
        self.details.addRow("Chart number", self.chart_label)
        self.details.addRow("Born", self.born_label)
        self.details.addRow("Allergies", self.allergies_label)
        self.session_model = SessionListModel(self)
        self.session_table = self._table(self.session_model)
        session_header = self.session_table.horizontalHeader()
        session_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        session_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.session_table.setWordWrap(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.details_box)
        right_layout.addWidget(QLabel("Sessions"))
        right_layout.addWidget(self.session_table, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_field.textChanged.connect(self._search_timer.start)
        self.show_archived.toggled.connect(self.run_search)
        self.patient_table.selectionModel().selectionChanged.connect(self._patient_chosen)
        self._build_menu()
        self.statusBar().showMessage("Type to find a patient. Ctrl+F jumps to the search field.")
        self.run_search()

    @staticmethod
    def _table(model: PatientListModel | SessionListModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(32)
        table.setAlternatingRowColors(True)
        return table

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        find = QAction("&Find patient", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        file_menu.addAction(find)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About ScleroChart", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About ScleroChart",
            f"ScleroChart {__version__}\nCharting at the chair for sclerotherapy of leg veins.\n\n"
            f"Database: {self.ctx.db.display}",
        )

    def show_error(self, error: UserError) -> None:
        """Tell the user what went wrong and what to do, in the status bar and a message box."""
        self.statusBar().showMessage(error.message, 10_000)
        QMessageBox.warning(self, "ScleroChart", f"{error.message}\n\n{error.hint}".strip())

    def run_search(self) -> None:
        """Refresh the patient list from the search field."""
        query = self.search_field.text()
        try:
            hits = patient_service.search_patients(self.ctx, query, include_archived=self.show_archived.isChecked())
        except UserError as error:
            self.show_error(error)
            return
        self.patient_model.set_hits(hits)
        if not hits:
            self.result_label.setText("No patient matches." if query.strip() else "No patients are stored yet.")
        elif len(hits) >= patient_service.SEARCH_LIMIT and not query.strip():
            self.result_label.setText(f"The first {len(hits)} patients by name: type to find others.")
        elif len(hits) >= patient_service.SEARCH_LIMIT:
            self.result_label.setText(f"First {len(hits)} matches: type more to narrow the list.")
        else:
            self.result_label.setText(f"{len(hits)} patient{'s' if len(hits) != 1 else ''}.")
        if hits:
            self.patient_table.selectRow(0)
        else:
            self.show_patient(None)

    def _patient_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        hit = self.patient_model.hit(indexes[0].row())
        try:
            self.show_patient(patient_service.get_patient(self.ctx, hit.id))
        except UserError as error:
            self.show_error(error)

    def show_patient(self, patient: Patient | None) -> None:
        """Fill the chart side with one patient (or clear it)."""
        if patient is None:
            self.name_label.setText("Choose a patient from the list.")
            for label in (self.chart_label, self.born_label, self.allergies_label):
                label.clear()
            self.session_model.set_sessions(())
            return
        self.name_label.setText(patient.display_name + (" (archived)" if patient.archived else ""))
        self.chart_label.setText(patient.chart_number)
        self.born_label.setText(patient.date_of_birth.strftime("%d.%m.%Y") if patient.date_of_birth else "")
        self.allergies_label.setText(patient.allergies or "none recorded")
        try:
            self.session_model.set_sessions(session_service.list_sessions(self.ctx, patient.id))
        except UserError as error:
            self.show_error(error)
