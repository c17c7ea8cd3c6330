"""The patient's course: the outcome diagram, the follow-up visits, CEAP and VCSS baseline beside latest.

Opened from the patient's chart (Follow-up and outcomes…). A new visit or an open one is a FollowUpDialog;
when it closes, the diagram and lists are read again from the store.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.domain.follow_up import Assessment, FollowUpVisit, region_words
from sclerochart.domain.outcomes import CLEARANCE_COLOURS, NOT_FOLLOWED_UP_COLOUR
from sclerochart.domain.values import Patient
from sclerochart.domain.vcss import VCSS_ITEMS, from_stored, vcss_words
from sclerochart.readmodels import Course
from sclerochart.ui.follow_up_dialog import FollowUpDialog
from sclerochart.ui.outcome_view import OutcomeView
from sclerochart.ui.photo_strip import PhotoStrip
from sclerochart.ui.tables import row_table
from sclerochart.ui.window_layout import large_dialog_size

VISIT_COLUMNS = ("Date", "Practitioner", "Regions rated", "Complications", "State")
REGION_COLUMNS = ("Region", "Latest", "Treated", "Cleared at follow-ups")


def _key() -> QLabel:
    swatches = " ".join(
        f"<span style='background:{colour}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;{percent} %&nbsp;"
        for percent, colour in CLEARANCE_COLOURS.items()
    )
    label = QLabel(
        f"Cleared at the latest follow-up: {swatches} "
        f"<span style='background:{NOT_FOLLOWED_UP_COLOUR}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;treated, never followed up"
        " (hatched)."
    )
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class CourseWindow(QDialog):
    """One patient's course of treatment; `visit_dialog` makes the visit form (tests give their own)."""

    def __init__(
        self,
        api: ClinicApi,
        patient: Patient,
        parent: QWidget | None = None,
        visit_dialog: Callable[[FollowUpVisit | None], FollowUpDialog] | None = None,
        compare_photos: Callable[[], None] | None = None,
        photos: PhotoStrip | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.patient = patient
        self.visit_dialog = visit_dialog or (lambda visit: FollowUpDialog(api, patient, visit, self))
        self.course: Course | None = None
        self.open_dialog: FollowUpDialog | None = None
        self.setWindowTitle(f"Follow-up and outcomes — {patient.display_name} ({patient.chart_number})")
        self.outcomes = OutcomeView()
        self.hover = QLabel("Hover a region for its history.")
        self.hover.setWordWrap(True)
        self.hover.setMinimumHeight(40)
        self.outcomes.hovered.connect(lambda text: self.hover.setText(text or "Hover a region for its history."))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.outcomes, 1)
        left_layout.addWidget(_key())
        left_layout.addWidget(self.hover)
        self.visit_model = QStandardItemModel(0, len(VISIT_COLUMNS), self)
        self.visit_model.setHorizontalHeaderLabels(list(VISIT_COLUMNS))
        self.visit_table = row_table(self.visit_model, stretch=2, wrap=True)
        self.visit_table.activated.connect(lambda index: self.open_visit(index.row()))
        self.new_button = QPushButton("New follow-up visit…")
        self.open_button = QPushButton("Open visit")
        self.compare_button = QPushButton("Compare photos…")
        for button in (self.new_button, self.open_button, self.compare_button):
            button.setMinimumHeight(40)
        self.new_button.clicked.connect(self.new_visit)
        self.open_button.clicked.connect(self._open_selected)
        self.compare_button.setVisible(compare_photos is not None)
        if compare_photos is not None:
            self.compare_button.clicked.connect(lambda: compare_photos())
        visits = QWidget()
        visits_layout = QVBoxLayout(visits)
        visits_layout.addWidget(self.visit_table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        visits_layout.addLayout(buttons)
        self.region_model = QStandardItemModel(0, len(REGION_COLUMNS), self)
        self.region_model.setHorizontalHeaderLabels(list(REGION_COLUMNS))
        self.region_table = row_table(self.region_model, stretch=3, wrap=True)
        self.scores_model = QStandardItemModel(self)
        self.scores_table = row_table(self.scores_model, stretch=0, wrap=True)
        self.scores_note = QLabel()
        self.scores_note.setWordWrap(True)
        scores = QWidget()
        scores_layout = QVBoxLayout(scores)
        scores_layout.addWidget(self.scores_note)
        scores_layout.addWidget(self.scores_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(visits, "Follow-up visits")
        self.tabs.addTab(self.region_table, "Regions")
        self.tabs.addTab(scores, "CEAP and VCSS")
        self.photos = photos
        if photos is not None:
            self.tabs.addTab(photos, "Photos")
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        close = QPushButton("Close")
        close.setMinimumHeight(40)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1)
        foot.addWidget(close)
        layout.addLayout(foot)
        self.new_button.setEnabled(not patient.archived)
        self.resize(large_dialog_size(self, QSize(1280, 720)))
        # The legs are tall and narrow: the lists beside them get the larger share of the width.
        splitter.setSizes([int(self.width() * 0.4), int(self.width() * 0.6)])
        self.refresh()

    def other_room_changed(self) -> None:
        """Another room changed this patient's course: read it again; an open visit follows if nothing is typed."""
        self.refresh()
        if self.open_dialog is not None:
            self.open_dialog.other_room_changed()

    def refresh(self) -> None:
        """Read the course again and show it."""
        try:
            self.course = self.api.course(self.patient.id)
        except UserError as error:
            self.message.setText(f"{error.message} {error.hint}")
            return
        self.message.clear()
        course = self.course
        self.outcomes.show_course(course, self.api.clock().year)
        self.visit_model.removeRows(0, self.visit_model.rowCount())
        for visit in reversed(course.visits):
            count = len(visit.clearances)
            mean = sum(c.percent for c in visit.clearances) / count if count else 0
            rated = f"{count} region{'s' if count != 1 else ''}, {mean:.1f} % on average" if count else "none"
            problems = ", ".join(f.kind.value for f in visit.complications) or "none"
            state = (
                f"Signed by {visit.signed_by}"
                if visit.signed
                else "Carried over (earlier version)"
                if visit.imported
                else "Not signed"
            )
            cells = [
                _cell(text)
                for text in (f"{visit.examined_on:%d.%m.%Y}", visit.practitioner_name, rated, problems, state)
            ]
            cells[2].setToolTip("\n".join(f"{region_words(c.region)}: {c.percent} %" for c in visit.clearances))
            self.visit_model.appendRow(cells)
        self.open_button.setEnabled(bool(course.visits))
        self.region_model.removeRows(0, self.region_model.rowCount())
        year = self.api.clock().year
        for outcome in sorted(course.outcomes.values(), key=lambda o: region_words(o.region)):
            latest = f"{outcome.latest} %" if outcome.latest is not None else "never followed up"
            self.region_model.appendRow(
                [
                    _cell(region_words(outcome.region)),
                    _cell(latest),
                    _cell(outcome.treated_days(year)),
                    _cell(" → ".join(f"{r.percent} % ({r.examined_on:%d.%m.%Y})" for r in outcome.ratings) or "—"),
                ]
            )
        self._show_scores(course.assessments)
        if self.photos is not None:
            self.photos.show_patient(self.patient.id)

    def _show_scores(self, assessments: tuple[Assessment, ...]) -> None:
        """Baseline beside latest, for each leg and each measure on its own (the first and the last record of it)."""
        self.scores_model.clear()
        if not assessments:
            self.scores_note.setText(
                "No CEAP class or VCSS recorded yet (a session or a follow-up visit records them)."
            )
            return
        self.scores_note.setText(
            "Baseline: the first record of each measure on each leg; latest: the last. A measure recorded once "
            "shows the same record twice."
        )
        self.scores_model.setHorizontalHeaderLabels(
            ["", "Right: baseline", "Right: latest", "Left: baseline", "Left: latest"]
        )
        rows: list[list[str]] = [["CEAP"], ["  recorded at"], ["VCSS total"], ["  recorded at"]]
        items = [[item.name] for item in VCSS_ITEMS]
        for leg in ("right", "left"):
            ceap = [(a.where, a.ceap_right if leg == "right" else a.ceap_left) for a in assessments]
            ceap = [(where, value) for where, value in ceap if value]
            vcss = [(a.where, a.vcss_right if leg == "right" else a.vcss_left) for a in assessments]
            scored = [(where, value) for where, value in vcss if value]
            for pick in (0, -1):
                rows[0].append(ceap[pick][1] if ceap else "—")
                rows[1].append(ceap[pick][0] if ceap else "")
                rows[2].append(vcss_words(scored[pick][1]) if scored else "—")
                rows[3].append(scored[pick][0] if scored else "")
                for line, item in zip(items, VCSS_ITEMS, strict=True):
                    value = from_stored(scored[pick][1]).score(item.key) if scored else None
                    line.append("—" if value is None else str(value))
        for row in (*rows, *items):
            self.scores_model.appendRow([_cell(text) for text in row])

    def new_visit(self) -> None:
        """Record a new follow-up visit."""
        self._run(self.visit_dialog(None))

    def _run(self, dialog: FollowUpDialog) -> None:
        self.open_dialog = dialog
        dialog.stored.connect(self.refresh)  # the list follows a save while the visit stays open
        try:
            dialog.exec()
        finally:
            self.open_dialog = None
        self.refresh()

    def open_visit(self, row: int) -> None:
        """Open the visit on a row of the list (newest first)."""
        if self.course is None or not 0 <= row < len(self.course.visits):
            return
        visit = list(reversed(self.course.visits))[row]
        self._run(self.visit_dialog(visit))

    def _open_selected(self) -> None:
        rows = self.visit_table.selectionModel().selectedRows()
        self.open_visit(rows[0].row() if rows else 0)


def _cell(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    return item
