"""Builds every object once (database, services context, window) and runs the Qt application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from sclerochart import paths
from sclerochart.domain.backups import BackupCopy
from sclerochart.domain.errors import UserError
from sclerochart.services import backups
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext, actor_label, wall_clock
from sclerochart.store.backups import list_copies
from sclerochart.store.database import Database, open_database
from sclerochart.store.engine import parse_target
from sclerochart.store.errors import DatabaseCorruptError, EncryptedDatabaseError, WrongPassphraseError
from sclerochart.ui.first_start_dialog import FirstStartDialog
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.passphrase_dialog import ask_passphrase
from sclerochart.ui.recovery import ask_recovery
from sclerochart.ui.restore_dialog import Lister
from sclerochart.ui.sign_in_dialog import SignInDialog

CANNOT_START = "ScleroChart cannot start"


def run_application(database: str | None) -> int:
    """Open the database (creating it on first use) and show the main window; returns the exit code.

    After a restore chosen in the window, the restored database is opened and signed in to again.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    try:
        if database is None:
            paths.private_folder(paths.data_dir())
        where = database or paths.default_database()
        db = _open_or_recover(where)
    except (UserError, OSError) as error:
        _cannot_start(error)
        return 1
    while db is not None:
        passphrase = db.passphrase
        code, wanted, who = _run_window(app, db)
        if wanted is None:
            return code
        _restore(where, wanted, who, passphrase)  # a failure is said; the database as it was is opened again
        try:
            db = _open_asking_passphrase(where)
        except (UserError, OSError) as error:
            _cannot_start(error)
            return 1
    return 0


def _cannot_start(error: UserError | OSError) -> None:
    message = f"{error.message}\n\n{error.hint}" if isinstance(error, UserError) else str(error)
    QMessageBox.critical(None, CANNOT_START, message.strip())


def _run_window(app: QCoreApplication, db: Database) -> tuple[int, BackupCopy | None, str]:
    """Sign in and run the window; the exit code, the copy chosen for a restore (or None) and who chose it."""
    # Nobody acts until someone signs in: every change names the practitioner, never the computer's user.
    api = ServiceApi(ServiceContext(db, actor=""))
    try:
        try:
            first_start = api.needs_setup()
        except UserError as error:
            _cannot_start(error)
            return 1, None, ""
        door = FirstStartDialog(api) if first_start else SignInDialog(api)
        if door.exec() != QDialog.DialogCode.Accepted:
            return 0, None, ""
        window = MainWindow(api)
        window.show()
        code = app.exec()
        person = api.signed_in()
        who = actor_label(person) if person is not None else backups.who_at_this_computer()
        return code, window.backups.restore_wanted, who
    finally:
        db.close()


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
        copies = backups.copies_for(path) if path is not None else ()
        if not copies:
            raise
        choice = ask_recovery(path, f"{error.message}", copies, _lister(path), wall_clock()) if path else "quit"
        if not isinstance(choice, BackupCopy) or not _restore(where, choice, backups.who_at_this_computer()):
            return None
        return _open_asking_passphrase(where)


def _open_asking_passphrase(where: str) -> Database | None:
    """Open the database; an encrypted one asks for the clinic passphrase until it opens or the user cancels."""
    passphrase: str | None = None
    while True:
        try:
            return open_database(where, passphrase=passphrase)
        except (EncryptedDatabaseError, WrongPassphraseError) as error:
            passphrase = ask_passphrase(where, wrong=isinstance(error, WrongPassphraseError))
            if passphrase is None:
                return None


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
    except UserError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(None, "Backup not restored", f"{error.message}\n\n{error.hint}".strip())
        return False
    QApplication.restoreOverrideCursor()
    aside = f"\n\nThe database it replaced was saved as {done.saved_aside.name}, beside it." if done.saved_aside else ""
    QMessageBox.information(
        None,
        "Backup restored",
        f"The copy made on {copy.made_at:%d %b %Y at %H:%M} is restored: it holds {copy.holds.in_words()}.{aside}\n\n"
        "Sign in to go on.",
    )
    return True
