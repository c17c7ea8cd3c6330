"""The backup commands: 'backup' for a scheduled task, 'backups' to list, 'restore' that works without the database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.store import server_dump
from sclerochart.store.backups import list_copies


def _patients(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM patients").fetchone()[0])


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "12"]) == 0
    return path


def test_backup_list_and_restore_a_deleted_database(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usb = tmp_path / "usb"
    capsys.readouterr()
    assert main(["--db", str(clinic), "backup", "--to", str(usb)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Verified backup written: {usb}") and "holds 12 patients" in out
    assert main(["--db", str(clinic), "backups", "--in", str(usb)]) == 0
    listing = capsys.readouterr().out
    assert "made by the backup command" in listing and "12" in listing
    copy = list_copies(usb)[0]

    for file in clinic.parent.glob("clinic.sqlite3*"):
        if not file.name.endswith(".backups.json"):
            file.unlink()  # the database is deleted by mistake
    assert main(["--db", str(clinic), "restore", str(copy.path)]) == 2, "a script must say --yes"
    assert "Add --yes" in capsys.readouterr().err
    assert not clinic.exists()
    assert main(["--db", str(clinic), "restore", "--yes", str(copy.path)]) == 0
    assert "Restored." in capsys.readouterr().out
    assert _patients(clinic) == 12
    assert main(["--db", str(clinic), "check"]) == 0


def test_backups_says_when_there_is_none_and_restore_refuses_a_stray_file(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--db", str(clinic), "backups"]) == 1
    assert "No verified backup" in capsys.readouterr().out
    stray = tmp_path / "copied-by-hand.sqlite3"
    shutil.copyfile(clinic, stray)
    assert main(["--db", str(clinic), "restore", "--yes", str(stray)]) == 1
    assert "not a verified ScleroChart backup" in capsys.readouterr().err


def test_a_server_database_is_dumped_with_pg_dump(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--db", postgres_url, "demo", "--patients", "5"]) == 0
    capsys.readouterr()
    assert main(["--db", postgres_url, "backup", "--to", str(tmp_path / "dumps")]) == 0
    out = capsys.readouterr().out
    assert "Dump written and read back by pg_restore" in out and "holds 5 patients" in out
    (dump,) = (tmp_path / "dumps").glob("*.dump")
    assert dump.read_bytes().startswith(b"PGDMP"), "pg_dump's custom format"
    assert main(["--db", postgres_url, "restore", "--yes", str(dump)]) == 2
    assert "pg_restore" in capsys.readouterr().err

    monkeypatch.setattr(server_dump, "find_tool", lambda name: None)  # a computer without the client tools
    assert main(["--db", postgres_url, "backup", "--to", str(tmp_path / "dumps")]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "postgresql-client" in err
