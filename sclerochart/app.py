"""Builds every object once (database, services context, window) and runs the Qt application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from sclerochart import paths
from sclerochart.domain.errors import UserError
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.ui.first_start_dialog import FirstStartDialog
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.sign_in_dialog import SignInDialog


def run_application(database: str | None) -> int:
    """Open the database (creating it on first use) and show the main window; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    try:
        if database is None:
            paths.private_folder(paths.data_dir())
        db = open_database(database or paths.default_database())
    except (UserError, OSError) as error:
        message = f"{error.message}\n\n{error.hint}" if isinstance(error, UserError) else str(error)
        QMessageBox.critical(None, "ScleroChart cannot start", message.strip())
        return 1
    # Nobody acts until someone signs in: every change names the practitioner, never the computer's user.
    api = ServiceApi(ServiceContext(db, actor=""))
    try:
        first_start = api.needs_setup()
    except UserError as error:
        QMessageBox.critical(None, "ScleroChart cannot start", f"{error.message}\n\n{error.hint}".strip())
        db.close()
        return 1
    door = FirstStartDialog(api) if first_start else SignInDialog(api)
    if door.exec() != QDialog.DialogCode.Accepted:
        db.close()
        return 0
    window = MainWindow(api)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
