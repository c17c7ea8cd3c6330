"""Loading the main window's modules while the sign-in window waits for a password.

Python imports the main window's fifty-odd modules in about a third of a second. The sign-in window needs
none of them, so it is shown first, and they are imported one module per turn of Qt's event loop while it
waits: a keystroke is never held up by more than one module's import, and by the time the password is typed
the main window opens at once. If the password comes sooner, whatever is left is imported then. Last, the
patient search is prepared, so that the first letters typed find patients as fast as later ones.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

import sclerochart.ui

log = logging.getLogger(__name__)

WINDOW_MODULES = (
    "session_start",
    "photo_actions",
    "photo_watch",
    "people_actions",
    "screen_lock",
    "practitioners_dialog",
    "patient_form",
    "patient_models",
    "menus",
    "outcome_figures_window",
    "lot_recall_dialog",
    "keys_help",
    "documents",
    "course_actions",
    "course_window",
    "outcome_view",
    "follow_up_dialog",
    "window_layout",
    "photo_strip",
    "photo_describe",
    "photo_model",
    "photo_compare",
    "follow_up_parts",
    "clinic_settings_dialog",
    "charting_screen",
    "totals_panel",
    "site_selection",
    "site_table_model",
    "site_editor",
    "session_scores",
    "leg_scores",
    "session_panel",
    "session_fields",
    "session_lots",
    "session_actions",
    "signing_dialogs",
    "preset_keypad",
    "preset_dialog",
    "input_guards",
    "diagram_canvas",
    "canvas_menu",
    "marker_set",
    "number_placement",
    "number_spots",
    "diagram_items",
    "marker_style",
    "diagram_artwork",
    "chair_status",
    "charting_controller",
    "charting_commands",
    "change_watch",
    "backup_actions",
    "tasks",
    "main_window",
)
"""The modules of this package that the main window loads (beyond the sign-in window's), roughly the ones
others need first, the main window last. A test holds this equal to what importing the main window loads."""


def window_modules() -> list[str]:
    """The full names of WINDOW_MODULES, in their order."""
    return [f"{sclerochart.ui.__name__}.{name}" for name in WINDOW_MODULES]


class WarmUp(QObject):
    """Imports `modules` one per event-loop turn, starting once the loop runs, then calls `then`; stops with its parent.

    `then` is for what the first screen needs ready besides the code (the patient search's statements); an
    error in it is logged, not shown: the screen meets the same problem again and says it then.
    """

    def __init__(
        self, parent: QObject, modules: list[str] | None = None, then: Callable[[], object] | None = None
    ) -> None:
        super().__init__(parent)
        self.waiting = list(modules if modules is not None else window_modules())
        self.then = then
        self.started = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)
        self._timer.start()

    @property
    def done(self) -> bool:
        return not self.waiting

    def _next(self) -> None:
        if self.waiting:
            name = self.waiting.pop(0)
            try:
                importlib.import_module(name)
            except Exception:  # the window imports it again when it opens, and says what went wrong then
                log.warning("loading %s ahead of the window failed", name, exc_info=True)
        if self.waiting:
            return
        self._timer.stop()
        log.debug("window modules loaded ahead in %.2f s", time.perf_counter() - self.started)
        if self.then is not None:
            try:
                self.then()
            except Exception:
                log.warning("preparing ahead of the window failed", exc_info=True)
