"""An unexpected exception in the window: logged with its traceback, told once in plain words, never lost."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from sclerochart import __version__, paths
from sclerochart.app import CRASH_MESSAGE, CRASH_TITLE, log_start, reporting_crashes
from sclerochart.domain.errors import UserError
from sclerochart.open_and_run import log_database
from sclerochart.store.database import Database
from sclerochart.store.engine import parse_target
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.tasks import TaskRunner

TOLD = f"{CRASH_TITLE}: {CRASH_MESSAGE}"


def boom() -> None:
    raise RuntimeError("a bug in a slot")


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "sclerochart.app" and r.levelno == logging.ERROR]


def test_an_exception_in_a_slot_is_logged_with_its_traceback_and_told_once(
    qtbot: QtBot, window: MainWindow, warnings: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    hook_before = sys.excepthook
    with reporting_crashes() as reporter:
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: reporter.shown == 1)
        qtbot.wait(50)
    assert sys.excepthook is hook_before  # pytest-qt's own hook is back

    assert warnings == [TOLD]
    assert "Help → Open log folder" in CRASH_MESSAGE and "What you had saved is safe" in CRASH_MESSAGE
    [record] = _errors(caplog)
    logged = caplog.text
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback (most recent call last)" in logged and "in boom" in logged and "a bug in a slot" in logged
    assert window.isVisible()  # the window goes on


def test_errors_while_the_message_is_open_open_no_second_message(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    told: list[str] = []

    def message_box(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        told.append(f"{title}: {text}")
        QTimer.singleShot(0, boom)  # more errors while it is open (its own event loop runs)
        QTimer.singleShot(0, lambda: [][1])
        qtbot.wait(100)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", message_box)
    caplog.set_level(logging.INFO, logger="sclerochart")
    with reporting_crashes() as reporter:
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: reporter.logged == 3 and not reporter.is_open)
        qtbot.wait(50)

    assert told == [TOLD]
    assert (reporter.shown, reporter.unseen) == (1, 2)
    assert len(_errors(caplog)) == 3
    assert "2 more unexpected errors while the message was open" in caplog.text


def test_the_same_error_just_after_is_logged_but_not_told_again(
    qtbot: QtBot, window: MainWindow, warnings: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with reporting_crashes() as reporter:
        for _ in range(3):  # as from a repaint that fails every time
            QTimer.singleShot(0, boom)
            qtbot.waitUntil(lambda: not reporter.is_open)
            qtbot.wait(20)
        assert (reporter.logged, reporter.shown) == (3, 1)
        reporter.quiet_s = 0.0  # the same error again later is told again
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: reporter.shown == 2)
    assert warnings == [TOLD, TOLD]
    assert len(_errors(caplog)) == 4


def test_an_exception_that_ends_a_thread_is_logged_and_told(
    qtbot: QtBot, window: MainWindow, warnings: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    with reporting_crashes() as reporter:
        worker = threading.Thread(target=boom, name="exporter")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.shown == 1)
    assert warnings == [TOLD]
    [record] = _errors(caplog)
    assert "thread exporter" in record.getMessage() and "a bug in a slot" in caplog.text


def test_help_opens_the_log_folder(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    monkeypatch.setenv(paths.LOG_DIR_VARIABLE, str(paths.data_dir().parent / "logs"))
    [entry] = [a for a in window.findChildren(QAction) if a.text() == "Open &log folder"]
    entry.trigger()
    assert [url.toLocalFile() for url in opened] == [str(paths.log_dir())]
    assert paths.log_dir().is_dir()


def test_background_work_that_fails_unexpectedly_is_logged_with_its_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    runner = TaskRunner()
    failures: list[UserError] = []
    runner.run(boom, lambda _result: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert "a bug in a slot" in failures[0].message
    [record] = [r for r in caplog.records if r.name == "sclerochart.ui.tasks"]
    assert record.levelno == logging.ERROR and "Traceback" in caplog.text and "in boom" in caplog.text


def test_the_start_lines_name_the_versions_and_the_database_never_its_password(
    caplog: pytest.LogCaptureFixture, db: Database
) -> None:
    caplog.set_level(logging.INFO, logger="sclerochart")
    log_start()
    log_database(db)
    url = "postgresql://clinic:s3cret@db.example/sclerochart"
    server = Database(create_engine(parse_target(url).url), parse_target(url))  # never connected
    log_database(server)
    server.close()
    start, local, remote = (r.getMessage() for r in caplog.records)
    assert start.startswith(
        f"start: ScleroChart {__version__}, Python {sys.version.split()[0]}, PySide6 {pyside_version}"
    )
    assert local == f"database: sqlite {db.display}"
    assert remote == "database: postgresql postgresql://clinic:***@db.example/sclerochart"
    assert "s3cret" not in caplog.text
