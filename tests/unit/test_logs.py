"""The log file: where it goes, its format, rotation, permissions, and what migrations and backups write in it."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy.exc

from sclerochart import logs, paths
from sclerochart.services import backups, patients
from sclerochart.services.context import ServiceContext
from sclerochart.store.backups import BackupError
from sclerochart.store.database import open_database
from sclerochart.store.engine import make_engine, parse_target
from sclerochart.store.migrate import head_revision, upgrade
from tests.conftest import FixedClock, patient_draft

posix_only = pytest.mark.skipif(os.name != "posix", reason="owner-only permissions are POSIX modes")
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ")


@pytest.fixture(autouse=True)
def _log_closed_after() -> Iterator[None]:
    """Each test's log file is closed after it, and the program's logger is left as it was."""
    logger = logging.getLogger(logs.LOGGER_NAME)
    level = logger.level
    yield
    logs.stop_logging()
    logger.setLevel(level)


def _flushed_text(path: Path) -> str:
    for handler in logging.getLogger(logs.LOGGER_NAME).handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_lines_go_into_a_file_in_the_given_folder_with_iso_time_level_and_logger(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    logging.getLogger("sclerochart.store.example").info("opened session %s in %.2f s", "s-1", 0.25)
    logging.getLogger("sclerochart.store.example").debug("not at INFO")
    logging.getLogger("elsewhere").warning("another library's line")  # not the program's: not in its file

    assert path == tmp_path / "logs" / "sclerochart.log"
    lines = _flushed_text(path).splitlines()
    assert len(lines) == 1
    assert LINE.match(lines[0]), lines[0]
    assert lines[0].endswith(" INFO sclerochart.store.example: opened session s-1 in 0.25 s")
    assert logs.log_file() == path


def test_the_default_folder_is_the_user_log_folder_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.LOG_DIR_VARIABLE, raising=False)
    assert paths.APP_NAME in paths.log_dir().parts  # platformdirs' user log folder; not created here
    monkeypatch.setenv(paths.LOG_DIR_VARIABLE, str(tmp_path / "here"))
    assert logs.setup_logging() == tmp_path / "here" / "sclerochart.log"


def test_the_file_rotates_and_keeps_a_fixed_number_of_older_files(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path, max_bytes=2_000, backup_count=2)
    logger = logging.getLogger("sclerochart.test")
    for number in range(200):
        logger.info("line %03d %s", number, "x" * 40)

    _flushed_text(path)
    names = sorted(entry.name for entry in tmp_path.iterdir())
    assert names == ["sclerochart.log", "sclerochart.log.1", "sclerochart.log.2"]
    assert all((tmp_path / name).stat().st_size <= 2_000 for name in names)
    assert "line 199" in path.read_text(encoding="utf-8")
    assert "line 000" not in "".join((tmp_path / name).read_text(encoding="utf-8") for name in names)


def test_setting_up_twice_adds_no_second_file_and_another_folder_moves_the_log(tmp_path: Path) -> None:
    first = logs.setup_logging(tmp_path / "a")
    assert logs.setup_logging(tmp_path / "a") == first
    logging.getLogger("sclerochart.test").warning("once")
    assert _flushed_text(first).count("once") == 1
    files = [h for h in logging.getLogger(logs.LOGGER_NAME).handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1

    second = logs.setup_logging(tmp_path / "b")
    logging.getLogger("sclerochart.test").warning("moved")
    assert "moved" not in _flushed_text(first)
    assert "moved" in _flushed_text(second)
    files = [h for h in logging.getLogger(logs.LOGGER_NAME).handlers if isinstance(h, logging.FileHandler)]
    assert len(files) == 1


@posix_only
def test_the_folder_and_every_file_are_for_the_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        path = logs.setup_logging(tmp_path / "logs", max_bytes=300, backup_count=1)
        for number in range(20):
            logging.getLogger("sclerochart.test").info("line %d %s", number, "y" * 40)
        _flushed_text(path)
    finally:
        os.umask(old_umask)
    assert (tmp_path / "logs").stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "logs" / "sclerochart.log.1").stat().st_mode & 0o777 == 0o600


def test_slow_work_is_logged_as_a_warning_only_over_its_threshold(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="sclerochart"):
        assert not logs.log_slow("backup of clinic.sqlite3", 0.5, threshold=1.0)
        assert logs.log_slow("backup of clinic.sqlite3", 2.345, threshold=1.0)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "slow: backup of clinic.sqlite3 took 2.35 s")
    ]


def test_a_database_errors_echo_of_statement_parameters_is_hidden(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path)
    error = sqlalchemy.exc.IntegrityError(
        "INSERT INTO patients (family_name) VALUES (?)", ("Łukasiewicz",), Exception("UNIQUE constraint failed")
    )
    try:
        raise error
    except sqlalchemy.exc.IntegrityError:
        logging.getLogger("sclerochart.test").exception("unexpected")

    written = _flushed_text(path)
    assert "UNIQUE constraint failed" in written and "Traceback" in written
    assert "[parameters hidden]" in written
    assert "Łukasiewicz" not in written


def test_migrations_and_backups_are_logged_with_revisions_and_sizes_and_no_patient_data(
    tmp_path: Path, db_path: Path
) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    engine = make_engine(parse_target(str(db_path)), create=True)
    with engine.begin() as connection:
        upgrade(connection, "0001")
    engine.dispose()
    db = open_database(str(db_path))  # from 0001, with a copy before the upgrade
    try:
        draft = patient_draft(chart_number="LOG-7731")
        ctx = ServiceContext(db, "tester", FixedClock())
        patients.create_patient(ctx, draft)
        backups.make_backup(ctx)
    finally:
        db.close()
    fresh = open_database(str(tmp_path / "new.sqlite3"))  # from nothing
    fresh.close()

    written = _flushed_text(path)
    head = head_revision()
    migrations = [line for line in written.splitlines() if " sclerochart.store.database: migrat" in line]
    assert len(migrations) == 4, written
    assert f"migrating {db_path} from revision 0001 to {head}" in migrations[0]
    assert re.search(rf"migrated {re.escape(str(db_path))} from revision 0001 to {head} in \d+\.\d\d s", migrations[1])
    assert "from revision (none: new)" in migrations[2] and "new.sqlite3" in migrations[3]
    assert re.search(rf"backup made and verified: .*clinic-before-{head}-.* \(\d+ bytes, schema 0001,", written)
    assert re.search(r"backup made and verified: .*clinic-manual.* \(\d+ bytes, schema \w+, 1 patients", written)
    for private in (draft.family_name, draft.given_name, draft.chart_number, "1980-02-29"):
        assert private not in written


def test_a_failed_backup_is_logged_with_its_reason(tmp_path: Path, db_path: Path) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    db = open_database(str(db_path))
    try:
        ctx = ServiceContext(db, "tester", FixedClock())
        not_a_folder = tmp_path / "a file"
        not_a_folder.write_text("")
        with pytest.raises(BackupError):
            backups.make_backup(ctx, not_a_folder)
    finally:
        db.close()
    written = _flushed_text(path)
    assert re.search(r"WARNING sclerochart\.store\.backups: backup of .* failed after \d+\.\d\d s: ", written)
    assert "that is a file, not a folder" in written
