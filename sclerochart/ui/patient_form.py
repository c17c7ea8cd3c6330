"""The patient form: create or edit a patient, with each problem shown beside its field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.checklist import CHECKLIST, ItemKind
from sclerochart.domain.errors import FieldError, StaleError, UserError, ValidationError
from sclerochart.domain.search import parse_date_query
from sclerochart.domain.values import Patient, PatientDraft, Sex
from sclerochart.ui.field_form import ERROR_STYLE, FieldForm, put_text
from sclerochart.ui.input_guards import guard_inputs

SavePatient = Callable[[PatientDraft, Patient | None], Patient]
"""Stores the draft made from the patient shown (None: a new patient); ValidationError for fields, else UserError."""

ReloadPatient = Callable[[str], Patient]
"""The patient as stored now, by id."""


class PatientForm(QDialog):
    """Chart number, names, date of birth, sex, contact, allergies, history flags and notes."""

    def __init__(
        self,
        save: SavePatient,
        patient: Patient | None = None,
        parent: QWidget | None = None,
        reload: ReloadPatient | None = None,
    ) -> None:
        super().__init__(parent)
        self.save = save
        self.reload = reload
        self.patient = patient
        """The patient as shown in the form: a change names its version."""
        self.saved: Patient | None = None
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self.chart_number = QLineEdit()
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("e.g. 29.02.1980 or 1980-02-29")
        self.sex = QComboBox()
        for sex in Sex:
            self.sex.addItem(sex.value, sex.value)
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(54)
        self.allergies = QPlainTextEdit()
        self.allergies.setTabChangesFocus(True)
        self.allergies.setFixedHeight(54)
        self.allergies.setPlaceholderText("e.g. polidocanol, latex; leave empty when none known")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(54)
        for line in (self.chart_number, self.family_name, self.given_name, self.date_of_birth):
            line.setMinimumHeight(30)

        self.form = FieldForm()
        self.form.add_field("Chart number", self.chart_number)
        self.form.add_field("Family name", self.family_name)
        self.form.add_field("Given name", self.given_name)
        self.form.add_field("Date of birth", self.date_of_birth)
        self.form.add_field("Sex", self.sex)
        self.form.add_field("Phone", self.phone)
        self.form.add_field("E-mail", self.email)
        self.form.add_field("Address", self.address)
        self.form.add_field("Allergies", self.allergies)
        self.form.add_field("Notes", self.notes, error_names=("History",))

        self.history: dict[str, QCheckBox] = {}
        history_box = QGroupBox("History (ticked again at each new session's checklist)")
        grid = QGridLayout(history_box)
        items = [i for i in CHECKLIST if i.kind is not ItemKind.CHECK]
        for index, item in enumerate(items):
            box = QCheckBox(item.label)
            self.history[item.key] = box
            grid.addWidget(box, index % 8, index // 8)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.store)
        buttons.rejected.connect(self.reject)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(self.form)
        content_layout.addWidget(history_box)
        scroller = QScrollArea()
        scroller.setWidget(content)
        scroller.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(760, 640)
        guard_inputs(self)
        if patient is not None:
            self._fill(patient)

    def _fill(self, patient: Patient) -> None:
        put_text(self.chart_number, patient.chart_number)
        put_text(self.family_name, patient.family_name)
        put_text(self.given_name, patient.given_name)
        self.date_of_birth.setText(patient.date_of_birth.strftime("%d.%m.%Y") if patient.date_of_birth else "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(patient.sex.value)))
        put_text(self.phone, patient.phone)
        put_text(self.email, patient.email)
        self.address.setPlainText(patient.address)
        self.allergies.setPlainText(patient.allergies)
        self.notes.setPlainText(patient.notes)
        for key, box in self.history.items():
            box.setChecked(key in patient.history)

    def draft(self) -> PatientDraft:
        """The fields as a patient draft; ValidationError for a date of birth that is not a date."""
        typed = self.date_of_birth.text().strip()
        born = parse_date_query(typed) if typed else None
        if typed and born is None:
            raise ValidationError(
                [FieldError("Date of birth", f"{typed!r} is not a date; type it like 29.02.1980 or 1980-02-29.")]
            )
        return PatientDraft(
            chart_number=self.chart_number.text(),
            family_name=self.family_name.text(),
            given_name=self.given_name.text(),
            date_of_birth=born,
            sex=Sex(self.sex.currentData()),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            allergies=self.allergies.toPlainText(),
            history=tuple(key for key, box in self.history.items() if box.isChecked()),
            notes=self.notes.toPlainText(),
        )

    def store(self) -> None:
        """Save and close, or show what is wrong beside each field and keep the dialog open."""
        self.problem.setVisible(False)
        try:
            self.saved = self.save(self.draft(), self.patient)
        except StaleError as error:
            self.form.clear_errors()
            if self.patient is not None and self.reload is not None:
                try:
                    self.patient = self.reload(self.patient.id)
                except UserError as gone:
                    self._say(f"Not saved: {gone.message} {gone.hint}".strip())
                    return
                self._fill(self.patient)
            self._say(f"Not saved: {error.message} {error.hint}".strip())
            return
        except ValidationError as error:
            rest = self.form.show_errors(error.errors)
            if rest:
                self._say("; ".join(str(e) for e in rest))
            return
        except UserError as error:
            self.form.clear_errors()
            self._say(f"Not saved: {error.message} {error.hint}".strip())
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
