"""Encryption at rest: SQLCipher with the clinic passphrase, whole-file conversion both ways, encrypted backups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.services import backups
from sclerochart.services import patients as patient_service
from sclerochart.services.context import ServiceContext
from sclerochart.store.backups import BackupError
from sclerochart.store.database import open_database
from sclerochart.store.encryption import EncryptionError, decrypt_file, encrypt_file
from sclerochart.store.engine import SQLITE_HEADER, looks_encrypted
from sclerochart.store.errors import EncryptedDatabaseError, WrongPassphraseError
from sclerochart.store.integrity import run_checks
from tests.conftest import NOW, patient_draft

PASSPHRASE = "Lindenbaum am Brunnen 7"
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def clinic(ctx: ServiceContext, db_path: Path) -> Path:
    patient_service.create_patient(ctx, patient_draft(chart_number="E-1", family_name="Ødegård"))
    ctx.db.close()
    return db_path


def test_an_encrypted_file_opens_only_with_its_passphrase(clinic: Path) -> None:
    encrypt_file(clinic, PASSPHRASE)
    assert clinic.read_bytes()[:16] != SQLITE_HEADER and looks_encrypted(clinic)
    assert "Ødegård".encode() not in clinic.read_bytes(), "no name readable on the disk"
    with pytest.raises(EncryptedDatabaseError, match="encrypted with the clinic's passphrase"):
        open_database(str(clinic))
    with pytest.raises(WrongPassphraseError, match="does not open"):
        open_database(str(clinic), passphrase="lindenbaum am brunnen 7")
    db = open_database(str(clinic), passphrase=PASSPHRASE)
    try:
        assert all(result.ok for result in run_checks(db))
        assert patient_service.search_patients(ServiceContext(db, "t"), "E-1")[0].family_name == "Ødegård"
    finally:
        db.close()
    decrypt_file(clinic, PASSPHRASE)
    assert clinic.read_bytes()[:16] == SQLITE_HEADER
    with sqlite3.connect(clinic) as connection:
        assert connection.execute("SELECT family_name FROM patients").fetchone() == ("Ødegård",)


def test_the_backups_of_an_encrypted_file_are_encrypted_and_restore_with_the_passphrase(clinic: Path) -> None:
    encrypt_file(clinic, PASSPHRASE)
    db = open_database(str(clinic), passphrase=PASSPHRASE)
    copy = backups.make_backup(ServiceContext(db, "t", lambda: NOW))
    db.close()
    assert copy.encrypted and looks_encrypted(copy.path) and copy.holds.patients == 1
    with pytest.raises(BackupError, match="encrypted, and no clinic passphrase"):
        backups.restore(clinic, copy, "t", NOW + dt.timedelta(hours=1))
    done = backups.restore(clinic, copy, "t", NOW + dt.timedelta(hours=1), PASSPHRASE)
    assert done.saved_aside is not None and looks_encrypted(done.saved_aside)
    open_database(str(clinic), passphrase=PASSPHRASE).close()


def test_conversion_is_whole_or_not_at_all(clinic: Path) -> None:
    before = clinic.read_bytes()
    with pytest.raises(EncryptionError, match="at least 10 characters"):
        encrypt_file(clinic, "short")
    blocker = clinic.with_name("clinic-converting.partial")
    blocker.mkdir()  # the converted copy cannot be written
    with pytest.raises(EncryptionError, match="could not be converted"):
        encrypt_file(clinic, PASSPHRASE)
    blocker.rmdir()
    assert clinic.read_bytes() == before
    other_window = sqlite3.connect(clinic)
    other_window.execute("SELECT 1 FROM patients").fetchall()
    with pytest.raises(EncryptionError, match="open in ScleroChart"):
        encrypt_file(clinic, PASSPHRASE)
    other_window.close()
    encrypt_file(clinic, PASSPHRASE)
    with pytest.raises(EncryptionError, match="already encrypted"):
        encrypt_file(clinic, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        decrypt_file(clinic, "not the passphrase")
    assert looks_encrypted(clinic)


def test_the_commands_encrypt_read_and_decrypt(
    clinic: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_NEW_DB_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(clinic), "encrypt"]) == 0
    assert "now encrypted" in capsys.readouterr().out
    assert main(["--db", str(clinic), "check"]) == 1
    assert "SCLEROCHART_DB_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("SCLEROCHART_DB_PASSPHRASE", "wrong passphrase")
    assert main(["--db", str(clinic), "check"]) == 1
    assert "does not open" in capsys.readouterr().err
    monkeypatch.setenv("SCLEROCHART_DB_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(clinic), "check"]) == 0
    assert main(["--db", str(clinic), "backup"]) == 0
    assert main(["--db", str(clinic), "decrypt"]) == 0
    assert not looks_encrypted(clinic)


def test_a_clinic_with_plain_backups_is_still_taken_for_encrypted_once_it_is(
    clinic: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(str(clinic))
    backups.make_backup(ServiceContext(db, "t", lambda: NOW))  # a plain copy from before the encryption
    db.close()
    encrypt_file(clinic, PASSPHRASE)
    with pytest.raises(EncryptedDatabaseError):
        open_database(str(clinic))  # not "damaged": it is remembered as encrypted now
    open_database(str(clinic), passphrase=PASSPHRASE).close()
    monkeypatch.setenv("SCLEROCHART_DB_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(clinic), "check"]) == 0
    assert main(["--db", str(clinic), "backup"]) == 0
    capsys.readouterr()
    assert main(["--db", str(clinic), "decrypt"]) == 0
