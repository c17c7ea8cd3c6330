"""Backups from the window as a user meets them: made at start, by hand and at closing; restore and recovery.

Restore is chosen in the window, or offered at start for a missing or damaged database.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sclerochart import open_and_run as app
from sclerochart.domain.values import SessionDraft
from sclerochart.services import backups, patients, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.backups import list_copies
from sclerochart.store.database import open_database
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.restore_dialog import RestoreDialog
from tests.conftest import NOW, FixedClock, patient_draft
from tests.ui.helpers import DialogAnswers

pytestmark = pytest.mark.sqlite_only


def _charts(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [str(row[0]) for row in connection.execute("SELECT chart_number FROM patients ORDER BY 1")]


def _click(dialog: QDialog, text: str) -> None:
    for button in dialog.findChildren(QPushButton):
        if button.text() == text:
            button.click()
            return
    raise AssertionError(f"{dialog.windowTitle()} has no button {text!r}")


def _backed_up_then_deleted(ctx: ServiceContext, db_path: Path) -> None:
    """A clinic of one patient, copied once, whose database file (with its -wal and -shm) is then deleted."""
    patients.create_patient(ctx, patient_draft(chart_number="A-1"))
    backups.make_backup(ctx)
    ctx.db.close()
    for file in db_path.parent.glob("clinic.sqlite3*"):
        if not file.name.endswith(".backups.json"):
            file.unlink()


def _yes(box: QDialog) -> None:
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()


def _open_window(qtbot: QtBot, ctx: ServiceContext) -> MainWindow:
    window = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_without_a_recent_backup_the_window_says_so_and_makes_one(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, warnings: list[str], clock: FixedClock
) -> None:
    window = _open_window(qtbot, ctx)
    qtbot.waitUntil(lambda: "Last verified backup" in window.backups.status.text(), timeout=10_000)
    assert len(list_copies(db_path.parent / "Backups")) == 1
    clock.now += dt.timedelta(hours=5)
    window.backups._when_due()  # the ten-minute look: the line moves on with the time
    qtbot.waitUntil(
        lambda: "(5 hours ago)" in window.backups.status.text() or "a few minutes" in window.backups.status.text()
    )
    qtbot.waitUntil(lambda: len(list_copies(db_path.parent / "Backups")) == 2, timeout=10_000)  # 4 h: one is due
    qtbot.waitUntil(lambda: not window.backups.tasks.busy)
    clock.now += dt.timedelta(hours=1)
    window.backups.back_up_action.trigger()
    qtbot.waitUntil(lambda: len(list_copies(db_path.parent / "Backups")) == 3, timeout=10_000)
    qtbot.waitUntil(lambda: not window.backups.tasks.busy)
    assert "Backup made and checked (0 patients" in window.statusBar().currentMessage()
    clock.now += dt.timedelta(hours=4)
    window.close()
    names = [copy.reason for copy in list_copies(db_path.parent / "Backups")]
    assert sorted(names) == ["at-close", "manual", "scheduled", "scheduled"], "and one when the program closes"
    assert warnings == []


def test_a_failing_backup_folder_is_shown_not_hidden(
    qtbot: QtBot, ctx: ServiceContext, tmp_path: Path, warnings: list[str]
) -> None:
    from sclerochart.services import clinic

    folder = tmp_path / "usb"
    clinic.change_settings(ctx, {"backup_folder": str(folder)}, clinic.settings_version(ctx))
    folder.rmdir()
    folder.parent.joinpath("usb").write_text("the drive is gone; a file stands in its place")
    window = _open_window(qtbot, ctx)
    qtbot.waitUntil(lambda: "Backup failed" in window.backups.status.text(), timeout=10_000)
    assert "cannot be written" in window.backups.status.toolTip()
    window.close()
    assert warnings and "Backup not made" in warnings[0] and "safe in the database" in warnings[0]


def test_restore_chosen_in_the_window_replaces_the_database_and_reopens(
    qtbot: QtBot, db_path: Path, clock: FixedClock, dialogs: DialogAnswers, warnings: list[str]
) -> None:
    db = open_database(str(db_path))
    ctx = ServiceContext(db, "tester", clock)
    patients.create_patient(ctx, patient_draft(chart_number="A-1"))
    copy = backups.make_backup(ctx)
    patient = patients.create_patient(ctx, patient_draft(chart_number="A-2"))
    sessions.start_session(ctx, patient.id, SessionDraft(None, clock(), weight_kg=70.0))
    window = _open_window(qtbot, ctx)

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        assert dialog.model.rowCount() >= 1 and "holds 1 patient" in dialog.details.text()
        dialog.table.selectRow([c.path for c in dialog.model.copies].index(copy.path))
        dialogs.answer(_yes)  # "Restore the copy made on …?"
        _click(dialog, "Restore this copy…")

    dialogs.answer(choose)
    window.backups.choose_restore()
    assert window.backups.restore_wanted == copy and not window.isVisible()
    assert not [c for c in list_copies(db_path.parent / "Backups") if c.reason == "at-close"], "no copy at close"
    db.close()
    dialogs.answer(lambda box: box.done(0))  # "Backup restored … Sign in to go on."
    assert app._restore(str(db_path), copy, "Dr. Ana Müller (ana)")
    assert _charts(db_path) == ["A-1"]
    (aside,) = db_path.parent.glob("clinic-replaced-*.sqlite3")
    assert _charts(aside) == ["A-1", "A-2"], "what was there is kept aside"


def test_a_deleted_database_is_offered_its_newest_backup_at_start(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    _backed_up_then_deleted(ctx, db_path)

    def missing(box: QDialog) -> None:
        assert box.windowTitle() == "The database is missing"
        assert isinstance(box, QMessageBox) and "holds 1 patient" in box.informativeText()
        dialogs.answer(lambda done: done.done(0))  # "Backup restored"
        _click(box, "Restore the newest backup")

    dialogs.answer(missing)
    db = app._open_or_recover(str(db_path))
    assert db is not None
    db.close()
    assert _charts(db_path) == ["A-1"]


def test_a_damaged_database_is_never_a_new_clinic_and_its_backup_is_offered(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    patients.create_patient(ctx, patient_draft(chart_number="A-1"))
    backups.make_backup(ctx)
    ctx.db.close()
    for sidecar in ("-wal", "-shm"):
        db_path.with_name(db_path.name + sidecar).unlink(missing_ok=True)
    db_path.write_bytes(b"\x00" * 4096 * 3)  # the disk lost the file's contents

    def damaged(box: QDialog) -> None:
        assert box.windowTitle() == "The database is damaged"
        assert "Start a new, empty clinic" not in [b.text() for b in box.findChildren(QPushButton)]
        _click(box, "Quit")

    dialogs.answer(damaged)
    assert app._open_or_recover(str(db_path)) is None
    assert db_path.read_bytes() == b"\x00" * 4096 * 3, "nothing was written over it"


def test_an_encrypted_database_asks_for_the_clinic_passphrase_until_it_opens(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from sclerochart.store.encryption import encrypt_file

    ctx.db.close()
    encrypt_file(db_path, "Lindenbaum am Brunnen 7")
    labels: list[str] = []

    def answer_with(text: str) -> Callable[[QDialog], None]:
        def type_it(dialog: QDialog) -> None:
            assert isinstance(dialog, QInputDialog)
            labels.append(dialog.labelText())
            dialog.setTextValue(text)
            dialog.accept()
            if text == "wrong passphrase":
                dialogs.answer(answer_with("Lindenbaum am Brunnen 7"))

        return type_it

    dialogs.answer(answer_with("wrong passphrase"))
    db = app._open_asking_passphrase(str(db_path))
    assert db is not None and db.passphrase == "Lindenbaum am Brunnen 7"
    assert db.engine.pool.status().endswith("size: 0"), "the thread that opened it keeps no connection (one each)"
    with db.read() as tx:  # used here, where the window runs
        assert tx.connection().exec_driver_sql("SELECT count(*) FROM patients").scalar() is not None
    db.close()
    assert "are encrypted" in labels[0] and "does not open" in labels[1]


def test_damage_found_in_use_closes_the_window_for_the_recovery(
    qtbot: QtBot, ctx: ServiceContext, dialogs: DialogAnswers
) -> None:
    from sclerochart.store.errors import DatabaseCorruptError

    window = _open_window(qtbot, ctx)
    qtbot.waitUntil(lambda: not window.backups.tasks.busy)
    said: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    dialogs.answer(read)
    window.show_error(DatabaseCorruptError("The file x is damaged or is not a ScleroChart database.", "Restore it."))
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.backups.damaged is not None and "offers to restore the newest verified backup" in said[0]


def test_an_empty_database_beside_copies_of_a_clinic_asks_before_a_new_clinic(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    _backed_up_then_deleted(ctx, db_path)
    db = open_database(str(db_path))  # as after "Start a new, empty clinic", or a file made by hand

    def restore_it(box: QDialog) -> None:
        assert box.windowTitle() == "The database holds no clinic"
        _click(box, "Restore the newest backup")

    dialogs.answer(restore_it)
    ended = app._run_window(QApplication.instance(), db)  # type: ignore[arg-type]
    assert ended.restore is not None and ended.restore.holds.patients == 1


def test_recovery_asks_before_starting_a_new_empty_clinic(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    from sclerochart.ui.recovery import ask_recovery

    patients.create_patient(ctx, patient_draft(chart_number="A-1"))
    copies = (backups.make_backup(ctx),)
    asked: list[str] = []

    def new_clinic(box: QDialog) -> None:
        def but_no(sure: QDialog) -> None:
            asked.append(sure.windowTitle())
            assert isinstance(sure, QMessageBox)
            sure.button(QMessageBox.StandardButton.No).click()
            dialogs.answer(lambda again: _click(again, "Quit"))

        dialogs.answer(but_no)
        _click(box, "Start a new, empty clinic")

    dialogs.answer(new_clinic)
    assert ask_recovery(db_path, None, copies, lambda _folder: copies, NOW) == "quit"
    assert asked == ["Start a new, empty clinic?"]


def test_a_wrong_passphrase_then_cancel_offers_the_backups(
    qtbot: QtBot, ctx: ServiceContext, db_path: Path, dialogs: DialogAnswers
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from sclerochart.store.encryption import encrypt_file

    backups.make_backup(ctx)
    ctx.db.close()
    encrypt_file(db_path, "Lindenbaum am Brunnen 7")
    seen: list[str] = []

    def wrong(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("not it at all")
        dialog.accept()
        dialogs.answer(cancel)

    def cancel(dialog: QDialog) -> None:
        dialogs.answer(offered)
        dialog.reject()

    def offered(box: QDialog) -> None:
        seen.append(box.windowTitle())
        _click(box, "Quit")

    dialogs.answer(wrong)
    assert app._open_asking_passphrase(str(db_path)) is None
    assert seen == ["The database is damaged"]
