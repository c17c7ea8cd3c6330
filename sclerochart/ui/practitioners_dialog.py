"""The clinic's practitioners for its administrator: add, change, deactivate (never delete), set passwords."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.errors import FieldError, UserError, ValidationError
from sclerochart.domain.values import Practitioner
from sclerochart.ui.field_form import ERROR_STYLE, FieldForm, FormMessage
from sclerochart.ui.sign_in_dialog import password_field
from sclerochart.ui.tables import row_table

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Credentials", "Role", "Sign-in name", "Status")


class PractitionerModel(QAbstractTableModel):
    """The practitioners as rows: deactivated ones stay listed, marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: tuple[Practitioner, ...] = ()

    def set_people(self, people: tuple[Practitioner, ...]) -> None:
        """Show these practitioners."""
        self.beginResetModel()
        self.people = people
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per practitioner."""
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """The columns of COLUMNS."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """A practitioner's name, credentials, role, sign-in name and status."""
        if not index.isValid():
            return None
        person = self.people[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (person.name, person.credentials, Role(person.role).label, person.login or "—", _status(person))[
                index.column()
            ]
        if role == Qt.ItemDataRole.ForegroundRole and not person.active:
            return Qt.GlobalColor.gray
        return None


def _status(person: Practitioner) -> str:
    if not person.active:
        return "Deactivated"
    if not person.login or not person.can_sign_in:
        return "Cannot sign in (no password)"
    return "Active"


class AccountDialog(QDialog):
    """Add a practitioner (with a first password) or change one (name, credentials, role, sign-in name)."""

    def __init__(self, api: ClinicApi, person: Practitioner | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.person = person
        self.saved: Practitioner | None = None
        self.setWindowTitle("Add a practitioner" if person is None else f"Change {person.name}")
        self.setMinimumWidth(480)
        self.name = QLineEdit(person.name if person else "")
        self.credentials = QLineEdit(person.credentials if person else "")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(self.role.findData(person.role if person else Role.PHYSICIAN.value))
        self.login = QLineEdit(person.login if person else "")
        self.form = FieldForm()
        self.form.add_field("Name", self.name)
        self.form.add_field("Credentials", self.credentials)
        self.form.add_field("Role", self.role)
        self.form.add_field("Sign-in name", self.login)
        self.password = password_field()
        self.repeat = password_field()
        if person is None:
            self.form.add_field("Password", self.password, label="First password")
            self.form.add_field("Password again", self.repeat)
        for field in (self.name, self.credentials, self.login, self.role):
            field.setMinimumHeight(34)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        """Store the practitioner, or show what is not allowed and keep everything typed."""
        self.form.clear_errors()
        self.message.hide()
        draft = AccountDraft(
            self.name.text(), self.login.text(), Role(self.role.currentData()), self.credentials.text()
        )
        try:
            if self.person is None:
                if self.password.text() != self.repeat.text():
                    raise ValidationError([FieldError("Password again", "is not the same as the password.")])
                self.saved = self.api.add_account(draft, self.password.text())
            else:
                self.saved = self.api.edit_account(self.person.id, draft, self.person.version)
        except UserError as error:
            self.message.refusal(error, self.form)
            return False
        self.accept()
        return True


class PasswordDialog(QDialog):
    """Set a password: one's own (with the current one) or, for an administrator, anyone's."""

    def __init__(self, api: ClinicApi, person: Practitioner, *, own: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.person = person
        self.own = own
        self.setWindowTitle("Change my password" if own else f"New password for {person.name}")
        self.current = password_field()
        self.new = password_field()
        self.repeat = password_field()
        self.form = FieldForm()
        if own:
            self.form.add_field("Current password", self.current)
        self.form.add_field("New password", self.new)
        self.form.add_field("New password again", self.repeat)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        """Store the new password, or say why not."""
        self.form.clear_errors()
        self.message.hide()
        try:
            if self.new.text() != self.repeat.text():
                raise ValidationError([FieldError("New password again", "is not the same as the new password.")])
            self.api.set_password(
                self.person.id, self.new.text(), current_password=self.current.text() if self.own else None
            )
        except UserError as error:
            self.message.refusal(error, self.form)
            return False
        self.accept()
        return True


class PractitionersDialog(QDialog):
    """The list of practitioners with Add, Change, Deactivate/Reactivate and Set password."""

    def __init__(self, api: ClinicApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setWindowTitle("Practitioners")
        self.resize(820, 460)
        self.model = PractitionerModel(self)
        self.table = row_table(self.model, stretch=0, wrap=True)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Change…")
        self.active_button = QPushButton("Deactivate")
        self.password_button = QPushButton("Set password…")
        close = QPushButton("Close")
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button, self.password_button):
            button.setMinimumHeight(36)
            row.addWidget(button)
        row.addStretch(1)
        close.setMinimumHeight(36)
        row.addWidget(close)
        self.message = QLabel()
        self.message.setWordWrap(True)
        note = QLabel(
            "A practitioner is never deleted: a deactivated one cannot sign in or be chosen for a new session, "
            "and stays named on the sessions they treated and signed."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.set_password)
        close.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Read the practitioners again (another room may have changed them)."""
        self.model.set_people(self.api.list_accounts())
        if select is not None:
            for row, person in enumerate(self.model.people):
                if person.id == select:
                    self.table.selectRow(row)
        self._enable()

    def selected(self) -> Practitioner | None:
        """The chosen practitioner, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.people[rows[0].row()] if rows else None

    def _enable(self) -> None:
        person = self.selected()
        for button in (self.edit_button, self.active_button, self.password_button):
            button.setEnabled(person is not None)
        self.active_button.setText("Reactivate" if person is not None and not person.active else "Deactivate")

    def add(self) -> None:
        """Add a practitioner."""
        dialog = AccountDialog(self.api, None, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh(dialog.saved.id)
            self._say(f"{dialog.saved.name} added: signs in as {dialog.saved.login}.")

    def edit(self) -> None:
        """Change the chosen practitioner."""
        person = self.selected()
        if person is None:
            return
        dialog = AccountDialog(self.api, person, self)
        if dialog.exec() and dialog.saved is not None:
            self.refresh(dialog.saved.id)
            self._say(f"{dialog.saved.name} saved.")

    def toggle_active(self) -> None:
        """Deactivate the chosen practitioner, or reactivate a deactivated one."""
        person = self.selected()
        if person is None:
            return
        try:
            changed = self.api.set_active(person.id, not person.active, person.version)
        except UserError as error:
            self._say(f"{error.message} {error.hint}".strip(), error=True)
            self.refresh(person.id)
            return
        self.refresh(changed.id)
        self._say(f"{changed.name} {'reactivated' if changed.active else 'deactivated'}.")

    def set_password(self) -> None:
        """Give the chosen practitioner a new password."""
        person = self.selected()
        if person is None:
            return
        me = self.api.signed_in()
        dialog = PasswordDialog(self.api, person, own=me is not None and me.id == person.id, parent=self)
        if dialog.exec():
            self.refresh(person.id)
            self._say(f"New password set for {person.name}.")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
