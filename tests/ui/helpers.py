"""What the UI tests share: a main window with an open session, and mouse gestures on the canvas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import SessionDraft, Site, View
from sclerochart.services import patients, session_detail, sessions
from sclerochart.services.context import ServiceContext
from sclerochart.ui.diagram_canvas import DiagramCanvas, to_scene
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft


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
    widget = MainWindow(ctx)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.open_session(session.id)
    widget.charting.canvas.fit_all()
    yield widget
    widget.close()


def stored_sites(window: MainWindow) -> tuple[Site, ...]:
    return session_detail.get_session(window.ctx, window.charting.controller.session_id).sites
