"""Shared fixtures: Qt offscreen, a fixed clock, and real databases (SQLite, or PostgreSQL) with the real migrations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sclerochart import logs
from sclerochart.bench.offscreen import use_screen
from sclerochart.domain.values import PatientDraft, Sex
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from tests.postgres_server import (
    MISSING_REASON,
    fold_missing_server_skip,
    postgres_server,
    postgres_url,
    skipped_for_missing_server,
)

__all__ = ["postgres_server", "postgres_url"]

use_screen(1920, 1080)  # before any QApplication: windows resized to 1366×768 stay that size, the screen has room

settings.register_profile("ci", derandomize=True, max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

NOW = dt.datetime(2026, 11, 23, 10, 30)


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the real user folders, and none leaves a log file open for the next."""
    monkeypatch.setenv("SCLEROCHART_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SCLEROCHART_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SCLEROCHART_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.delenv("SCLEROCHART_DB", raising=False)
    yield
    logs.stop_logging()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture
def engine() -> str:
    """The database engine under `db`: SQLite here; tests/integration/conftest.py runs its tests on both."""
    return "sqlite"


@pytest.fixture
def db_url(engine: str, request: pytest.FixtureRequest) -> str:
    """Where `db` lives, as a user would name it: the SQLite file's path, or a fresh PostgreSQL database's URL."""
    if engine == "sqlite":
        return str(request.getfixturevalue("db_path"))
    if engine == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    raise ValueError(f"unknown database engine {engine!r}")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def ctx(db: Database, clock: FixedClock) -> ServiceContext:
    return ServiceContext(db, actor="tester", clock=clock)


def patient_draft(**changes: object) -> PatientDraft:
    values: dict[str, object] = {
        "chart_number": "SC-0001",
        "family_name": "Łukasiewicz-Ødegård",
        "given_name": "Zoë",
        "date_of_birth": dt.date(1980, 2, 29),
        "sex": Sex.FEMALE,
    }
    values.update(changes)
    return PatientDraft(**values)  # type: ignore[arg-type]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport() -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Fold the skips for want of a PostgreSQL server into one line of the short summary."""
    report = yield
    fold_missing_server_skip(report)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly how many tests ran on each engine, and when the PostgreSQL tests were skipped, what to install."""
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", []) if report.when == "call"]
    on_postgres = sum("postgresql" in nodeid for nodeid in passed)
    on_sqlite = sum("[sqlite" in nodeid for nodeid in passed)
    machines = [nodeid.rsplit("[", 1)[-1].rstrip("]") for nodeid in passed if "two_rooms_charting_at_random" in nodeid]
    skipped = skipped_for_missing_server(terminalreporter.stats.get("skipped", []))
    if not (on_postgres or on_sqlite or skipped):
        return
    terminalreporter.write_sep("=", "engines", bold=True)
    terminalreporter.write_line(
        f"passed on PostgreSQL: {on_postgres}; on SQLite as their twins: {on_sqlite}; "
        f"two-room state machine passed on: {', '.join(machines) or 'none'}"
    )
    if skipped:
        terminalreporter.write_line(f"{skipped} tests were skipped. {MISSING_REASON}", yellow=True)
