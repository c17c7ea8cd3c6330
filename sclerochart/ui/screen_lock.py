"""The automatic lock: after the clinic's idle time every window hides patient data until someone signs in.

The open work is kept: what the person at work typed in the charting screen is stored in their name first (as
leaving the field would), dialogs stay open under a curtain with their typing, and whoever signs in (the same
person or another) finds everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from sclerochart.api import ClinicApi
from sclerochart.domain.values import Practitioner
from sclerochart.ui.sign_in_dialog import SignInDialog

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class Curtain(QWidget):
    """An opaque cover over one window while the program is locked: nothing of the window shows through."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#2f3b4c"))
        self.setPalette(palette)
        label = QLabel("ScleroChart is locked.\nPatient data is hidden until someone signs in.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: white; font-size: 16pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep covering the window as it is resized."""
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


class ScreenLock(QObject):
    """Watches for use of the program; after `minutes` without any, covers every window and asks to sign in."""

    locked_changed = Signal(bool)
    signed_in = Signal(object)
    """A practitioner signed in to unlock (the same or another): the window shows who is now at work."""

    def __init__(
        self, api: ClinicApi, main_window: QWidget, minutes: int, before_lock: Callable[[], object] | None = None
    ) -> None:
        super().__init__(main_window)
        self.api = api
        self.before_lock = before_lock
        """Stores what the person at work typed, in their name, before the windows are covered."""
        self.main_window = main_window
        self.curtains: list[Curtain] = []
        self.dialog: SignInDialog | None = None
        self.before: Practitioner | None = None
        """Who was signed in when the window locked."""
        self._locking = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        """True while the windows are covered."""
        return self.dialog is not None

    def set_minutes(self, minutes: int) -> None:
        """Lock after this many idle minutes from now on (the clinic setting)."""
        self.timer.setInterval(max(1, minutes) * 60_000)
        if not self.locked:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any key, click or movement in the program starts the idle time again."""
        if event.type() in _ACTIVITY and not self.locked:
            self.timer.start()
        return False

    def lock(self) -> None:
        """Cover every open window of the program and ask for a sign-in (Ctrl+L does it at once)."""
        if self.locked or self._locking:
            return
        self._locking = True
        try:
            self._cover()
        finally:
            self._locking = False

    def _cover(self) -> None:
        self.timer.stop()
        if self.before_lock is not None:
            self.before_lock()  # a value that cannot be stored stays typed in its field, marked, as it was
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.isWindow():
                self.curtains.append(Curtain(widget))
        self.before = self.api.signed_in()
        self.dialog = SignInDialog(self.api, locked=True, last=self.before, parent=self.main_window)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.locked_changed.emit(True)
        self.dialog.open()

    def _unlocked(self) -> None:
        dialog, self.dialog = self.dialog, None
        for curtain in self.curtains:
            parent = curtain.parentWidget()
            if parent is not None:
                parent.removeEventFilter(curtain)
            curtain.hide()  # gone from the window at once, not when Qt next deletes what was let go
            curtain.setParent(None)
            curtain.deleteLater()
        self.curtains.clear()
        self.timer.start()
        self.locked_changed.emit(False)
        if dialog is not None:
            self.signed_in.emit(dialog.person)
            dialog.deleteLater()
