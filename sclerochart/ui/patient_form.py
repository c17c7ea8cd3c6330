"""The patient form: create or edit a patient, with each problem shown beside its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.checklist import CHECKLIST, ItemKind
from sclerochart.domain.errors import FieldError, StaleError, UserError, ValidationError
from sclerochart.domain.names import NameOrder, full_name, suggested_order
from sclerochart.domain.search import parse_date_query
from sclerochart.domain.validation import validate_patient
from sclerochart.domain.values import Patient, PatientDraft, PatientHit, Sex
from sclerochart.ui.field_form import ERROR_STYLE, FieldForm, put_text
from sclerochart.ui.input_guards import guard_inputs

SavePatient = Callable[[PatientDraft, Patient | None], Patient]
"""Stores the draft made from the patient shown (None: a new patient); ValidationError for fields, else UserError."""

ReloadPatient = Callable[[str], Patient]
"""The patient as stored now, by id."""

NextChartNumber = Callable[[], str]
"""The chart number a new patient left blank would get now ("" when the clinic types every number by hand)."""

FindDuplicates = Callable[[PatientDraft, str | None], tuple[PatientHit, ...]]
"""Stored patients with the draft's names and date of birth, other than the patient with the id given."""

SEX_CHOICES = ((Sex.UNKNOWN, "Not recorded"), (Sex.FEMALE, "Female"), (Sex.MALE, "Male"), (Sex.OTHER, "Other"))
"""The sex field's choices, "Not recorded" first: nothing is chosen for the user."""


def _born(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "no date of birth"


def ask_about_duplicates(parent: QWidget, hits: tuple[PatientHit, ...]) -> bool:
    """Ask whether to record a patient whose name and date of birth another record has; True for Save anyway.

    Going back is the default: a second chart for the same person splits their treatment history.
    """
    people = "\n".join(
        f"• {hit.display_name}, chart {hit.chart_number}, born {_born(hit.date_of_birth)}"
        + (" (archived)" if hit.archived else "")
        for hit in hits
    )
    one = len(hits) == 1
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Possible duplicate patient",
        (
            "A patient with this name and date of birth is already recorded:"
            if one
            else "Patients with this name and date of birth are already recorded:"
        )
        + f"\n\n{people}",
        parent=parent,
    )
    box.setInformativeText(
        "If this is the same person, go back and open their chart instead of recording them twice"
        + (
            " (an archived patient is found by ticking “Show archived patients”, and can be restored)."
            if any(hit.archived for hit in hits)
            else "."
        )
        + "\n\nSave anyway only when this is a different person."
    )
    save = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is save


class PatientForm(QDialog):
    """Chart number, names and their order, date of birth, sex, contact, allergies, history flags and notes."""

    def __init__(
        self,
        save: SavePatient,
        patient: Patient | None = None,
        parent: QWidget | None = None,
        reload: ReloadPatient | None = None,
        *,
        next_chart_number: NextChartNumber | None = None,
        duplicates: FindDuplicates | None = None,
    ) -> None:
        super().__init__(parent)
        self.save = save
        self.reload = reload
        self.duplicates = duplicates
        self.patient = patient
        """The patient as shown in the form: a change names its version."""
        self.saved: Patient | None = None
        self._order_chosen = patient is not None
        """The user chose the name order (or it is a stored patient's): the names typed no longer suggest it."""
        self._confirmed: tuple[object, ...] | None = None
        """The possible duplicates the user chose to save anyway, with the names and birth date they were about."""
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self.chart_number = QLineEdit()
        self.assigned = ""
        """The chart number a blank field would get (new patients of a clinic with a pattern), as shown."""
        if patient is None and next_chart_number is not None:
            try:
                self.assigned = next_chart_number()
            except UserError:
                self.assigned = ""
        if self.assigned:
            self.chart_number.setPlaceholderText(f"Left blank: the next free, now {self.assigned}")
            self.chart_number.setToolTip(
                "Leave it empty to give the patient the clinic's next chart number, or type the number they have."
            )
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.name_order = QComboBox()
        for order in NameOrder:
            self.name_order.addItem(order.label, order.value)
        self.name_shown = QLabel()
        self.name_shown.setStyleSheet("color: #555555;")
        order_row = QWidget()
        order_layout = QHBoxLayout(order_row)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.addWidget(self.name_order)
        order_layout.addWidget(self.name_shown, 1)
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("e.g. 29.02.1980 or 1980-02-29")
        self.sex = QComboBox()
        for sex, label in SEX_CHOICES:
            self.sex.addItem(label, sex.value)
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
        for line in (self.chart_number, self.family_name, self.given_name, self.date_of_birth, self.phone, self.email):
            line.setMinimumHeight(30)

        self.form = FieldForm()
        self.form.add_field("Chart number", self.chart_number)
        self.form.add_field("Family name", self.family_name)
        self.form.add_field("Given name", self.given_name)
        self.form.add_field("Name order", order_row)
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
        self._show_name()

        # A field's error goes as soon as its value is allowed (and says what is still wrong while it is not).
        for name, changed in (
            ("Chart number", self.chart_number.textChanged),
            ("Family name", self.family_name.textChanged),
            ("Given name", self.given_name.textChanged),
            ("Date of birth", self.date_of_birth.textChanged),
            ("Phone", self.phone.textChanged),
            ("E-mail", self.email.textChanged),
            ("Address", self.address.textChanged),
            ("Allergies", self.allergies.textChanged),
            ("Notes", self.notes.textChanged),
            *(("Notes", box.toggled) for box in self.history.values()),
        ):
            changed.connect(lambda *_value, name=name: self.form.recheck(name, self._errors_now()))
        for line in (self.family_name, self.given_name):
            line.textChanged.connect(self._names_typed)
        self.name_order.activated.connect(self._order_picked)
        self.name_order.currentIndexChanged.connect(self._show_name)

    def _fill(self, patient: Patient) -> None:
        put_text(self.chart_number, patient.chart_number)
        put_text(self.family_name, patient.family_name)
        put_text(self.given_name, patient.given_name)
        self.name_order.setCurrentIndex(max(0, self.name_order.findData(patient.name_order.value)))
        self.date_of_birth.setText(patient.date_of_birth.strftime("%d.%m.%Y") if patient.date_of_birth else "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(patient.sex.value)))
        put_text(self.phone, patient.phone)
        put_text(self.email, patient.email)
        self.address.setPlainText(patient.address)
        self.allergies.setPlainText(patient.allergies)
        self.notes.setPlainText(patient.notes)
        for key, box in self.history.items():
            box.setChecked(key in patient.history)

    # Name order ----------------------------------------------------------------------------------------
    def _names_typed(self) -> None:
        """A new patient's names suggest their order (张伟: family name first) until the user chooses it."""
        if not self._order_chosen:
            order = suggested_order(self.family_name.text(), self.given_name.text())
            self.name_order.setCurrentIndex(self.name_order.findData(order.value))
        self._show_name()

    def _order_picked(self, _index: int) -> None:
        self._order_chosen = True

    def _show_name(self) -> None:
        family, given = self.family_name.text().strip(), self.given_name.text().strip()
        shown = full_name(family, given, NameOrder(self.name_order.currentData())) if family else ""
        self.name_shown.setText(f"Written: {shown}" if shown else "")

    # Values --------------------------------------------------------------------------------------------
    def _draft(self, born: dt.date | None) -> PatientDraft:
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
            name_order=NameOrder(self.name_order.currentData()),
        )

    @staticmethod
    def _not_a_date(typed: str) -> FieldError:
        return FieldError("Date of birth", f"{typed!r} is not a date; type it like 29.02.1980 or 1980-02-29.")

    def draft(self) -> PatientDraft:
        """The fields as a patient draft; ValidationError for a date of birth that is not a date."""
        typed = self.date_of_birth.text().strip()
        born = parse_date_query(typed) if typed else None
        if typed and born is None:
            raise ValidationError([self._not_a_date(typed)])
        return self._draft(born)

    def _errors_now(self) -> list[FieldError]:
        """What is not allowed in the fields as they are now (a blank chart number the clinic assigns is allowed)."""
        typed = self.date_of_birth.text().strip()
        born = parse_date_query(typed) if typed else None
        errors = [self._not_a_date(typed)] if typed and born is None else []
        draft = self._draft(born)
        if self.assigned and not draft.chart_number.strip():
            draft = replace(draft, chart_number=self.assigned)
        try:
            validate_patient(draft, dt.date.today())
        except ValidationError as error:
            errors += [e for e in error.errors if not (e.field == "Date of birth" and errors)]
        return errors

    # Saving --------------------------------------------------------------------------------------------
    def store(self) -> None:
        """Save and close, or show what is wrong beside each field and keep the dialog open."""
        self.problem.setVisible(False)
        try:
            try:
                draft = self.draft()
            except ValidationError:  # the date is not a date: say what else is wrong too, all at once
                raise ValidationError(self._errors_now()) from None
            if not self._no_duplicate_or_confirmed(draft):
                return
            self.saved = self.save(draft, self.patient)
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

    def _identity_changed(self, draft: PatientDraft) -> bool:
        """A new patient, or a stored one whose names or date of birth the form changes."""
        shown = self.patient
        if shown is None:
            return True
        before = (shown.family_name.strip(), shown.given_name.strip(), shown.date_of_birth)
        return before != (draft.family_name.strip(), draft.given_name.strip(), draft.date_of_birth)

    def _no_duplicate_or_confirmed(self, draft: PatientDraft) -> bool:
        """Point out stored patients with the same names and date of birth; True to go on saving."""
        if self.duplicates is None or not self._identity_changed(draft):
            return True
        hits = self.duplicates(draft, self.patient.id if self.patient is not None else None)
        if not hits:
            return True
        asked = (draft.family_name.strip(), draft.given_name.strip(), draft.date_of_birth, {hit.id for hit in hits})
        if asked == self._confirmed:
            return True  # answered already; another field was corrected since
        if ask_about_duplicates(self, hits):
            self._confirmed = asked
            return True
        charts = ", ".join(hit.chart_number for hit in hits)
        self._say(f"Not saved: a patient with this name and date of birth is already recorded (chart {charts}).")
        return False

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
