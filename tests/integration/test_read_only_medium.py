"""A database on a disk that cannot be written (a read-only mount): read as it is, and changes refused in words."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.services import accounts
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD
from sclerochart.services.outcome_figures import outcome_figures
from sclerochart.store.database import open_database
from sclerochart.store.errors import DatabaseReadOnlyError

pytestmark = pytest.mark.sqlite_only


def _mount(*arguments: str) -> bool:
    done = subprocess.run(["mount", *arguments], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """A small disk with a demo clinic on it, then mounted read-only (needs the right to mount: root)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=20m", "tmpfs", str(folder)):
        pytest.skip("mounting a small disk needs root (CI runs as root)")
    try:
        assert main(["--db", str(folder / "clinic.sqlite3"), "demo", "--patients", "5"]) == 0
        assert _mount("-o", "remount,ro", str(folder))
        yield folder / "clinic.sqlite3"
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_clinic_on_a_read_only_disk_is_read_and_never_changed(
    read_only_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(path.name for path in read_only_disk.parent.iterdir())
    capsys.readouterr()
    assert main(["--db", str(read_only_disk), "patients"]) == 0
    assert "D000001" in capsys.readouterr().out
    db = open_database(str(read_only_disk))
    try:
        assert db.read_only
        ctx = ServiceContext(db, actor="")
        person = accounts.sign_in(ctx, "ana", DEMO_PASSWORD)  # looked up, not counted: nothing can be written
        assert person.login == "ana"
        with pytest.raises(DatabaseReadOnlyError, match="disk that cannot be written"), db.write():
            pass
        # The kept outcome sums cannot be brought up to date there: the figures are worked out from every site.
        figures = outcome_figures(ctx)
        assert figures.total().sites > 0 and figures.total().followed_up >= figures.total().rated
    finally:
        db.close()
    monkeypatch.setenv("SCLEROCHART_PASSWORD", DEMO_PASSWORD)
    assert main(["--db", str(read_only_disk), "--user", "ana", "sessions", "D000001"]) == 0
    assert main(["--db", str(read_only_disk), "backup"]) == 1, "not into the read-only disk"
    assert "cannot be written" in capsys.readouterr().err
    assert main(["--db", str(read_only_disk), "backup", "--to", str(read_only_disk.parent.parent / "usb")]) == 0
    assert sorted(path.name for path in read_only_disk.parent.iterdir()) == before, "no -wal, -shm or copy"


def test_changes_waiting_in_the_wal_of_a_read_only_disk_are_read_and_copied(tmp_path: Path) -> None:
    import shutil
    import sqlite3

    from sclerochart.services import backups, patients
    from tests.conftest import NOW, patient_draft

    source = tmp_path / "clinic.sqlite3"
    db = open_database(str(source))
    ctx = ServiceContext(db, "t", lambda: NOW)
    keeper = sqlite3.connect(source)  # keeps the -wal from being emptied into the file
    keeper.execute("PRAGMA wal_autocheckpoint = 0")
    keeper.execute("SELECT 1 FROM patients").fetchall()
    patients.create_patient(ctx, patient_draft(chart_number="W-1"))
    assert source.with_name("clinic.sqlite3-wal").stat().st_size > 0
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=20m", "tmpfs", str(disk)):
        pytest.skip("mounting a small disk needs root (CI runs as root)")
    try:
        for name in ("clinic.sqlite3", "clinic.sqlite3-wal", "clinic.sqlite3-shm"):
            shutil.copyfile(tmp_path / name, disk / name)  # as a disk gone read-only would hold them
        keeper.close()
        db.close()
        assert _mount("-o", "remount,ro", str(disk))
        on_disk = open_database(str(disk / "clinic.sqlite3"))
        try:
            assert on_disk.read_only
            assert [hit.chart_number for hit in patients.search_patients(ServiceContext(on_disk, "t"), "W-1")] == [
                "W-1"
            ]
            copy = backups.make_backup(ServiceContext(on_disk, "t", lambda: NOW), tmp_path / "usb")
        finally:
            on_disk.close()
        assert copy.holds.patients == 1, "the change waiting in the -wal is in the copy too"
    finally:
        subprocess.run(["umount", str(disk)], check=False)
