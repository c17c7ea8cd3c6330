"""The first start of a new clinic: its details and the first practitioner's account, the clinic's administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sclerochart import settings
from sclerochart.api import ClinicApi
from sclerochart.domain.accounts import AccountDraft, Role, validate_account
from sclerochart.domain.errors import FieldError, UserError, ValidationError
from sclerochart.domain.values import Practitioner
from sclerochart.ui.field_form import FieldForm, FormMessage
from sclerochart.ui.sign_in_dialog import password_field


def _other_problems(values: dict[str, str], draft: AccountDraft) -> list[FieldError]:
    """Every problem of the clinic's values and the account besides the password (to show them all at once)."""
    problems: list[FieldError] = []
    try:
        validate_account(draft)
    except ValidationError as error:
        problems.extend(error.errors)
    for key, value in values.items():
        try:
            settings.with_value(settings.ClinicSettings(), key, value)
        except ValidationError as error:
            problems.extend(error.errors)
    return problems


class FirstStartDialog(QDialog):
    """Asked once, on a database without an administrator: the clinic, then its first administrator."""

    def __init__(self, api: ClinicApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.person: Practitioner | None = None
        self.setWindowTitle("Welcome to ScleroChart: set up the clinic")
        self.setMinimumWidth(560)
        intro = QLabel(
            "This is a new clinic. Enter its details (they head every report and handout) and the account of the "
            "first practitioner, who becomes the clinic's administrator and adds everyone else. "
            "All of it can be changed later."
        )
        intro.setWordWrap(True)

        self.clinic_name = QLineEdit()
        self.clinic_address = QPlainTextEdit()
        self.clinic_address.setFixedHeight(64)
        self.clinic_address.setTabChangesFocus(True)
        self.clinic_phone = QLineEdit()
        self.paper_size = QComboBox()
        self.paper_size.addItems(list(settings.PAPER_SIZES))
        clinic_box = QGroupBox("The clinic")
        self.clinic_form = FieldForm(clinic_box)
        self.clinic_form.add_field("Clinic name", self.clinic_name)
        self.clinic_form.add_field("Clinic address", self.clinic_address)
        self.clinic_form.add_field("Clinic phone", self.clinic_phone)
        self.clinic_form.add_field("Paper size", self.paper_size)

        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Dr. Ana Müller")
        self.credentials = QLineEdit()
        self.credentials.setPlaceholderText("e.g. MD, phlebologist")
        self.login = QLineEdit()
        self.login.setPlaceholderText("a short name to sign in with, e.g. ana")
        self.password = password_field()
        self.repeat = password_field()
        person_box = QGroupBox("The first practitioner (the clinic's administrator)")
        self.person_form = FieldForm(person_box)
        self.person_form.add_field("Name", self.name)
        self.person_form.add_field("Credentials", self.credentials)
        self.person_form.add_field("Sign-in name", self.login)
        self.person_form.add_field("Password", self.password)
        self.person_form.add_field("Password again", self.repeat)
        for field in (self.clinic_name, self.clinic_phone, self.name, self.credentials, self.login):
            field.setMinimumHeight(34)

        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Set up the clinic")
        ok.setMinimumHeight(40)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit")
        buttons.accepted.connect(self.set_up)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(clinic_box)
        layout.addWidget(person_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.clinic_name.setFocus()

    def set_up(self) -> bool:
        """Store the clinic and its administrator, who is then signed in; or show what is not allowed."""
        self.clinic_form.clear_errors()
        self.person_form.clear_errors()
        self.message.hide()
        mismatch = [FieldError("Password again", "is not the same as the password.")]
        if self.password.text() != self.repeat.text():
            self.password.clear()
            self.repeat.clear()
        else:
            mismatch = []
        values = {
            "clinic_name": self.clinic_name.text(),
            "clinic_address": self.clinic_address.toPlainText(),
            "clinic_phone": self.clinic_phone.text(),
            "paper_size": self.paper_size.currentText(),
        }
        draft = AccountDraft(self.name.text(), self.login.text(), Role.ADMINISTRATOR, self.credentials.text())
        try:
            if mismatch:
                raise ValidationError([*mismatch, *_other_problems(values, draft)])
            self.person = self.api.set_up_clinic(values, draft, self.password.text())
        except UserError as error:
            self.message.refusal(error, self.clinic_form, self.person_form)
            return False
        self.password.clear()
        self.repeat.clear()
        self.accept()
        return True
