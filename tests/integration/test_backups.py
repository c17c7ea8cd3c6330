"""Verified backups: a copy checked before it gets its name, rotated, listed, and restored in the database's place."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from sclerochart.domain.backups import Keep, copies_to_keep
from sclerochart.domain.errors import UserError, ValidationError
from sclerochart.services import backups, clinic
from sclerochart.services import patients as patient_service
from sclerochart.services.context import ServiceContext
from sclerochart.store.backups import (
    BackupError,
    default_folder,
    list_copies,
    pointer_path,
    read_copy,
    take_backup,
)
from sclerochart.store.database import open_database
from sclerochart.store.integrity import run_checks
from sclerochart.store.restore import restore_copy
from tests.conftest import NOW, FixedClock, patient_draft


def _patients(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [str(row[0]) for row in connection.execute("SELECT chart_number FROM patients ORDER BY chart_number")]
    finally:
        connection.close()


@pytest.mark.sqlite_only
def test_a_backup_is_a_verified_described_copy_of_the_database(ctx: ServiceContext, db_path: Path) -> None:
    patient_service.create_patient(ctx, patient_draft(chart_number="A-1", family_name="Ашкенази"))
    copy = backups.make_backup(ctx)
    assert copy.path.parent == default_folder(db_path) and copy.path.is_file()
    assert copy.name == "clinic-manual-20261123-103000.sqlite3"
    assert copy.holds.patients == 1 and copy.holds.rows["patients"] == 1
    assert copy.schema and copy.size == copy.path.stat().st_size
    assert _patients(copy.path) == ["A-1"]
    assert read_copy(copy.path) == copy, "the description beside the copy says the same"
    assert not list(copy.path.parent.glob("*.partial")), "nothing half-written is left"
    state = backups.backup_state(ctx)
    assert state.last == copy and not state.stale(NOW) and state.stale(NOW + dt.timedelta(hours=25))
    assert pointer_path(db_path).is_file(), "the folder is remembered beside the database"


@pytest.mark.sqlite_only
def test_a_copy_is_taken_from_one_moment_while_another_room_is_writing(ctx: ServiceContext, db_path: Path) -> None:
    patient_service.create_patient(ctx, patient_draft(chart_number="A-1"))
    other_room = sqlite3.connect(db_path, isolation_level=None)
    other_room.execute("BEGIN IMMEDIATE")
    other_room.execute("UPDATE patients SET notes = 'half-way' WHERE chart_number = 'A-1'")
    try:
        copy = backups.make_backup(ctx)  # does not wait for the writer, and does not see its unfinished change
    finally:
        other_room.execute("ROLLBACK")
        other_room.close()
    connection = sqlite3.connect(copy.path)
    assert connection.execute("SELECT notes FROM patients").fetchone() == ("",)
    connection.close()


@pytest.mark.sqlite_only
def test_rotation_keeps_seven_days_four_weeks_twelve_months(ctx: ServiceContext, clock: FixedClock) -> None:
    start = dt.datetime(2025, 1, 1, 18, 0)
    made = []
    for day in range(400):
        for hour in (9, 13):  # two copies a day: rotation keeps the newest of the day
            clock.now = start + dt.timedelta(days=day, hours=hour - 18)
            made.append(backups.make_backup(ctx, reason="scheduled"))
    kept = backups.list_backups(ctx)
    newest = made[-1].made_at
    assert kept[0].made_at == newest
    days = {copy.made_at.date() for copy in kept}
    assert {newest.date() - dt.timedelta(days=n) for n in range(7)} <= days
    assert [copy.made_at.hour for copy in kept[:2]] == [13, 9], "every copy of the last 24 hours"
    assert all(copy.made_at.hour == 13 for copy in kept[2:]), "then the newest copy of each day, week and month"
    months = {(copy.made_at.year, copy.made_at.month) for copy in kept}
    assert len(months) == 12
    assert 13 <= len(kept) <= 1 + 7 + 4 + 12
    assert {copy.path for copy in kept} == copies_to_keep(made, Keep())


@pytest.mark.sqlite_only
def test_a_pre_upgrade_copy_and_other_files_in_the_folder(ctx: ServiceContext, db_path: Path) -> None:
    folder = default_folder(db_path)
    folder.mkdir()
    foreign = folder / "holiday-photos.sqlite3"
    foreign.write_bytes(b"not ours")
    other_clinic = folder / "other-manual-20200101-000000.sqlite3"
    other_clinic.write_bytes(b"another database's copy, with no description")
    copy = backups.make_backup(ctx)
    assert foreign.exists() and other_clinic.exists(), "rotation touches only this database's described copies"
    assert backups.list_backups(ctx) == (copy,)


@pytest.mark.sqlite_only
def test_a_folder_that_cannot_be_written_is_refused_in_words(ctx: ServiceContext, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(BackupError, match="cannot be written") as caught:
        backups.make_backup(ctx, folder=blocker / "Backups")
    assert "Plug in the backup drive" in caught.value.hint
    with pytest.raises(ValidationError, match="cannot be written"):
        clinic.change_settings(ctx, {"backup_folder": str(blocker / "Backups")}, clinic.settings_version(ctx))
    with pytest.raises(ValidationError, match="full path"):
        clinic.change_settings(ctx, {"backup_folder": "relative/folder"}, clinic.settings_version(ctx))
    chosen = tmp_path / "usb" / "ScleroChart copies"
    clinic.change_settings(ctx, {"backup_folder": str(chosen)}, clinic.settings_version(ctx))
    assert backups.make_backup(ctx).path.parent == chosen


@pytest.mark.sqlite_only
def test_restore_puts_the_copy_in_place_saves_the_old_file_aside_and_records_who(
    ctx: ServiceContext, db_path: Path
) -> None:
    patient_service.create_patient(ctx, patient_draft(chart_number="A-1"))
    copy = backups.make_backup(ctx)
    patient_service.create_patient(ctx, patient_draft(chart_number="A-2"))
    ctx.db.close()
    later = NOW + dt.timedelta(hours=5)
    done = backups.restore(db_path, copy, "Dr. Ana Müller (ana)", later)
    assert _patients(db_path) == ["A-1"]
    assert done.saved_aside is not None and _patients(done.saved_aside) == ["A-1", "A-2"], "nothing is lost"
    reopened = open_database(str(db_path))
    try:
        assert all(result.ok for result in run_checks(reopened)), "the audit chain goes on from the copy's"
    finally:
        reopened.close()
    connection = sqlite3.connect(db_path)
    last = connection.execute("SELECT actor, action, entity_id FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    connection.close()
    assert last == ("Dr. Ana Müller (ana)", "restore", copy.name)


@pytest.mark.sqlite_only
def test_a_copy_changed_after_it_was_made_is_never_restored(ctx: ServiceContext, db_path: Path) -> None:
    copy = backups.make_backup(ctx)
    data = bytearray(copy.path.read_bytes())
    data[5000] ^= 0xFF
    copy.path.write_bytes(bytes(data))
    ctx.db.close()
    before = db_path.read_bytes()
    with pytest.raises(BackupError, match="changed or damaged"):
        restore_copy(copy, db_path, NOW)
    assert db_path.read_bytes() == before, "the database was not touched"


@pytest.mark.sqlite_only
def test_a_database_open_in_another_window_is_not_replaced(ctx: ServiceContext, db_path: Path) -> None:
    copy = backups.make_backup(ctx)
    other_window = sqlite3.connect(db_path)
    other_window.execute("SELECT count(*) FROM patients").fetchone()
    ctx.db.close()
    with pytest.raises(BackupError, match="open in another ScleroChart window"):
        restore_copy(copy, db_path, NOW)
    other_window.close()


@pytest.mark.sqlite_only
def test_a_deleted_database_is_found_again_from_its_copies(ctx: ServiceContext, db_path: Path, tmp_path: Path) -> None:
    chosen = tmp_path / "usb"
    clinic.change_settings(ctx, {"backup_folder": str(chosen)}, clinic.settings_version(ctx))
    patient_service.create_patient(ctx, patient_draft(chart_number="A-1"))
    copy = backups.make_backup(ctx)
    ctx.db.close()
    for leftover in db_path.parent.glob("clinic.sqlite3*"):
        if not leftover.name.endswith(".backups.json"):
            leftover.unlink()
    assert backups.copies_for(db_path) == (copy,), "the folder remembered beside the database is searched"
    done = backups.restore(db_path, copy, backups.who_at_this_computer(), NOW)
    assert done.saved_aside is None and _patients(db_path) == ["A-1"]


@pytest.mark.sqlite_only
def test_a_copy_is_refused_when_its_description_is_missing(tmp_path: Path) -> None:
    stray = tmp_path / "clinic-manual-20261123-103000.sqlite3"
    stray.write_bytes(b"SQLite format 3\x00")
    with pytest.raises(UserError, match="not a verified ScleroChart backup"):
        backups.read_copy(stray)
    assert list_copies(tmp_path) == []


@pytest.mark.sqlite_only
def test_take_backup_names_two_copies_of_one_second_apart(db_path: Path, tmp_path: Path) -> None:
    open_database(str(db_path)).close()
    first = take_backup(db_path, tmp_path / "b", "manual", NOW)
    second = take_backup(db_path, tmp_path / "b", "manual", NOW)
    assert first.path != second.path and second.name == "clinic-manual-2-20261123-103000.sqlite3"


def test_the_window_does_not_copy_a_server_database(ctx: ServiceContext, engine: str) -> None:
    if engine == "sqlite":
        assert backups.backup_state(ctx).folder is not None
        return
    with pytest.raises(backups.ServerBackupsElsewhere, match="database server"):
        backups.make_backup(ctx)
    assert backups.backup_state(ctx).folder is None


@pytest.mark.sqlite_only
def test_a_file_whose_beginning_was_overwritten_is_damaged_not_encrypted(ctx: ServiceContext, db_path: Path) -> None:
    import os

    from sclerochart.store.errors import DatabaseCorruptError, EncryptedDatabaseError

    backups.make_backup(ctx)
    ctx.db.close()
    with db_path.open("r+b") as file:
        file.write(os.urandom(4096 * 3))  # random bytes over the start: it looks like an encrypted file
    with pytest.raises(DatabaseCorruptError, match="beginning can no longer be read"):
        open_database(str(db_path))
    pointer_path(db_path).unlink()
    with pytest.raises(EncryptedDatabaseError, match="or it is damaged"):
        open_database(str(db_path))  # nothing tells it was plain: it may be encrypted


@pytest.mark.sqlite_only
def test_a_backup_of_a_damaged_database_blames_the_database_not_the_drive(ctx: ServiceContext, db_path: Path) -> None:
    from sclerochart.services import demo
    from sclerochart.store.errors import DatabaseCorruptError

    demo.generate_demo(ctx, 20, seed=2)
    ctx.db.engine.dispose()
    size = db_path.stat().st_size
    with db_path.open("r+b") as file:
        file.seek(size // 2)
        file.write(b"\xff" * 8192)  # a stretch in the middle overwritten
    with pytest.raises(DatabaseCorruptError, match="itself is damaged") as caught:
        backups.make_backup(ctx)
    assert "Restore the newest verified backup" in caught.value.hint


@pytest.mark.sqlite_only
def test_a_wal_left_without_its_database_is_kept_aside_and_never_read_into_the_copy(
    ctx: ServiceContext, db_path: Path
) -> None:
    patient_service.create_patient(ctx, patient_draft(chart_number="A-1"))
    copy = backups.make_backup(ctx)
    patient_service.create_patient(ctx, patient_draft(chart_number="A-2"))
    wal = db_path.with_name(db_path.name + "-wal")
    left = wal.read_bytes()  # the -wal as a crash would leave it, with A-2 in it
    assert len(left) > 0
    ctx.db.close()
    db_path.unlink()
    wal.write_bytes(left)
    backups.restore(db_path, copy, "t", NOW)
    assert _patients(db_path) == ["A-1"], "the orphaned -wal was not applied to the restored file"
    assert list(db_path.parent.glob("clinic-orphaned-*-wal")), "it is kept, under another name"
