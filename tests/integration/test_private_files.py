"""Files that others cannot read: the database, its log files, its folder and its copies are the owner's alone."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sclerochart import paths
from sclerochart.cli import main
from sclerochart.store.backups import take_backup
from sclerochart.store.database import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file permission bits are a POSIX matter")


@pytest.fixture(params=[0o022, 0o000], ids=["umask 022", "umask 000"])
def loose_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """A umask that would leave new files readable by others (or writable by anyone)."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_log_files_are_the_owners_alone(tmp_path: Path, loose_umask: int) -> None:
    path = tmp_path / "clinic.sqlite3"
    db = open_database(str(path))
    try:
        with db.write() as tx:
            tx.connection().exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        wal = path.with_name(path.name + "-wal")
        assert mode(path) == 0o600
        assert wal.exists() and mode(wal) == 0o600
    finally:
        db.close()


def test_the_default_data_folder_is_the_owners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: int
) -> None:
    folder = tmp_path / "new" / "data"
    monkeypatch.setenv(paths.DATA_DIR_VARIABLE, str(folder))
    assert main(["demo", "--patients", "2"]) == 0  # the first command that writes creates the folder and the clinic
    assert mode(folder) == 0o700
    assert mode(Path(paths.default_database())) == 0o600


def test_a_copy_is_never_looser_than_its_original(tmp_path: Path, loose_umask: int) -> None:
    path = tmp_path / "clinic.sqlite3"
    open_database(str(path)).close()
    copy = take_backup(path, tmp_path / "Backups", "test", dt.datetime(2026, 11, 26, 9, 0)).path
    assert mode(copy) == 0o600
