"""Signing in: at start, and to unlock a window that locked itself after the clinic's idle time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.errors import DamagedError, UserError
from sclerochart.ui.field_form import FormMessage

if TYPE_CHECKING:  # the sign-in window may show before these load (sclerochart.start_order)
    from sclerochart.api import ClinicApi
    from sclerochart.domain.values import Practitioner

OPENING = "Opening the clinic's records…"
INTRO = "Sign in with the name and password the clinic's administrator gave you."


def _intro(records: str) -> str:
    """The words above the fields: what to type, then (apart) the clinic records it signs in to."""
    return f"{INTRO}\n\nClinic records: {records}" if records != OPENING else f"{INTRO}\n\n{OPENING}"


def password_field() -> QLineEdit:
    """A password field: dots, big enough for gloved fingers."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumHeight(36)
    return field


class SignInDialog(QDialog):
    """Sign-in name and password; after too many wrong passwords the button waits, counting down.

    Locked: the window behind hides patient data and this dialog cannot be dismissed; the same person or
    another may sign in, and the open work stays as it was.

    At start it may show before the database is open (`api` None): the name and password can be typed, and
    Sign in pressed meanwhile signs in as soon as `attach` gives it the open database.
    """

    def __init__(
        self,
        api: ClinicApi | None,
        *,
        locked: bool = False,
        last: Practitioner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self._asked_early = False
        self.locked = locked
        self.person: Practitioner | None = None
        self.damaged: DamagedError | None = None
        """Set when the database turned out damaged: the application then offers its newest verified copy."""
        self.setWindowTitle("ScleroChart is locked" if locked else "Sign in to ScleroChart")
        self.setMinimumWidth(520)  # the first line in one piece; the database's name apart below it
        intro = QLabel(
            "ScleroChart is locked: patient data is hidden. Sign in to go on; the open work is kept. "
            "Another practitioner may sign in here too."
            if locked
            else _intro(api.display if api is not None else OPENING)
        )
        intro.setWordWrap(True)
        self.intro = intro
        self.login = QLineEdit(last.login if last is not None else "")
        self.login.setMinimumHeight(36)
        self.login.setPlaceholderText("sign-in name")
        self.password = password_field()
        self.message = FormMessage()
        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setMinimumHeight(40)
        form = QFormLayout()
        form.addRow("Sign-in name", self.login)
        form.addRow("Password", self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if not locked:
            quit_button = QPushButton("Quit")
            quit_button.setMinimumHeight(40)
            quit_button.clicked.connect(self.reject)
            buttons.addWidget(quit_button)
        buttons.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        # No Qt.FocusReason here: Qt's namespace of enums takes 12 ms to load, before the window shows.
        (self.password if last is not None else self.login).setFocus()

    def attach(self, api: ClinicApi) -> None:
        """The database is open: name it, and sign in if Sign in was pressed while it opened."""
        self.api = api
        if not self.locked:
            self.intro.setText(_intro(api.display))
        if self._asked_early:
            self.sign_in_button.setText("Sign in")
            self.sign_in_button.setEnabled(True)
            QTimer.singleShot(0, self.try_sign_in)  # inside the dialog's own run, which may not have begun yet

    def try_sign_in(self) -> bool:
        """Sign in with what is typed; on success the dialog closes, otherwise it says why and stays."""
        if self.api is None:  # signed in as soon as the records are open
            self._asked_early = True
            self.sign_in_button.setText("Signing in…")
            self.sign_in_button.setEnabled(False)
            return False
        self._asked_early = False
        try:
            self.person = self.api.sign_in(self.login.text(), self.password.text())
        except UserError as error:
            if isinstance(error, DamagedError) and not self.locked:
                self.damaged = error  # the application offers the newest verified copy
                self.reject()
                return False
            self.password.clear()
            self.password.setFocus()
            self.message.refusal(error)
            seconds = getattr(error, "seconds", 0)
            if seconds:
                self._wait(int(seconds))
            return False
        self.password.clear()
        self.accept()
        return True

    def _wait(self, seconds: int) -> None:
        self._wait_left = seconds
        self.sign_in_button.setEnabled(False)
        self._tick_text()
        self._countdown.start()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self.sign_in_button.setEnabled(True)
            self.sign_in_button.setText("Sign in")
            return
        self._tick_text()

    def _tick_text(self) -> None:
        self.sign_in_button.setText(f"Sign in (wait {self._wait_left} s)")

    def reject(self) -> None:
        """Esc or the close button: leaves the program at start; while locked the window stays locked."""
        if self.locked:
            self.message.say("The window stays locked until someone signs in.")
            return
        super().reject()
