"""Opening databases: migrations from nothing and from an older revision, and every way a file can fail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text

from sclerochart.domain.catalogue import SEED_CATALOGUE
from sclerochart.domain.errors import ConflictError
from sclerochart.services import patients
from sclerochart.services.catalogue import list_presets, list_sclerosants
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from sclerochart.store.engine import make_engine, parse_target
from sclerochart.store.errors import (
    DatabaseAddressError,
    DatabaseCorruptError,
    DatabaseLockedError,
    DatabaseMissingError,
    DatabaseReadOnlyError,
    DiskFullError,
    NotOurDatabaseError,
    SchemaTooNewError,
)
from sclerochart.store.integrity import run_checks
from sclerochart.store.migrate import head_revision, upgrade
from sclerochart.store.models import Base
from tests.conftest import FixedClock, patient_draft


def revision_of(path: Path) -> str | None:
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def test_a_brand_new_file_comes_up_to_the_newest_revision_with_the_catalogue(db_path: Path) -> None:
    db = open_database(str(db_path))
    ctx = ServiceContext(db, "t")
    assert revision_of(db_path) == head_revision()
    agents = list_sclerosants(ctx)
    assert [a.name for a in agents] == [seed.name for seed in SEED_CATALOGUE]
    pol, sts, saline, glycerin = agents
    assert (pol.atc_code, pol.max_mg_per_kg_day, pol.max_foam_ml_session) == ("C05BB02", 2.0, 10.0)
    assert (sts.atc_code, sts.max_ml_session) == ("C05BB04", 10.0)
    for unverified in (saline, glycerin):
        assert unverified.atc_code is None
        assert (unverified.max_mg_per_kg_day, unverified.max_ml_session, unverified.max_foam_ml_session) == (None,) * 3
    assert [p.key for p in list_presets(ctx)] == [1, 2, 3, 4, 5, 6, 7]
    db.close()


def test_a_file_at_an_older_revision_is_backed_up_and_upgraded_keeping_its_data(db_path: Path) -> None:
    engine = make_engine(parse_target(str(db_path)), create=True)
    with engine.begin() as connection:
        upgrade(connection, "0001")
        connection.execute(
            text(
                "INSERT INTO patients (id, chart_number, family_name, given_name, sort_key, date_of_birth, sex, phone,"
                " email, address, allergies, history, notes, archived, created_at, updated_at) VALUES ('p1', 'OLD-1',"
                " 'Иванов', 'Дмитрий', 'иванов дмитрии', '1970-01-01', 'male', '', '', '', '', '[]', '', 0,"
                " '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
            )
        )
        connection.execute(text("INSERT INTO patient_search_terms (term, patient_id) VALUES ('иванов', 'p1')"))
    engine.dispose()
    assert revision_of(db_path) == "0001"

    db = open_database(str(db_path))
    ctx = ServiceContext(db, "t", FixedClock())
    assert revision_of(db_path) == head_revision()
    assert patients.get_patient(ctx, "p1").family_name == "Иванов"
    assert [hit.id for hit in patients.search_patients(ctx, "иван")] == ["p1"]  # search words were backfilled
    assert len(list_sclerosants(ctx)) == 4
    backups = list((db_path.parent / "Backups").glob("clinic-before-*.sqlite3"))
    assert len(backups) == 1
    assert revision_of(backups[0]) == "0001"
    db.close()


# The lot index is on an expression, which autogenerate cannot compare: test_lot_recall.py checks it on both engines.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrations_create_exactly_what_the_models_describe(db_url: str) -> None:
    open_database(db_url).close()
    engine = create_engine(parse_target(db_url).url)  # a plain engine: no settings of ours on its connections
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.sqlite_only
def test_every_connection_gets_the_safe_settings(db: Database) -> None:
    with db.read() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_missing_file_is_reported_when_it_must_exist(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError, match="There is no database"):
        open_database(str(tmp_path / "none.sqlite3"), create=False)
    with pytest.raises(DatabaseMissingError, match="folder"):
        open_database(str(tmp_path / "no-folder" / "x.sqlite3"))
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_damaged_file_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    content = b"this is not a database at all" * 200
    path.write_bytes(content)
    with pytest.raises(DatabaseCorruptError, match="damaged"):
        open_database(str(path))
    assert path.read_bytes() == content


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(NotOurDatabaseError, match="invoices"):
        open_database(str(path))


def test_a_database_from_a_newer_program_is_refused_untouched(db_path: Path) -> None:
    open_database(str(db_path)).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaTooNewError, match="newer version"):
        open_database(str(db_path))
    assert revision_of(db_path) == "9999"


def test_bad_addresses_are_explained(tmp_path: Path) -> None:
    with pytest.raises(DatabaseAddressError, match="in-memory"):
        open_database("sqlite://")
    with pytest.raises(DatabaseAddressError, match="cannot use a mysql"):
        open_database("mysql://user@host/db")
    with pytest.raises(DatabaseAddressError):
        open_database("   ")
    with pytest.raises(DatabaseAddressError, match="folder"):
        open_database(str(tmp_path))


def test_a_locked_database_says_so_and_saves_nothing(db_path: Path) -> None:
    open_database(str(db_path)).close()
    db = open_database(str(db_path), busy_timeout_ms=100)
    ctx = ServiceContext(db, "t", FixedClock())
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="in use by another program"):
            patients.create_patient(ctx, patient_draft())
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert patients.search_patients(ctx, "") == ()
    db.close()


def test_a_read_only_database_reads_but_refuses_changes_clearly(db_path: Path) -> None:
    setup = open_database(str(db_path))
    patients.create_patient(ServiceContext(setup, "t", FixedClock()), patient_draft())
    setup.close()
    # Tests run as root, which ignores file permissions: SQLite's read-only mode stands in for them.
    db = open_database(f"sqlite:///{db_path}?mode=ro")
    ctx = ServiceContext(db, "t", FixedClock())
    assert len(patients.search_patients(ctx, "zoe")) == 1
    with pytest.raises(DatabaseReadOnlyError, match="cannot be written"):
        patients.create_patient(ctx, patient_draft(chart_number="SC-2"))
    results = {r.name: r for r in run_checks(db)}
    assert not results["Accepts changes"].ok
    db.close()


def test_a_full_disk_is_reported_and_the_transaction_rolled_back(db_path: Path) -> None:
    db = open_database(str(db_path))
    ctx = ServiceContext(db, "t", FixedClock())
    patients.create_patient(ctx, patient_draft())

    @event.listens_for(db.engine, "connect")
    def _tiny(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        page_count = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {page_count}")

    db.engine.dispose()
    with pytest.raises(DiskFullError, match="full"):
        patients.create_patient(ctx, patient_draft(chart_number="SC-2", notes="x" * 9000))
    assert [h.chart_number for h in patients.search_patients(ctx, "")] == ["SC-0001"]
    db.close()


def test_integrity_check_passes_on_a_healthy_database(ctx: ServiceContext) -> None:
    patients.create_patient(ctx, patient_draft())
    results = run_checks(ctx.db)
    assert all(r.ok for r in results), [r for r in results if not r.ok]
    assert "1 patients" in results[-1].detail


def test_integrity_check_names_what_drifted(ctx: ServiceContext) -> None:
    patients.create_patient(ctx, patient_draft())
    with ctx.db.write() as session:
        session.execute(text("UPDATE patient_search_terms SET sort_key = 'zzz' WHERE term = 'zoe'"))
    failed = [r for r in run_checks(ctx.db) if not r.ok]
    assert [(r.name, r.detail) for r in failed] == [("Search words agree with their patient", "1 records do not")]


def test_a_failed_change_leaves_nothing_half_written(ctx: ServiceContext) -> None:
    patients.create_patient(ctx, patient_draft())
    with pytest.raises(ConflictError), ctx.db.write() as session:
        session.execute(text("UPDATE patients SET family_name = 'Changed'"))
        session.execute(text("INSERT INTO patients (id, chart_number) VALUES ('x', 'SC-0001')"))
    assert patients.search_patients(ctx, "")[0].family_name == "Łukasiewicz-Ødegård"


@pytest.mark.sqlite_only
def test_an_empty_file_is_never_opened_as_a_new_clinic_and_leftover_copies_go(tmp_path: Path) -> None:
    empty = tmp_path / "clinic.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseCorruptError, match=r"is empty \(0 bytes\)") as caught:
        open_database(str(empty))
    assert "Restore the file from a backup" in caught.value.hint
    assert empty.stat().st_size == 0, "nothing was written into it"
    good = tmp_path / "other.sqlite3"
    open_database(str(good)).close()
    leftover = tmp_path / "other-before-0009-20261126-100000.sqlite3.partial"
    leftover.write_bytes(b"half a copy")
    open_database(str(good)).close()
    assert not leftover.exists()


def test_a_report_into_a_folder_takes_the_suggested_name_and_no_name_is_refused(tmp_path: Path) -> None:
    from sclerochart.domain.errors import UserError
    from sclerochart.reports.export import save_pdf

    written = save_pdf(b"%PDF-1.4 test", tmp_path, "C-1_2026-11-26_report.pdf")
    assert written == tmp_path / "C-1_2026-11-26_report.pdf" and written.read_bytes() == b"%PDF-1.4 test"
    with pytest.raises(UserError, match="No file name"):
        save_pdf(b"%PDF", "")


def test_an_id_too_large_for_the_database_is_simply_not_stored(ctx: ServiceContext) -> None:
    from sclerochart.domain.errors import NotFoundError
    from sclerochart.services import sites, tracings

    with pytest.raises(NotFoundError):
        sites.remove_site(ctx, 2**70, 1)
    with pytest.raises(NotFoundError):
        tracings.remove_tracing(ctx, 2**70, 1)


@pytest.mark.sqlite_only
def test_an_older_file_opened_read_only_is_refused_without_a_copy_beside_it(db_path: Path) -> None:
    engine = make_engine(parse_target(str(db_path)), create=True)
    with engine.begin() as connection:
        upgrade(connection, "0001")
    engine.dispose()
    with pytest.raises(DatabaseReadOnlyError, match="older ScleroChart and is opened read-only"):
        open_database(f"sqlite:///{db_path}?mode=ro")
    assert revision_of(db_path) == "0001"
    assert list(db_path.parent.glob("clinic-before-*")) == [], "no copy is left beside it"


def test_a_disk_io_error_on_a_full_disk_is_called_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from collections import namedtuple

    from sclerochart.store.errors import translate

    where = str(tmp_path / "clinic.sqlite3")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _folder: usage(10**9, 10**9 - 1000, 1000))
    assert isinstance(translate(sqlite3.OperationalError("disk I/O error"), where), DiskFullError)
    monkeypatch.setattr(shutil, "disk_usage", lambda _folder: usage(10**9, 10**6, 10**9 - 10**6))
    assert not isinstance(translate(sqlite3.OperationalError("disk I/O error"), where), DiskFullError)


@pytest.mark.parametrize(
    ("address", "wait"),
    [("postgresql://room@192.0.2.1/clinic", "10"), ("postgresql://room@192.0.2.1/clinic?connect_timeout=3", "3")],
    ids=["by default", "as the address says"],
)
def test_a_server_that_does_not_answer_is_given_up_on_after_ten_seconds_or_as_told(address: str, wait: str) -> None:
    engine = make_engine(parse_target(address), create=False)
    asked: list[object] = []

    def connecting(_dialect: object, _record: object, _args: object, params: dict[str, object]) -> None:
        asked.append(str(params.get("connect_timeout")))
        raise ConnectionAbortedError("not connecting in a test")

    event.listen(engine, "do_connect", connecting)
    with pytest.raises(Exception, match="not connecting"):
        engine.connect()
    assert asked == [wait]
