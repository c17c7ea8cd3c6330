"""Builds every object once (database, services context, window) and runs the Qt application."""

from __future__ import annotations

import logging
import platform
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from sclerochart import __version__, paths
from sclerochart.domain.backups import BackupCopy
from sclerochart.domain.errors import DamagedError, UserError
from sclerochart.domain.values import Practitioner
from sclerochart.logs import setup_logging
from sclerochart.services import backups
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext, actor_label, wall_clock
from sclerochart.store.backups import list_copies
from sclerochart.store.database import Database, open_database
from sclerochart.store.engine import parse_target
from sclerochart.store.errors import DatabaseCorruptError, EncryptedDatabaseError, WrongPassphraseError
from sclerochart.ui.first_start_dialog import FirstStartDialog
from sclerochart.ui.passphrase_dialog import ask_passphrase
from sclerochart.ui.recovery import EMPTY, ask_recovery
from sclerochart.ui.restore_dialog import Lister
from sclerochart.ui.sign_in_dialog import SignInDialog
from sclerochart.ui.warm_up import WarmUp

CANNOT_START = "ScleroChart cannot start"

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
        self._arrived.connect(self._tell, Qt.ConnectionType.QueuedConnection)

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


def run_application(database: str | None) -> int:
    """Open the database (creating it on first use) and show the main window; returns the exit code.

    After a restore chosen in the window, the restored database is opened and signed in to again; a
    database found damaged while in use offers its newest verified copy. The log file is set up first; an
    unexpected error anywhere in the window is logged and told (`CrashReporter`), never lost.
    """
    try:
        setup_logging()
    except OSError as error:
        log.warning("no log file could be made in %s (%s): the program goes on without one", paths.log_dir(), error)
    log_start()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    QGuiApplication.setDesktopFileName("sclerochart")  # the desktop entry's name: the task bar shows its icon
    QGuiApplication.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "sclerochart.png")))
    code = 1
    try:
        with reporting_crashes():
            code = _run_application(database, app)
    except Exception:
        log.exception("ScleroChart stopped on an unexpected error")
        QMessageBox.warning(None, CRASH_TITLE, CRASH_MESSAGE)
    log.info("stop: exit code %d", code)
    return code


def log_start() -> None:
    """The start-up line: this program's version and what it runs on (nothing about the records)."""
    log.info(
        "start: ScleroChart %s, Python %s, PySide6 %s (Qt %s), %s%s",
        __version__,
        platform.python_version(),
        PySide6.__version__,
        qVersion(),
        platform.platform(),
        ", bundled" if getattr(sys, "frozen", False) else ", from source",
    )


def log_database(db: Database) -> None:
    """Which database is in use: its kind and its name as shown to users (a URL never with its password)."""
    log.info(
        "database: %s %s%s%s",
        db.engine.dialect.name,
        db.display,
        ", encrypted" if db.passphrase is not None else "",
        ", read-only" if db.read_only else "",
    )


def _run_application(database: str | None, app: QCoreApplication) -> int:
    try:
        if database is None:
            paths.private_folder(paths.data_dir())
        where = database or paths.default_database()
        db = _open_or_recover(where)
    except (UserError, OSError) as error:
        _cannot_start(error)
        return 1
    still_seated: Practitioner | None = None
    while db is not None:
        log_database(db)
        passphrase = db.passphrase
        ended = _run_window(app, db, still_seated)
        still_seated = None
        if ended.damaged is not None:
            if not _recover(where, ended.damaged.message):
                return 1
        elif ended.restore is None:
            return ended.code
        elif not _restore(where, ended.restore, ended.who, passphrase):
            still_seated = ended.person  # nothing was replaced: the same person goes on without a new sign-in
        try:
            db = _open_asking_passphrase(where)
        except (UserError, OSError) as error:
            _cannot_start(error)
            return 1
    return 0


def _cannot_start(error: UserError | OSError) -> None:
    message = f"{error.message}\n\n{error.hint}" if isinstance(error, UserError) else str(error)
    log.warning("cannot start: %s: %s", type(error).__name__, error.message if isinstance(error, UserError) else error)
    QMessageBox.critical(None, CANNOT_START, message.strip())


@dataclass(frozen=True)
class WindowEnded:
    """How a window's run ended: its exit code, a restore asked for (by whom), or damage found."""

    code: int
    restore: BackupCopy | None = None
    who: str = ""
    person: Practitioner | None = None
    damaged: DamagedError | None = None


def _run_window(app: QCoreApplication, db: Database, seated: Practitioner | None = None) -> WindowEnded:
    """Sign in (unless `seated` goes on) and run the window until it closes."""
    # Nobody acts until someone signs in: every change names the practitioner, never the computer's user.
    ctx = ServiceContext(db, actor="")
    api = ServiceApi(ctx)
    try:
        try:
            first_start = api.needs_setup()
        except DamagedError as error:
            return WindowEnded(1, damaged=error)
        except UserError as error:
            _cannot_start(error)
            return WindowEnded(1)
        path = db.target.path
        copies = backups.copies_for(path) if first_start and path is not None else ()
        if copies and path is not None:
            problem = f"{EMPTY}, but there are checked backups of a clinic for it."
            choice = ask_recovery(path, problem, copies, _lister(path), wall_clock())
            if isinstance(choice, BackupCopy):
                return WindowEnded(0, choice, backups.who_at_this_computer())
            if choice == "quit":
                return WindowEnded(0)
        if seated is not None and not first_start:
            ctx.seat.person = seated
        else:
            door = FirstStartDialog(api) if first_start else SignInDialog(api)
            WarmUp(door, then=api.prepare_search)  # the main window's modules load while the door waits
            if door.exec() != QDialog.DialogCode.Accepted:
                damaged = getattr(door, "damaged", None)
                return WindowEnded(1 if damaged else 0, damaged=damaged)
        from sclerochart.ui.main_window import MainWindow  # loaded ahead while the sign-in window waited

        window = MainWindow(api)
        window.show()
        code = app.exec()
        person = api.signed_in()
        who = actor_label(person) if person is not None else backups.who_at_this_computer()
        return WindowEnded(code, window.backups.restore_wanted, who, person, window.backups.damaged)
    finally:
        db.close()


def _recover(where: str, problem: str) -> bool:
    """The recovery choice for a database found damaged (or empty with copies); False: quit."""
    path = parse_target(where).path
    copies = backups.copies_for(path) if path is not None else ()
    if path is None or not copies:
        QMessageBox.critical(
            None, CANNOT_START, f"{problem}\n\nThere is no verified backup of it. Ask whoever looks after the computer."
        )
        return False
    choice = ask_recovery(path, problem, copies, _lister(path), wall_clock())
    return isinstance(choice, BackupCopy) and _restore(where, choice, backups.who_at_this_computer())


def _open_or_recover(where: str) -> Database | None:
    """The database; a missing or damaged file with verified copies asks first. None: the user chose to quit."""
    path = parse_target(where).path
    if path is not None and not path.exists():
        copies = backups.copies_for(path)
        if copies:
            choice = ask_recovery(path, None, copies, _lister(path), wall_clock())
            if choice == "quit":
                return None
            if isinstance(choice, BackupCopy) and not _restore(where, choice, backups.who_at_this_computer()):
                return None
    try:
        return _open_asking_passphrase(where)
    except DatabaseCorruptError as error:
        if path is None or not backups.copies_for(path):
            raise
        return _open_asking_passphrase(where) if _recover(where, error.message) else None


def _open_asking_passphrase(where: str) -> Database | None:
    """Open the database; an encrypted one asks for the clinic passphrase until it opens or the user cancels.

    Cancelled after a wrong passphrase (SQLCipher cannot tell a wrong one from a damaged file), the verified
    copies are offered when there are any.
    """
    passphrase: str | None = None
    tried = False
    while True:
        try:
            return open_database(where, passphrase=passphrase)
        except (EncryptedDatabaseError, WrongPassphraseError) as error:
            tried = tried or isinstance(error, WrongPassphraseError)
            passphrase = ask_passphrase(where, wrong=isinstance(error, WrongPassphraseError))
            if passphrase is not None:
                continue
            path = parse_target(where).path
            if not tried or path is None or not backups.copies_for(path):
                return None
            problem = "The passphrase typed does not open the encrypted database, or the file is damaged."
            if not _recover(where, problem):
                return None
            passphrase, tried = None, False


def _lister(path: Path) -> Lister:
    def listed(folder: Path | None) -> tuple[BackupCopy, ...]:
        return backups.copies_for(path) if folder is None else tuple(list_copies(folder))

    return listed


def _restore(where: str, copy: BackupCopy, who: str, passphrase: str | None = None) -> bool:
    """Restore the copy in the database's place; False (after saying why) when it failed."""
    path = parse_target(where).path
    assert path is not None, "only a database file is restored from the window"
    if copy.encrypted and passphrase is None:
        passphrase = ask_passphrase(copy.name)
        if passphrase is None:
            return False
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a few seconds for a large clinic
    try:
        done = backups.restore(path, copy, who, wall_clock(), passphrase)
    except backups.RestoredWithProblem as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(None, "Backup restored, with a problem", f"{error.message}\n\n{error.hint}".strip())
        return True  # the copy is in place: whoever goes on signs in to it
    except UserError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(None, "Backup not restored", f"{error.message}\n\n{error.hint}".strip())
        return False
    QApplication.restoreOverrideCursor()
    aside = (
        f"\n\nThe database it replaced is kept in the same folder as {done.saved_aside.name}."
        if done.saved_aside
        else ""
    )
    QMessageBox.information(
        None,
        "Backup restored",
        f"The copy made on {copy.made_at:%d %b %Y at %H:%M} is restored: it holds {copy.holds.in_words()}.{aside}\n\n"
        + (f"{done.note}\n\n" if done.note else "")
        + "Sign in to go on.",
    )
    return True
