"""A clinic's PostgreSQL server: wrong addresses are explained in plain words, and a dropped connection heals."""

from __future__ import annotations

import socket

import pytest

from sclerochart.services import patients
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.store.errors import DatabaseMissingError, DatabaseUnavailableError
from tests.conftest import patient_draft
from tests.postgres_server import SUPERUSER, PostgresServer


def test_a_database_missing_on_the_server_is_named(postgres_server: PostgresServer) -> None:
    with pytest.raises(DatabaseMissingError, match="does not exist on it") as caught:
        open_database(postgres_server.url("no_such_clinic"))
    assert "database name" in caught.value.hint


def test_an_unknown_user_is_told_to_check_the_user_and_password(postgres_server: PostgresServer) -> None:
    url = postgres_server.url("postgres").replace(f"{SUPERUSER}@", "nobody_here@")
    with pytest.raises(DatabaseUnavailableError, match="did not accept the user name or password"):
        open_database(url)


def test_a_server_that_does_not_answer_is_explained() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens on it once the probe is closed
    with pytest.raises(DatabaseUnavailableError, match="cannot be opened") as caught:
        open_database(f"postgresql://{SUPERUSER}@127.0.0.1:{port}/clinic")
    assert "server is running" in caught.value.hint


def test_connections_the_server_dropped_are_replaced_without_a_word(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    db = open_database(postgres_url)
    try:
        ctx = ServiceContext(db, actor="tester")
        patients.create_patient(ctx, patient_draft())
        assert postgres_server.terminate_connections(str(db.engine.url.database)) >= 1
        assert [hit.chart_number for hit in patients.search_patients(ctx, "zoe")] == ["SC-0001"]
    finally:
        db.close()
