"""Loading the main window's modules while the sign-in window waits for a password.

Python imports the main window's sixty-odd modules in about a third of a second. The sign-in window needs
none of them, so it is shown first, and they are imported one module per turn of Qt's event loop while it
waits: a keystroke is never held up by more than one module's import, and by the time the password is typed
the main window opens at once. If the password comes sooner, whatever is left is imported then.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time

from PySide6.QtCore import QObject, QTimer

import sclerochart.ui

log = logging.getLogger(__name__)

LAST = "sclerochart.ui.main_window"


def window_modules() -> list[str]:
    """Every module of the window's package, the main window's own last (its imports then find the rest loaded)."""
    names = sorted(f"{sclerochart.ui.__name__}.{info.name}" for info in pkgutil.iter_modules(sclerochart.ui.__path__))
    return [name for name in names if name != LAST] + [LAST]


class WarmUp(QObject):
    """Imports `modules` one per event-loop turn, starting once the loop runs; stops with its parent."""

    def __init__(self, parent: QObject, modules: list[str] | None = None) -> None:
        super().__init__(parent)
        self.waiting = list(modules if modules is not None else window_modules())
        self.started = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._next)
        self._timer.start()

    @property
    def done(self) -> bool:
        return not self.waiting

    def _next(self) -> None:
        name = self.waiting.pop(0)
        try:
            importlib.import_module(name)
        except Exception:  # the window imports it again when it opens, and says what went wrong then
            log.warning("loading %s ahead of the window failed", name, exc_info=True)
        if self.waiting:
            return
        self._timer.stop()
        log.debug("window modules loaded ahead in %.2f s", time.perf_counter() - self.started)
