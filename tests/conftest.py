"""Shared fixtures: Qt offscreen, a fixed clock, and real SQLite files with the real migrations."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

from sclerochart.domain.values import PatientDraft, Sex
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database

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
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user folders."""
    monkeypatch.setenv("SCLEROCHART_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SCLEROCHART_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("SCLEROCHART_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(str(db_path))
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
