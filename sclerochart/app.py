"""Starts the Qt application: the log, the crash reporter, the sign-in window as early as it can show.

What follows (the database, signing in, the main window) is sclerochart.open_and_run, loaded once the
database layers are (sclerochart.start_order).
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from types import TracebackType

import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QTimer,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from sclerochart import __version__, paths
from sclerochart.start_order import BELOW_THE_WINDOW
from sclerochart.ui.sign_in_dialog import SignInDialog
from sclerochart.ui.waiting import while_answering

CRASH_TITLE = "Something went wrong"
CRASH_MESSAGE = (
    "Something went wrong inside ScleroChart. What you had saved is safe; the details are in the log file "
    "(Help → Open log folder). If it happens again, tell whoever looks after ScleroChart."
)

log = logging.getLogger(__name__)


class CrashReporter(QObject):
    """Every unexpected exception is logged with its traceback and told to the user in plain words.

    Its hooks are `sys.excepthook` (Python code Qt calls: slots, timers, event handlers) and
    `threading.excepthook` while `reporting_crashes` is in force. The message opens from the event loop, never
    inside the hook, and one at a time: errors while it is open are logged and counted, not shown again. An
    error at the place of one already shown is shown again only after `quiet_s` seconds without it, so an error
    that comes back at every repaint cannot keep the user in a loop of messages.
    """

    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None, quiet_s: float = 30.0) -> None:
        super().__init__(parent)
        self.quiet_s = quiet_s
        self.logged = 0
        """Unexpected exceptions logged so far."""
        self.shown = 0
        """Messages the user was shown."""
        self.unseen = 0
        """Exceptions that came while the message was open (logged, not shown)."""
        self.is_open = False
        self._last_seen: dict[tuple[str, str, int], float] = {}
        # From the GUI thread `_arrive` runs inside the hook, from another thread it is queued; either way the
        # message opens at the next turn of the event loop. (No Qt.ConnectionType: Qt's namespace of enums takes
        # 12 ms to load, and this runs before the sign-in window shows.)
        self._arrived.connect(self._arrive)

    def excepthook(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        """For `sys.excepthook`."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        self._report(kind, error, trace, threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """For `threading.excepthook`: an exception that ended a Python thread."""
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        self._report(args.exc_type, args.exc_value, args.exc_traceback, name)

    def _report(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None, thread: str
    ) -> None:
        self.logged += 1
        log.error("unexpected error (thread %s); the user is told", thread, exc_info=(kind, error, trace))
        if sys.stderr is not None:  # a terminal, when there is one (a windowed bundle on Windows has none)
            traceback.print_exception(kind, error, trace, file=sys.stderr)
        frames = traceback.extract_tb(trace) if trace is not None else []
        where = (
            (kind.__qualname__, frames[-1].filename, frames[-1].lineno or 0) if frames else (kind.__qualname__, "", 0)
        )
        self._arrived.emit(where)

    @Slot(object)
    def _arrive(self, where: tuple[str, str, int]) -> None:
        QTimer.singleShot(0, partial(self._tell, where))

    def _tell(self, where: tuple[str, str, int]) -> None:
        now = time.monotonic()
        last = self._last_seen.get(where)
        self._last_seen[where] = now
        if self.is_open:
            self.unseen += 1
            return
        if last is not None and now - last < self.quiet_s:
            return  # the same error again, just after the user was told of it: logged only
        self.is_open = True
        unseen_before = self.unseen
        try:
            QMessageBox.warning(QApplication.activeWindow(), CRASH_TITLE, CRASH_MESSAGE)
        finally:
            self.is_open = False
            self._last_seen[where] = time.monotonic()
        self.shown += 1
        if self.unseen > unseen_before:
            log.info("%d more unexpected errors while the message was open (logged above)", self.unseen - unseen_before)


@contextmanager
def reporting_crashes() -> Iterator[CrashReporter]:
    """Unexpected exceptions go to a CrashReporter (logged, then told) until the block ends; then the hooks before."""
    reporter = CrashReporter(QCoreApplication.instance())
    before, thread_before = sys.excepthook, threading.excepthook
    sys.excepthook, threading.excepthook = reporter.excepthook, reporter.thread_excepthook
    try:
        yield reporter
    finally:
        sys.excepthook, threading.excepthook = before, thread_before
        reporter.deleteLater()


def run_application(database: str | None, *, early: bool = False) -> int:
    """Open the database (creating it on first use) and show the main window; returns the exit code.

    `early`: the database looks ready to open (sclerochart.start_order.opens_early), so the sign-in window is
    shown at once, and the log file is set up and the database layers load in a thread behind it; otherwise
    the log file is set up first. An unexpected error anywhere in the window is logged and told
    (`CrashReporter`), never lost.
    """
    if not early:
        start_log()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    QGuiApplication.setDesktopFileName("sclerochart")  # the desktop entry's name: the task bar shows its icon
    QGuiApplication.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "sclerochart.png")))
    code = 1
    door: SignInDialog | None = None
    try:
        with reporting_crashes():
            if early:
                door = SignInDialog(None)
                door.setModal(True)  # Qt makes a window modal when it is shown, not when its exec() begins later
                door.show()
                load_while_shown(BELOW_THE_WINDOW, first=start_log)
            if door is not None and door.isHidden():
                code = 0  # Quit pressed while the database layers loaded
            else:
                from sclerochart.open_and_run import run  # after the layers below it loaded

                code = run(database, app, door)
    except Exception:
        log.exception("ScleroChart stopped on an unexpected error")
        if door is not None:
            door.hide()  # the message alone: nobody signs in to a program that stopped
        QMessageBox.warning(None, CRASH_TITLE, CRASH_MESSAGE)
    log.info("stop: exit code %d", code)
    return code


def load_while_shown(modules: Sequence[str], first: Callable[[], None] | None = None) -> None:
    """Import `modules` in a thread (after calling `first` there) while Qt's event loop runs; returns when done.

    The windows shown stay painted and responsive meanwhile. What `first` or an import raised is raised here.
    """

    def load() -> None:
        started = time.perf_counter()
        try:
            if first is not None:
                first()
            for name in modules:
                importlib.import_module(name)
        finally:
            log.debug("database layers loaded behind the sign-in window in %.2f s", time.perf_counter() - started)

    while_answering(load, "load-database-layers")


def start_log() -> None:
    """Set the log file up (a folder that cannot be written only loses the file) and write the start-up line."""
    from sclerochart.logs import setup_logging  # logging.handlers and its company: not before the first window

    try:
        setup_logging()
    except OSError as error:
        log.warning("no log file could be made in %s (%s): the program goes on without one", paths.log_dir(), error)
    log_start()


def log_start() -> None:
    """The start-up line: this program's version and what it runs on (nothing about the records)."""
    import platform  # behind the first window

    log.info(
        "start: ScleroChart %s, Python %s, PySide6 %s (Qt %s), %s%s",
        __version__,
        platform.python_version(),
        PySide6.__version__,
        qVersion(),
        platform.platform(),
        ", bundled" if getattr(sys, "frozen", False) else ", from source",
    )
