"""The sign-in window shows before the database layers load, and signing in waits for them when it must."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart import open_and_run
from sclerochart.domain.accounts import AccountDraft
from sclerochart.services import accounts
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD
from sclerochart.start_order import opens_early
from sclerochart.store.errors import DatabaseLockedError
from sclerochart.ui.sign_in_dialog import OPENING, SignInDialog
from tests.signing import PASSWORD


def _type(field: QLineEdit, text: str) -> None:
    field.clear()
    field.insert(text)


def test_sign_in_pressed_before_the_database_is_open_signs_in_once_it_is(qtbot: QtBot, ctx: ServiceContext) -> None:
    accounts.set_up_clinic(ctx, {"clinic_name": "Praxis"}, AccountDraft("Dr. Ana Müller", "ana"), PASSWORD)
    accounts.sign_out(ctx)
    door = SignInDialog(None)
    qtbot.addWidget(door)
    assert OPENING in door.intro.text()
    _type(door.login, "ana")
    _type(door.password, PASSWORD)
    assert not door.try_sign_in()
    assert door.sign_in_button.text() == "Signing in…" and not door.sign_in_button.isEnabled()
    assert not door.message.isVisibleTo(door)  # waiting is no refusal
    api = ServiceApi(ctx)
    door.attach(api)
    assert api.display in door.intro.text() and OPENING not in door.intro.text()
    qtbot.waitUntil(lambda: door.result() == QDialog.DialogCode.Accepted)
    assert door.person is not None and door.person.login == "ana"
    assert api.signed_in() == door.person


def test_a_wrong_password_typed_early_is_refused_once_the_database_is_open(qtbot: QtBot, ctx: ServiceContext) -> None:
    accounts.set_up_clinic(ctx, {"clinic_name": "Praxis"}, AccountDraft("Dr. Ana Müller", "ana"), PASSWORD)
    accounts.sign_out(ctx)
    door = SignInDialog(None)
    qtbot.addWidget(door)
    _type(door.login, "ana")
    _type(door.password, "not the password")
    door.try_sign_in()
    door.attach(ServiceApi(ctx))
    qtbot.waitUntil(lambda: "not right" in door.message.text())
    assert door.sign_in_button.isEnabled() and door.sign_in_button.text() == "Sign in"
    assert door.result() != QDialog.DialogCode.Accepted and door.password.text() == ""


def test_only_a_database_that_looks_ready_opens_early(tmp_path: Path) -> None:
    ready = tmp_path / "clinic.sqlite3"
    sqlite3.connect(ready).execute("CREATE TABLE t (x)").connection.close()
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    (tmp_path / "encrypted.sqlite3").write_bytes(os.urandom(4096))
    assert opens_early(str(ready))
    assert opens_early("postgresql://room@server/clinic")
    assert not opens_early(str(tmp_path / "missing.sqlite3"))  # a first start, or a recovery, comes first
    assert not opens_early(str(tmp_path / "empty.sqlite3"))
    assert not opens_early(str(tmp_path / "encrypted.sqlite3"))  # its passphrase comes first
    assert not opens_early(str(tmp_path))  # a folder: the program says what is wrong
    assert not opens_early(f"sqlite:///{ready}")
    assert not opens_early("bad\x00name")


_OPENED = """
def opened(database, started=launch.open_window):
    # The program started as `sclerochart --db FILE`, Watch put on its application; prints REPORT at the end.
    app = QApplication(sys.argv)
    watch = Watch()
    app.installEventFilter(watch)
    code = started(database)
    print(json.dumps({"code": code, **REPORT}))
    return code

launch.open_window = opened
sys.exit(launch.main(["--db", sys.argv[1]]))
"""


THE_PROGRAM = (
    """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sclerochart import launch

seen = {}

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            kind = type(watched).__name__
            if kind == "SignInDialog" and "door" not in seen:
                seen["door"] = sorted({"sqlalchemy", "sclerochart.store.database"} & set(sys.modules))
                if sys.argv[2] == "quit":
                    QTimer.singleShot(0, watched.reject)
                else:
                    watched.login.setText("ana")
                    watched.password.setText(sys.argv[3])
                    QTimer.singleShot(0, watched.sign_in_button.click)  # pressed at once, before the layers load
            if kind == "MainWindow":
                seen["main window"] = watched.api.signed_in().login
                QTimer.singleShot(0, watched.close)
        return False

REPORT = seen
"""
    + _OPENED
)


@pytest.fixture(scope="module")
def demo_clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sclerochart.cli import main

    path = tmp_path_factory.mktemp("early") / "clinic.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "5"]) == 0
    return path


def _program(*args: str, script: str = THE_PROGRAM) -> dict[str, object]:
    """Run `script` as the program (offscreen) with `args`; the report it printed last."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


def test_the_program_shows_the_sign_in_window_before_the_database_layers_and_signs_in_when_they_are_there(
    demo_clinic: Path,
) -> None:
    seen = _program(str(demo_clinic), "sign in", DEMO_PASSWORD)
    assert seen["door"] == []  # neither SQLAlchemy nor our database layer was loaded when it showed
    assert seen["main window"] == "ana"
    assert seen["code"] == 0


def test_quit_while_the_database_layers_load_ends_the_program(demo_clinic: Path) -> None:
    seen = _program(str(demo_clinic), "quit", "")
    assert seen == {"code": 0, "door": []}


THROUGH_A_RECOVERY = (
    """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sclerochart import launch

seen = []

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            doors = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "SignInDialog" and w.isVisible()]
            kind = type(watched).__name__
            seen.append([kind, watched.windowTitle(), len(doors) - (kind == "SignInDialog")])
            if kind == "SignInDialog" and len(seen) == 1:  # the early door: the password typed, Sign in pressed
                watched.login.setText("ana")
                watched.password.setText(sys.argv[2])
                QTimer.singleShot(0, watched.sign_in_button.click)
            elif kind == "SignInDialog":
                QTimer.singleShot(0, watched.reject)  # asked to sign in again: enough seen
            elif isinstance(watched, QMessageBox):
                press = lambda box=watched: (box.defaultButton() or box.buttons()[0]).click()
                QTimer.singleShot(0, press)  # restore the newest copy; then OK
            elif kind == "MainWindow":
                QTimer.singleShot(0, watched.close)
        return False

REPORT = {"seen": seen}
"""
    + _OPENED
)


def test_a_damaged_file_puts_the_early_sign_in_window_away_and_after_the_restore_asks_for_a_sign_in_again(
    tmp_path: Path,
) -> None:
    from sclerochart.cli import main

    clinic = tmp_path / "clinic.sqlite3"
    assert main(["--db", str(clinic), "demo", "--patients", "5"]) == 0
    assert main(["--db", str(clinic), "backup"]) == 0
    with clinic.open("r+b") as file:  # pages after the header damaged: it still looks ready to open
        file.seek(4096)
        file.write(os.urandom(clinic.stat().st_size - 4096))
    assert opens_early(str(clinic))
    seen = _program(str(clinic), DEMO_PASSWORD, script=THROUGH_A_RECOVERY)["seen"]
    assert isinstance(seen, list)
    kinds = [kind for kind, _title, _doors_behind in seen]
    assert kinds[0] == "SignInDialog" and "MainWindow" not in kinds  # nobody signed in to the restored copy unasked
    assert kinds[-1] == "SignInDialog" and len(kinds) > 2  # the recovery's messages, then a sign-in of its own
    assert all(doors_behind == 0 for _kind, _title, doors_behind in seen[1:])  # the early door put away first


@pytest.mark.parametrize("opens", [True, False], ids=["opens", "cannot open"])
def test_the_sign_in_window_answers_while_the_database_opens_and_quit_ends_the_program_there(
    qtbot: QtBot, demo_clinic: Path, monkeypatch: pytest.MonkeyPatch, opens: bool
) -> None:
    """A server slow to answer, or a file another copy is upgrading: the window is painted, moved and quit meanwhile.

    Quit then ends the program quietly, whether the database opens in the end or not (nothing more is asked).
    """
    real_open = open_and_run.open_database  # type: ignore[attr-defined]

    def slow_open(*args: object, **kwargs: object) -> object:
        time.sleep(1.0)
        if not opens:
            raise DatabaseLockedError("The database is busy.", "Try again in a moment.")
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    said: list[str] = []
    monkeypatch.setattr(open_and_run, "open_database", slow_open)
    monkeypatch.setattr(QMessageBox, "critical", lambda *args, **_: said.append(str(args[2])))
    door = SignInDialog(None)
    qtbot.addWidget(door)
    door.show()
    turns: list[float] = []
    ticking = QTimer()
    ticking.timeout.connect(lambda: turns.append(time.monotonic()))
    ticking.start(50)
    QTimer.singleShot(400, door.reject)  # Quit, while the database still opens
    guard: list[str] = []

    def still_running() -> None:  # a hang fails the test instead of waiting for ever
        guard.append("still running")
        door.reject()

    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(still_running)
    watchdog.start(8_000)
    app = QApplication.instance()
    assert app is not None
    code = open_and_run.run(str(demo_clinic), app, door)
    ticking.stop()
    watchdog.stop()
    assert (code, guard, said) == (0, [], [])
    assert door.isHidden()
    assert len(turns) >= 5, "the event loop ran while the database opened (a frozen window gets no turn)"
