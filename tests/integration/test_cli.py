"""The command line: demo, patients, sessions, check, audit, and plain-word errors with a non-zero exit."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sclerochart import __version__, cli_common, launch
from sclerochart.cli import _parser, main
from sclerochart.services.demo import DEMO_PASSWORD


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "60"]) == 0
    return path


@pytest.fixture
def as_demo_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo accounts' password is in SCLEROCHART_PASSWORD, as a script gives it."""
    monkeypatch.setenv("SCLEROCHART_PASSWORD", DEMO_PASSWORD)
    monkeypatch.delenv("SCLEROCHART_USER", raising=False)


def test_demo_writes_all_views_all_agents_and_non_latin_names(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as connection:
        views = {row[0] for row in connection.execute("SELECT DISTINCT view FROM injection_sites")}
        agents = {row[0] for row in connection.execute("SELECT DISTINCT agent_id FROM injection_sites")}
        names = [row[0] for row in connection.execute("SELECT family_name || given_name FROM patients")]
        counts = connection.execute(
            "SELECT min(c), max(c) FROM (SELECT count(*) c FROM injection_sites GROUP BY session_id)"
        ).fetchone()
        visits = connection.execute("SELECT count(*) FROM follow_up_visits WHERE state = 'signed'").fetchone()[0]
        rated = connection.execute("SELECT count(*) FROM region_clearances").fetchone()[0]
        lots = connection.execute(
            "SELECT count(*) FROM injection_sites s JOIN session_lots l "
            "ON l.session_id = s.session_id AND l.agent_id = s.agent_id AND l.lot_number = s.lot_number"
        ).fetchone()[0]
        all_sites = connection.execute("SELECT count(*) FROM injection_sites").fetchone()[0]
        scored = connection.execute("SELECT count(*) FROM treatment_sessions WHERE vcss_right IS NOT NULL")
        scored = scored.fetchone()[0]
        pictures = [row[0] for row in connection.execute("SELECT data FROM photos")]
    assert len(views) == 6
    assert agents == {1, 2, 3, 4}
    assert any(not name.isascii() for name in names)
    assert counts[0] >= 10 and counts[1] <= 40
    assert visits > 0 and rated >= visits, "signed follow-up visits rating their regions"
    assert lots == all_sites, "every site carries its session's lot of its agent"
    assert scored > 0, "a baseline VCSS"
    assert pictures and all(b"Exif" not in data for data in pictures), "a few photos, without metadata"


def test_demo_refuses_a_database_that_holds_patients(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "demo", "--patients", "5"]) == 1
    assert "already holds 60 patients" in capsys.readouterr().err


def test_patients_lists_matches_as_a_table(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "patients", "D00001"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["Chart", "Name", "Born", "Id"]
    assert "D000010" in out


@pytest.mark.usefixtures("as_demo_user")
def test_sessions_lists_a_patients_sessions(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "--user", "olumide", "sessions", "D000002"]) == 0
    out = capsys.readouterr().out
    assert "chart D000002" in out and "Total mL" in out
    with sqlite3.connect(demo_db) as connection:
        viewed = connection.execute(
            "SELECT actor, after FROM audit_events WHERE action = 'view' AND entity = 'patient' AND entity_id = "
            "(SELECT id FROM patients WHERE chart_number = 'D000002')"
        ).fetchall()
    assert [actor for actor, _ in viewed] == ["Dr. Olumide Adeyemi (olumide)"]
    assert "list of sessions" in viewed[0][1]


def test_a_patients_sessions_need_a_signed_in_practitioner(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SCLEROCHART_USER", raising=False)
    assert main(["--db", str(demo_db), "sessions", "D000002"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--user" in captured.err and "SCLEROCHART_USER" in captured.err


def test_sessions_without_a_patient_lists_the_latest(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "sessions", "--limit", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["Date", "Chart", "Patient"]
    dates = [line[:16] for line in lines[2:]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)


def test_a_data_folder_that_cannot_be_made_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SCLEROCHART_DATA_DIR", str(blocker / "data"))
    assert main(["demo", "--patients", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "Traceback" not in err


def test_check_passes_on_the_demo(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "check"]) == 0
    assert "All checks passed." in capsys.readouterr().out


def test_environment_variable_chooses_the_database(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_DB", str(demo_db))
    assert main(["patients", "D000001"]) == 0
    assert "D000001" in capsys.readouterr().out


@pytest.mark.usefixtures("as_demo_user")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "{tmp}/missing.sqlite3", "patients"], "There is no database at"),
        (["--db", "{tmp}/junk.sqlite3", "check"], "damaged or is not a ScleroChart database"),
        (["--db", "mysql://x@y/z", "patients"], "cannot use a mysql database"),
        (["--db", "{demo}", "--user", "ana", "sessions", "NO-SUCH"], "No patient has the id or chart number"),
        (["--db", "{tmp}/new.sqlite3", "demo", "--patients", "0"], "--patients must be from 1"),
    ],
)
def test_errors_are_one_clear_message_and_exit_one(
    args: list[str], message: str, demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "junk.sqlite3").write_text("not a database " * 100)
    filled = [a.format(tmp=tmp_path, demo=demo_db) for a in args]
    assert main(filled) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and message in err
    assert "Traceback" not in err


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sclerochart", "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"ScleroChart {__version__}"


VERSION_AND_WHAT_IT_LOADED = """
import sys
from sclerochart.cli import main
code = main(sys.argv[1:])
print(code, sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy", "alembic", "PySide6", "argon2"}),
      "logging.handlers" in sys.modules)
"""


def test_version_loads_no_database_window_or_log_layer_and_says_what_argparse_says(tmp_path: Path) -> None:
    quick = subprocess.run(
        [sys.executable, "-c", VERSION_AND_WHAT_IT_LOADED, "--version"], capture_output=True, text=True, check=True
    )
    assert quick.stdout.splitlines() == [f"ScleroChart {__version__}", "0 [] False"]
    through_argparse = subprocess.run(  # another option beside it: the parser answers, with the same words
        [sys.executable, "-m", "sclerochart", "--db", str(tmp_path / "x.sqlite3"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (through_argparse.returncode, through_argparse.stdout) == (0, f"ScleroChart {__version__}\n")
    assert not (tmp_path / "x.sqlite3").exists()


def test_output_into_a_program_that_stops_reading_is_no_error(tmp_path: Path) -> None:
    """`sclerochart patients | head -1`: the rest of the list has nowhere to go, and that is fine."""
    clinic = tmp_path / "big.sqlite3"
    assert main(["--db", str(clinic), "demo", "--patients", "2000"]) == 0  # a list longer than a pipe holds
    command = [sys.executable, "-m", "sclerochart", "--db", str(clinic), "patients", "--limit", "2000"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # stop reading, as `head -1` does
        errors = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert "Error" not in errors


@pytest.mark.usefixtures("as_demo_user")
def test_the_audit_command_lists_a_patients_trail(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(demo_db) as connection:
        chart = connection.execute("SELECT chart_number FROM patients ORDER BY chart_number LIMIT 1").fetchone()[0]
    assert main(["--db", str(demo_db), "--user", "ana", "audit", chart]) == 0
    out = capsys.readouterr().out
    assert f"chart {chart}:" in out and "events" in out
    assert out.rstrip().endswith("viewed: audit trail, on the command line")


def test_leaks_found_by_trying_them_end_in_plain_words(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sclerochart.cli import main

    assert main(["--db", db_url, "demo", "--patients", "3"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--db", db_url, "patients", "--limit", "1" + "0" * 30])
    assert "must be from 1 to 100000" in capsys.readouterr().err
    assert main(["--db", db_url, "patients", "\udcff\udcfe"]) == 2
    assert "holds bytes that are not text" in capsys.readouterr().err


@pytest.mark.sqlite_only
def test_a_demo_that_fails_halfway_leaves_no_half_made_clinic(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlalchemy.exc

    from sclerochart.store.repositories import bulk

    calls = []

    def full_disk(*_args: object) -> None:
        calls.append(1)
        if len(calls) > 2:  # the first rows went in; then the disk is full
            raise sqlalchemy.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(bulk, "insert_rows", full_disk)
    monkeypatch.setattr(bulk, "insert_tuples", full_disk)
    assert main(["--db", str(db_path), "demo", "--patients", "5"]) == 1
    assert "is full" in capsys.readouterr().err
    assert not db_path.exists() and not db_path.with_name(db_path.name + "-wal").exists()


@pytest.mark.parametrize(
    "given",
    [
        [],
        ["--db", "clinic.sqlite3"],
        ["--db=clinic.sqlite3"],
        ["--user", "ana", "--db", "postgresql://room@server/clinic"],
        ["--db", "a.sqlite3", "--db", "b.sqlite3"],
        ["--db", "=odd name.sqlite3"],
        ["--user="],
    ],
)
def test_the_windows_own_arguments_read_without_the_parser_as_the_parser_reads_them(given: list[str]) -> None:
    assert launch.window_arguments(given) == _parser().parse_args(given)


@pytest.mark.parametrize(
    "given",
    [
        ["patients"],
        ["--db", "x", "patients", "Mül"],
        ["--db"],
        ["--db", "--user", "ana"],
        ["--d", "x"],
        ["--help"],
        ["--db", "x", "--version"],
        ["-h"],
        ["--user", "ana", "selftest"],
        ["--db", "caf\udce9.sqlite3"],
    ],
)
def test_anything_else_is_left_to_the_parser(given: list[str]) -> None:
    assert launch.window_arguments(given) is None


def test_the_entry_answers_as_the_command_line_does() -> None:
    assert launch.EXIT_PROBLEM == cli_common.EXIT_PROBLEM
    assert launch.main(["--version"]) == 0
    with pytest.raises(SystemExit) as usage:  # left to the parser, which says what is missing
        launch.main(["--db"])
    assert usage.value.code == cli_common.EXIT_USAGE


def test_ctrl_c_while_the_window_starts_stops_as_the_commands_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(_database: str | None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(launch, "open_window", interrupted)
    assert launch.main(["--db", "clinic.sqlite3"]) == 130
    assert capsys.readouterr().err == "Stopped.\n"
