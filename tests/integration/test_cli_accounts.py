"""The command line's accounts on both engines: setup, user add/list/edit/(de)activate/password, --user, disclosures."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.domain.values import AuditEntry, Practitioner
from sclerochart.services import accounts, audit
from sclerochart.services import sessions as session_service
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD
from sclerochart.store.database import open_database
from tests.signing import PASSWORD

NEW = "a new password 2026"
SETUP = ["setup", "--clinic-name", "Venenzentrum Süd", "--address", "Hauptstraße 1", "--phone", "+43 1 234 56"]
ADMIN = ["--name", "Dr. Ana Müller", "--login", "Ana", "--credentials", "MD"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line; its exit code, what it printed and what it said went wrong."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def people(db_url: str) -> dict[str, Practitioner]:
    """The practitioners stored, by sign-in name."""
    database = open_database(db_url)
    try:
        return {person.login: person for person in accounts.list_accounts(ServiceContext(database, actor=""))}
    finally:
        database.close()


class _Stdin:
    """A stand-in for the keyboard: a terminal or not."""

    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.fixture
def no_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """No password in the environment, whatever the shell running the tests has."""
    for variable in ("SCLEROCHART_PASSWORD", "SCLEROCHART_NEW_PASSWORD", "SCLEROCHART_USER"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch, no_passwords: None) -> list[str]:
    """The command runs at a terminal; the passwords the person types, in order (the list empties as they are)."""
    answers: list[str] = []
    monkeypatch.setattr("sys.stdin", _Stdin(terminal=True))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


@pytest.fixture
def clinic(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """A clinic set up on the command line; its administrator ana's password is in SCLEROCHART_PASSWORD."""
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    monkeypatch.delenv("SCLEROCHART_NEW_PASSWORD", raising=False)
    monkeypatch.delenv("SCLEROCHART_USER", raising=False)
    assert run(capsys, "--db", db_url, *SETUP, *ADMIN)[0] == 0
    return db_url


@pytest.fixture
def local_time_india() -> Iterator[None]:
    """This computer's time zone is UTC+05:30 for the test (an offset with minutes)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "<+0530>-05:30"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_setup_makes_the_clinic_and_its_administrator_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    code, out, _ = run(capsys, "--db", db_url, *SETUP, "--paper", "Letter", *ADMIN)
    assert code == 0
    assert "Venenzentrum Süd is set up" in out and "signs in as ana" in out
    assert "Start the program with: sclerochart --db" in out
    ana = people(db_url)["ana"]
    assert (ana.name, ana.role, ana.credentials, ana.can_sign_in) == ("Dr. Ana Müller", "administrator", "MD", True)

    code, out, err = run(capsys, "--db", db_url, *SETUP, "--name", "Mallory", "--login", "mallory")
    assert code == 1
    assert "set up already" in err and "Traceback" not in err
    assert set(people(db_url)) == {"ana"}


def test_setup_refuses_a_bad_clinic_name_naming_the_field(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "--db", db_url, "setup", "--clinic-name", "\u202eevil", *ADMIN)
    assert code == 1
    assert err.startswith("Error: Clinic name: ") and "Nothing was saved" in err
    assert people(db_url) == {}


@pytest.mark.usefixtures("no_passwords")
def test_setup_without_a_terminal_or_password_says_to_set_the_variable_and_makes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(terminal=False))
    where = tmp_path / "new.sqlite3"
    code, _, err = run(capsys, "--db", str(where), *SETUP, *ADMIN)
    assert code == 1
    assert "SCLEROCHART_PASSWORD" in err
    assert not where.exists()


def test_setup_asks_for_the_password_twice_and_refuses_two_different_ones(
    tmp_path: Path, typed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    where = str(tmp_path / "clinic.sqlite3")
    typed.extend([PASSWORD, PASSWORD + "!"])
    code, _, err = run(capsys, "--db", where, *SETUP, *ADMIN)
    assert code == 1 and "not the same" in err
    assert people(where) == {}

    typed.extend(["short"])
    code, _, err = run(capsys, "--db", where, *SETUP, *ADMIN)
    assert code == 1 and "Password: must be at least 8 characters" in err
    assert not typed  # refused after the first, not asked again

    typed.extend([PASSWORD, PASSWORD])
    assert run(capsys, "--db", where, *SETUP, *ADMIN)[0] == 0
    assert people(where)["ana"].can_sign_in


def test_a_administrator_adds_lists_edits_deactivates_and_reactivates_people(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW)
    add = ["--db", clinic, "--user", "ana", "user", "add"]
    code, out, _ = run(capsys, *add, "--name", "Dr. Olumide Adeyemi", "--login", "Olumide", "--role", "physician")
    assert code == 0 and "Added Dr. Olumide Adeyemi (olumide) as physician" in out
    nurse = ["--name", "Hélène Dubois", "--login", "helene", "--role", "nurse", "--credentials", "RN"]
    assert run(capsys, *add, *nurse)[0] == 0

    code, out, _ = run(capsys, "--db", clinic, "user", "list")  # listing needs nobody signed in
    assert code == 0
    lines = out.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["Sign-in name", "Name", "Credentials", "Role", "Account", "Can sign in"]
    helene = next(line for line in lines if line.startswith("helene"))
    assert re.split(r"\s{2,}", helene) == ["helene", "Hélène Dubois", "RN", "nurse", "active", "yes"]

    edit = ["--db", clinic, "user", "edit", "OLUMIDE", "--user", "ana"]  # --user after the command works too
    code, out, _ = run(capsys, *edit, "--role", "administrator", "--login", "olu", "--credentials", "MD")
    assert code == 0
    assert "role: physician → administrator" in out and "sign-in name: olumide → olu" in out
    olu = people(clinic)["olu"]
    assert (olu.role, olu.credentials) == ("administrator", "MD")
    code, _, err = run(capsys, "--db", clinic, "--user", "ana", "user", "edit", "olu")
    assert code == 2 and "--name" in err

    code, out, _ = run(capsys, "--db", clinic, "--user", "ana", "user", "deactivate", "helene")
    assert code == 0 and "can no longer sign in" in out
    assert not people(clinic)["helene"].active
    code, out, _ = run(capsys, "--db", clinic, "user", "list")
    assert re.split(r"\s{2,}", next(line for line in out.splitlines() if line.startswith("helene")))[-2:] == [
        "deactivated",
        "no (deactivated)",
    ]
    monkeypatch.setenv("SCLEROCHART_PASSWORD", NEW)
    code, _, err = run(capsys, "--db", clinic, "--user", "helene", "sessions", "ANY")
    assert code == 1 and "deactivated and cannot sign in" in err
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    code, out, _ = run(capsys, "--db", clinic, "--user", "ana", "user", "reactivate", "helene")
    assert code == 0 and "can sign in" in out
    assert people(clinic)["helene"].active
    code, out, _ = run(capsys, "--db", clinic, "--user", "ana", "user", "reactivate", "helene")
    assert code == 0 and "already" in out

    code, _, err = run(capsys, "--db", clinic, "--user", "ana", "user", "deactivate", "nobody")
    assert code == 1 and "Nobody signs in as 'nobody'" in err

    trail = [entry.action for entry in _history(clinic, people(clinic)["helene"].id)]
    assert trail == ["create", "update", "update"]


def _history(db_url: str, practitioner_id: int) -> tuple[AuditEntry, ...]:
    database = open_database(db_url)
    try:
        return audit.history(ServiceContext(database, actor=""), "practitioner", practitioner_id)
    finally:
        database.close()


def test_the_last_administrator_cannot_deactivate_themselves(clinic: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", clinic, "--user", "ana", "user", "deactivate", "ana")
    assert code == 1
    assert "only administrator" in err and "nothing was changed" in err
    assert people(clinic)["ana"].active


def test_a_taken_sign_in_name_and_a_short_password_are_refused(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["--db", clinic, "--user", "ana", "user", "add", "--role", "nurse"]
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW)
    code, _, err = run(capsys, *add, "--name", "Anna Other", "--login", "ANA")
    assert code == 1 and "The sign-in name 'ana' is taken by Dr. Ana Müller" in err
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", "short")
    code, _, err = run(capsys, *add, "--name", "Ruth Berg", "--login", "ruth")
    assert code == 1 and "Password: must be at least 8 characters" in err
    assert set(people(clinic)) == {"ana"}


def test_a_wrong_password_for_user_does_nothing(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_PASSWORD", "not the password")
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW)
    code, out, err = run(capsys, "--db", clinic, "--user", "ana", "user", "add", "--name", "Ruth", "--login", "ruth",
                         "--role", "nurse")  # fmt: skip
    assert code == 1 and out == ""
    assert "The password is not right for Dr. Ana Müller" in err and "Caps Lock" in err
    assert set(people(clinic)) == {"ana"}
    code, _, err = run(capsys, "--db", clinic, "--user", "nobody", "user", "deactivate", "ana")
    assert code == 1 and "Nobody signs in as 'nobody'" in err


@pytest.mark.usefixtures("no_passwords")
def test_user_without_a_terminal_or_password_says_to_set_the_variable(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SCLEROCHART_PASSWORD")
    monkeypatch.setattr("sys.stdin", _Stdin(terminal=False))
    code, _, err = run(capsys, "--db", clinic, "--user", "ana", "user", "deactivate", "ana")
    assert code == 1
    assert "does not run at a terminal" in err and "SCLEROCHART_PASSWORD" in err


def test_passwords_one_s_own_with_the_current_one_anyone_s_by_an_administrator(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW)
    add = ["--db", clinic, "--user", "ana", "user", "add", "--name", "Dr. Olumide Adeyemi", "--login", "olumide"]
    assert run(capsys, *add, "--role", "physician")[0] == 0

    monkeypatch.setenv("SCLEROCHART_PASSWORD", NEW)
    code, _, err = run(capsys, "--db", clinic, "--user", "olumide", "user", "password", "ana")
    assert code == 1 and "Only an administrator may set another person's password" in err
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW + " changed")
    code, out, _ = run(capsys, "--db", clinic, "--user", "olumide", "user", "password", "olumide")
    assert code == 0 and "Your new password is saved" in out
    _signs_in(clinic, "olumide", NEW + " changed")

    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", "set by the administrator")
    code, out, _ = run(capsys, "--db", clinic, "--user", "ana", "user", "password", "Olumide")
    assert code == 0 and "The new password for Dr. Olumide Adeyemi (olumide) is saved" in out
    _signs_in(clinic, "olumide", "set by the administrator")
    actions = [entry.action for entry in _history(clinic, people(clinic)["olumide"].id)]
    assert actions.count("password") == 2


def _signs_in(db_url: str, login: str, password: str) -> None:
    database = open_database(db_url)
    try:
        assert accounts.sign_in(ServiceContext(database, actor=""), login, password).login == login
    finally:
        database.close()


def test_a_nurse_may_not_add_people_and_is_not_asked_for_their_password(
    clinic: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: list[str]
) -> None:
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    monkeypatch.setenv("SCLEROCHART_NEW_PASSWORD", NEW)
    assert run(capsys, "--db", clinic, "--user", "ana", "user", "add", "--name", "Hélène Dubois", "--login", "helene",
               "--role", "nurse")[0] == 0  # fmt: skip
    monkeypatch.delenv("SCLEROCHART_NEW_PASSWORD")
    monkeypatch.setenv("SCLEROCHART_PASSWORD", NEW)
    code, _, err = run(capsys, "--db", clinic, "--user", "helene", "user", "add", "--name", "Ruth", "--login", "ruth",
                       "--role", "administrator")  # fmt: skip
    assert code == 1 and "Only an administrator may add practitioners" in err
    assert set(people(clinic)) == {"ana", "helene"}


def test_a_database_without_accounts_says_to_set_the_clinic_up(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(db_url).close()
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "--db", db_url, "--user", "ana", "sessions", "SC-1")
    assert code == 1 and "not set up" in err and "sclerochart setup" in err


@pytest.fixture
def demo(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """A small demo clinic (its accounts' password in SCLEROCHART_PASSWORD), written from the room 'Room 3'."""
    monkeypatch.setenv("SCLEROCHART_ROOM", "Room 3")
    monkeypatch.setenv("SCLEROCHART_PASSWORD", DEMO_PASSWORD)
    monkeypatch.delenv("SCLEROCHART_USER", raising=False)
    assert run(capsys, "--db", db_url, "demo", "--patients", "2")[0] == 0
    return db_url


def _a_session(db_url: str) -> str:
    database = open_database(db_url)
    try:
        return session_service.recent_sessions(ServiceContext(database, actor=""), 1)[0].summary.id
    finally:
        database.close()


def _session_trail(db_url: str, session_id: str) -> tuple[AuditEntry, ...]:
    database = open_database(db_url)
    try:
        return audit.session_trail(ServiceContext(database, actor=""), session_id)
    finally:
        database.close()


def test_a_report_needs_user_and_leaves_an_export_event_naming_the_file(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _a_session(demo)
    out_file = tmp_path / "for the GP.pdf"
    code, _, err = run(capsys, "--db", demo, "report", session_id, "-o", str(out_file))
    assert code == 2
    assert "--user" in err and "SCLEROCHART_USER" in err and "Traceback" not in err
    assert not out_file.exists()

    code, out, _ = run(capsys, "--db", demo, "report", session_id, "-o", str(out_file), "--user", "olumide")
    assert code == 0 and "Session report written" in out
    assert out_file.read_bytes().startswith(b"%PDF")
    exports = [entry for entry in _session_trail(demo, session_id) if entry.action == "export"]
    assert [(entry.actor, audit.in_words(entry)) for entry in exports] == [
        ("Dr. Olumide Adeyemi (olumide)", "exported: session report, to for the GP.pdf")
    ]


@pytest.mark.usefixtures("local_time_india")
def test_the_audit_command_shows_local_times_with_the_offset_the_room_and_writes_a_view(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = _a_session(demo)
    code, out, _ = run(capsys, "--db", demo, "--user", "helene", "audit", session_id[:8])
    assert code == 0
    lines = out.splitlines()
    assert re.split(r"\s{2,}", lines[1]) == ["When (local time)", "Room", "Who", "What", "Record", "Change"]
    viewed = lines[-1]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC\+05:30\s+Room 3\s+Hélène Dubois \(helene\)\s+view\s", viewed)
    assert viewed.endswith("viewed: audit trail, on the command line")


def test_demo_says_how_to_sign_in_and_that_it_is_not_for_real_patients(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db_url, "demo", "--patients", "1")
    assert code == 0
    assert "ana (administrator), olumide (physician) or helene (nurse)" in out
    assert f"the password of each is {DEMO_PASSWORD}" in out
    assert "never for real patients" in out
    demo_event = [entry for entry in _demo_trail(db_url) if entry.action == "demo"]
    assert [entry.actor for entry in demo_event] == ["demo clinic writer"]


def _demo_trail(db_url: str) -> tuple[AuditEntry, ...]:
    database = open_database(db_url)
    try:
        return audit.history(ServiceContext(database, actor=""), "clinic", "demo")
    finally:
        database.close()
