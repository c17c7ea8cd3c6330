"""The command line's quick patient list: the same patients as the store's search, read without SQLAlchemy.

Anything the quick way is not for (a server, a missing, empty, foreign, encrypted or older file, a long query)
is left to the store, which answers as before.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sclerochart.cli import _named_command, _parser, main
from sclerochart.services import patients
from sclerochart.services.context import ServiceContext
from sclerochart.store import quick_listing
from sclerochart.store.database import open_database
from sclerochart.store.repositories.patients import sqlite_texts
from sclerochart.store.revision import HEAD_REVISION
from sclerochart.store.search_sql import TEXTS

QUERIES = ["", "  ", "m", "mü", "Mül", "MUELLER", "müller a", "a b", "a e i", "d0001", "ан", "张", "zz", "1-2", "x y z"]


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo clinic of 120 patients, a few of them archived."""
    path = tmp_path_factory.mktemp("quick") / "clinic.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "120"]) == 0
    db = open_database(str(path))
    try:
        ctx = ServiceContext(db, actor="tester")
        for hit in patients.search_patients(ctx, "", limit=120)[::7]:
            patients.set_archived(ctx, hit.id, True, patients.get_patient(ctx, hit.id).version)
    finally:
        db.close()
    return path


def test_the_statements_are_what_the_store_compiles_now() -> None:
    assert sqlite_texts() == TEXTS, "the store's search changed: run `make search-sql` and commit search_sql.py"


@pytest.mark.parametrize("limit", [1, 3, 50])
@pytest.mark.parametrize("archived", [False, True])
def test_the_quick_list_is_the_store_search(clinic: Path, archived: bool, limit: int) -> None:
    db = open_database(str(clinic))
    try:
        ctx = ServiceContext(db, actor="tester")
        everyone = patients.search_patients(ctx, "", include_archived=True, limit=200)
        born = sorted({hit.date_of_birth for hit in everyone if hit.date_of_birth})[:3]
        queries = [*QUERIES, *(day.isoformat() for day in born), *(f"{day:%d.%m.%Y}" for day in born)]
        queries += [hit.family_name for hit in everyone[:5]] + [hit.chart_number for hit in everyone[:3]]
        for query in queries:
            quick = quick_listing.patient_hits(str(clinic), query, archived, limit)
            assert quick == patients.search_patients(ctx, query, include_archived=archived, limit=limit), query
    finally:
        db.close()
    assert any(hit.archived for hit in everyone), "the clinic holds archived patients to list or leave out"


def test_a_query_of_more_words_than_prepared_is_left_to_the_store(clinic: Path) -> None:
    assert quick_listing.patient_hits(str(clinic), "a b c d", False, 50) is None


def test_what_is_not_a_plain_file_at_this_schema_is_left_to_the_store(clinic: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.sqlite3"
    shutil.copy(clinic, older)
    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0012'")
    empty, foreign, scrambled = tmp_path / "empty.sqlite3", tmp_path / "notes.txt", tmp_path / "locked.sqlite3"
    empty.write_bytes(b"")
    foreign.write_text("not a database\n", encoding="utf-8")
    scrambled.write_bytes(bytes(range(256)) * 16)  # as an encrypted file reads
    for where in (
        "postgresql://someone@nowhere/clinic",
        f"sqlite:///{clinic}",
        str(tmp_path / "missing.sqlite3"),
        str(empty),
        str(foreign),
        str(scrambled),
        str(older),
        str(tmp_path),
    ):
        assert quick_listing.patient_hits(where, "mül", False, 50) is None, where
    assert HEAD_REVISION != "0012"


def test_the_command_lists_without_loading_sqlalchemy(clinic: Path) -> None:
    script = (
        "import sys\n"
        "from sclerochart import cli\n"
        f"code = cli.main(['--db', {str(clinic)!r}, 'patients', 'mül'])\n"
        "print('loaded:', sorted({name.split('.')[0] for name in sys.modules} & {'sqlalchemy', 'alembic'}))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["Chart", "Name", "Born", "Id"] and "Müller" in done.stdout
    assert lines[-1] == "loaded: []"


def test_a_file_the_quick_way_leaves_gets_the_stores_answer_in_words(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(clinic, newer)
    with sqlite3.connect(newer) as connection:  # written by a newer program: the store says so
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    assert main(["--db", str(newer), "patients", "mül"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error:") and "newer" in err


@pytest.mark.parametrize(
    ("words", "alone"),
    [
        (["patients", "mül"], "patients"),
        (["--db", "x.sqlite3", "patients"], "patients"),
        (["--db=x.sqlite3", "--user", "anna", "patients", "--archived"], "patients"),
        (["--db", "patients"], None),  # the database's name, no command
        (["-h", "patients"], None),  # the whole program's help
        (["sessions", "D000001"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_the_command_built_alone_is_the_one_named(words: list[str], alone: str | None) -> None:
    assert _named_command(words) == alone


def test_a_command_built_alone_takes_and_explains_the_same_options() -> None:
    def patients_help(alone: str | None) -> str:
        subcommands = next(
            action for action in _parser(alone)._actions if action.dest == "command"
        )  # the COMMAND argument
        return str(subcommands.choices["patients"].format_help())  # type: ignore[index]

    assert patients_help("patients") == patients_help(None)
    args = _parser("patients").parse_args(["--db", "x.sqlite3", "patients", "a", "b", "--limit", "3"])
    assert (args.db, args.command, args.query, args.limit, args.archived) == (
        "x.sqlite3",
        "patients",
        ["a", "b"],
        3,
        False,
    )
