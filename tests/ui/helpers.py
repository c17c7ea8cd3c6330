"""What the UI tests share: a main window with an open session, mouse and wheel gestures, and dialog answers."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import SessionDraft, Site, View
from sclerochart.readmodels import SessionDetail
from sclerochart.services import patients, session_detail, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.ui.diagram_canvas import DiagramCanvas, to_scene
from sclerochart.ui.main_window import MainWindow
from tests.conftest import FixedClock, patient_draft
from tests.signing import PASSWORD, make_complete


def viewport_point(canvas: DiagramCanvas, view: View, x: float, y: float) -> QPoint:
    return canvas.mapFromScene(to_scene(view, x, y))


def send_mouse(canvas: DiagramCanvas, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(canvas.viewport().mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas.viewport(), event)


def click(canvas: DiagramCanvas, view: View, leg: int, height: float, across: float = 0.0) -> None:
    point = viewport_point(canvas, view, *point_for(view, leg, height, across))
    send_mouse(canvas, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)


def drag(canvas: DiagramCanvas, start: QPoint, end: QPoint) -> None:
    send_mouse(canvas, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for step in range(1, 6):
        between = start + (end - start) * (step / 5)
        send_mouse(canvas, QEvent.Type.MouseMove, between, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def wheel(widget: QWidget, notches: int = -1) -> bool:
    """Turn the mouse wheel over the middle of a widget (negative: towards the user); True when it was taken."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


class DialogAnswers:
    """Answers the program's own modal dialogs as they open, the way a user would.

    `answer(handle)` waits (without blocking the event loop) for the next modal dialog and runs `handle` on it;
    `handle` must close the dialog. The titles of the dialogs answered are collected in `seen`.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._stopped = False

    def answer(self, handle: Callable[[QDialog], None], wait_ms: int = 3000) -> None:
        """Answer the next modal dialog that opens within `wait_ms` with `handle`."""
        deadline = time.monotonic() + wait_ms / 1000
        answered: list[QWidget] = []

        def look() -> None:
            if self._stopped:
                return
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, QDialog) and dialog.isVisible() and dialog not in answered:
                answered.append(dialog)
                self.seen.append(dialog.windowTitle())
                try:
                    handle(dialog)
                except BaseException:
                    QDialog.reject(dialog)  # a failed check must not leave the test waiting on an open dialog
                    raise
                if dialog.isVisible():
                    QDialog.reject(dialog)
                    raise AssertionError(f"The answer left {dialog.windowTitle()!r} open (a button it pressed is off?)")
            elif time.monotonic() < deadline:
                QTimer.singleShot(10, look)

        QTimer.singleShot(0, look)

    def stop(self) -> None:
        """Answer nothing more (at the end of a test)."""
        self._stopped = True


@pytest.fixture
def dialogs() -> Iterator[DialogAnswers]:
    """Answers for the real dialogs a test opens; stops looking when the test ends."""
    answers = DialogAnswers()
    yield answers
    answers.stop()


def type_and_press(dialog: QDialog, text: str, button: QDialogButtonBox.StandardButton) -> None:
    """Type into a dialog's first one-line field (replacing what is there) and press one of its buttons."""
    line = dialog.findChild(QLineEdit)
    assert line is not None, f"{dialog.windowTitle()} has no field to type in"
    line.selectAll()
    line.del_()
    for character in text:
        line.insert(character)
    press(dialog, button)


def press(dialog: QDialog, button: QDialogButtonBox.StandardButton) -> None:
    """Press a button of a dialog's button box."""
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None, f"{dialog.windowTitle()} has no buttons"
    target = box.button(button)
    assert target is not None, f"{dialog.windowTitle()} has no {button} button"
    target.click()


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes the window would show, recorded instead of waiting for a click."""
    shown: list[str] = []

    def record(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


@pytest.fixture
def window(qtbot: QtBot, ctx: ServiceContext, warnings: list[str]) -> Iterator[MainWindow]:
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    widget = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_session(session.id)
    widget.charting.canvas.fit_all()
    yield widget
    widget.charting.controller.close_session()  # a value a test left refused would keep the window open
    widget.close()


@pytest.fixture
def locked_window(
    qtbot: QtBot, db_path: Path, clock: FixedClock, warnings: list[str]
) -> Iterator[tuple[MainWindow, sqlite3.Connection]]:
    """A window on a database that a second connection (another room, another program) can lock."""
    db = open_database(str(db_path), busy_timeout_ms=100)
    ctx = ServiceContext(db, "test", clock)
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, clock(), weight_kg=70.0))
    widget = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.open_session(session.id)
    widget.charting.canvas.fit_all()
    other_room = sqlite3.connect(db_path, timeout=0.1)
    yield widget, other_room
    other_room.close()
    widget.charting.controller.close_session()
    widget.close()
    db.close()


def ctx_of(window: MainWindow) -> ServiceContext:
    """The services' context behind a window, for a test to read or change the records directly."""
    assert isinstance(window.api, ServiceApi)
    return window.api.ctx


def stored_session(window: MainWindow, session_id: str | None = None) -> SessionDetail:
    """A session as the database holds it (by default the open one), read through the services."""
    return session_detail.get_session(ctx_of(window), session_id or window.charting.controller.session_id)


def stored_sites(window: MainWindow) -> tuple[Site, ...]:
    return stored_session(window).sites


def sign_open_session(window: MainWindow) -> None:
    """Sign the window's open session as a practitioner would: signed in, the chart complete, the password typed."""
    controller = window.charting.controller
    version = make_complete(ctx_of(window), controller.session_id)
    assert window.charting.session_actions.sign_with(PASSWORD, version) is None
