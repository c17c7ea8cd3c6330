"""Run by test_window_fit.py in a child process whose one (offscreen) screen has a given size.

Opens the main window on a database with one patient and a session, as the program does, and prints what
a user would see of it as JSON: the window's frame, the screen's free area, and whether "New session" and
the status bar lie inside the window. With --resize W H it resizes the window before closing it (so the
size is remembered for that screen).
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from sclerochart.domain.values import SessionDraft
from sclerochart.services import patients, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.ui.main_window import MainWindow
from tests.conftest import FixedClock, patient_draft


def _inside(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


def main() -> None:
    database, resize = sys.argv[1], sys.argv[2:]
    app = QApplication([])
    db = open_database(database)
    ctx = ServiceContext(db, "test", FixedClock())
    if not patients.search_patients(ctx, ""):
        patient = patients.create_patient(ctx, patient_draft())
        sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    window = MainWindow(ServiceApi(ctx))
    window.show()
    for _ in range(5):
        app.processEvents()
    window.show_patient(patients.get_patient(ctx, patients.search_patients(ctx, "")[0].id))
    for _ in range(5):
        app.processEvents()
    frame, room = window.frameGeometry(), window.screen().availableGeometry()
    report = {
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "room": [room.x(), room.y(), room.width(), room.height()],
        "size": [window.width(), window.height()],
        "new_session_inside": _inside(window.new_session_button, window),
        "status_bar_inside": _inside(window.statusBar(), window),
    }
    if resize:
        window.resize(int(resize[0]), int(resize[1]))
        app.processEvents()
    window.close()
    db.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
