"""Opens the clinic's database and runs the main window on it until the program ends.

Recovery of a damaged or missing file, the passphrase of an encrypted one, the first start, signing in, and a
restore chosen in the window (after which the restored database is opened and signed in to again).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy
from sclerochart.domain.errors import DamagedError, UserError
from sclerochart.domain.values import Practitioner
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
from sclerochart.ui.waiting import while_answering
from sclerochart.ui.warm_up import WarmUp

CANNOT_START = "ScleroChart cannot start"

log = logging.getLogger(__name__)


def log_database(db: Database) -> None:
    """Which database is in use: its kind and its name as shown to users (a URL never with its password)."""
    log.info(
        "database: %s %s%s%s",
        db.engine.dialect.name,
        db.display,
        ", encrypted" if db.passphrase is not None else "",
        ", read-only" if db.read_only else "",
    )


def run(database: str | None, app: QCoreApplication, door: SignInDialog | None = None) -> int:
    """Open the database (creating it on first use) and run the window on it; returns the exit code.

    `door`: the sign-in window already shown while the database layers loaded (sclerochart.start_order);
    it is used once the database is open, or closed when something else must come first.
    """
    shown = [door]

    def put_away() -> None:  # a recovery comes first: whoever goes on signs in to what it gives
        _close(shown[0])
        shown[0] = None

    def given_up() -> bool:  # Quit pressed on the sign-in window while the database opened: nothing more is asked
        return shown[0] is not None and shown[0].isHidden()

    try:
        if database is None:
            paths.private_folder(paths.data_dir())
        where = database or paths.default_database()
        db = _open_or_recover(where, before_asking=put_away, given_up=given_up)
    except (UserError, OSError) as error:
        if given_up():
            log.info("quit while the database opened; it could not be opened: %s", error)
            _close(shown[0])
            return 0
        put_away()
        _cannot_start(error)
        return 1
    if given_up():
        if db is not None:
            db.close()
        _close(shown[0])
        return 0
    door = shown[0]
    still_seated: Practitioner | None = None
    while db is not None:
        log_database(db)
        passphrase = db.passphrase
        ended = _run_window(app, db, still_seated, door)
        door = None
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
    _close(door)
    return 0


def _close(door: SignInDialog | None) -> None:
    """The early sign-in window is not wanted after all (an error, a recovery, a first start)."""
    if door is not None:
        door.hide()
        door.deleteLater()


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


def _run_window(
    app: QCoreApplication, db: Database, seated: Practitioner | None = None, door: SignInDialog | None = None
) -> WindowEnded:
    """Sign in (unless `seated` goes on; on `door` when it is already shown) and run the window until it closes."""
    # Nobody acts until someone signs in: every change names the practitioner, never the computer's user.
    ctx = ServiceContext(db, actor="")
    api = ServiceApi(ctx)
    try:
        try:
            first_start = api.needs_setup()
        except DamagedError as error:
            _close(door)
            return WindowEnded(1, damaged=error)
        except UserError as error:
            _close(door)
            _cannot_start(error)
            return WindowEnded(1)
        if first_start or seated is not None:
            _close(door)
            door = None
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
            shown: QDialog
            if door is not None:
                door.attach(api)
                shown = door
            else:
                shown = FirstStartDialog(api) if first_start else SignInDialog(api)
            WarmUp(shown, then=api.prepare_search)  # the main window's modules load while the door waits
            if shown.exec() != QDialog.DialogCode.Accepted:
                damaged = getattr(shown, "damaged", None)
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


def _open_or_recover(
    where: str, before_asking: Callable[[], None] = lambda: None, given_up: Callable[[], bool] = lambda: False
) -> Database | None:
    """The database; a missing or damaged file with verified copies asks first. None: the user chose to quit.

    `before_asking` is called before a recovery is offered (the early sign-in window goes then); once `given_up`
    says the user quit meanwhile, nothing is asked (None).
    """
    path = parse_target(where).path
    if path is not None and not path.exists():
        copies = backups.copies_for(path)
        if copies:
            before_asking()
            choice = ask_recovery(path, None, copies, _lister(path), wall_clock())
            if choice == "quit":
                return None
            if isinstance(choice, BackupCopy) and not _restore(where, choice, backups.who_at_this_computer()):
                return None
    try:
        return _open_asking_passphrase(where, given_up)
    except DatabaseCorruptError as error:
        if path is None or not backups.copies_for(path):
            raise
        if given_up():
            return None
        before_asking()
        return _open_asking_passphrase(where) if _recover(where, error.message) else None


def _open_asking_passphrase(where: str, given_up: Callable[[], bool] = lambda: False) -> Database | None:
    """Open the database; an encrypted one asks for the clinic passphrase until it opens or the user cancels.

    It opens in a thread while the windows shown stay answering. Cancelled after a wrong passphrase (SQLCipher
    cannot tell a wrong one from a damaged file), the verified copies are offered when there are any. Once
    `given_up` says the user quit meanwhile, nothing is asked (None).
    """
    passphrase: str | None = None
    tried = False
    while True:
        try:
            return while_answering(partial(_open_here, where, passphrase), "open-database")
        except (EncryptedDatabaseError, WrongPassphraseError) as error:
            if given_up():
                return None
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


def _open_here(where: str, passphrase: str | None) -> Database:
    """`open_database`, leaving no connection to this thread (an encrypted file's driver keeps one per thread)."""
    db = open_database(where, passphrase=passphrase)
    db.release_thread_connections()
    return db


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
