"""The test session's throwaway PostgreSQL server (one database per test), and what happens without the binaries."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sclerochart.bench.postgres_server import MISSING_REASON, SUPERUSER, PostgresServer, find_server_binaries

__all__ = ["MISSING_REASON", "SUPERUSER", "PostgresServer", "postgres_server", "postgres_url"]


def in_ci() -> bool:
    """True under CI (CI=true), where a missing server fails the run instead of skipping tests."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def start_or_skip() -> PostgresServer:
    """The started server; without the binaries the test is skipped, or fails under CI."""
    bin_dir = find_server_binaries()
    if bin_dir is None:
        if in_ci():
            pytest.fail(f"{MISSING_REASON} (CI=true: the PostgreSQL tests must run)", pytrace=False)
        pytest.skip(MISSING_REASON)
    return PostgresServer.start(bin_dir)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway server for the whole session, started on first use."""
    server = start_or_skip()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database of its own for one test, dropped after it."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


def fold_missing_server_skip(report: pytest.TestReport) -> None:
    """Place every skip for want of the server in this module, so that -ra shows them as one line."""
    if report.skipped and isinstance(report.longrepr, tuple) and MISSING_REASON in str(report.longrepr[2]):
        report.longrepr = (__file__, start_or_skip.__code__.co_firstlineno, report.longrepr[2])


def skipped_for_missing_server(reports: list[pytest.TestReport]) -> int:
    """How many of the skipped reports were skipped for want of the server binaries."""
    return sum(
        1 for report in reports if isinstance(report.longrepr, tuple) and MISSING_REASON in str(report.longrepr[2])
    )
