"""Every integration test that uses `db` or `ctx` runs on SQLite and on PostgreSQL, unless marked sqlite_only."""

from __future__ import annotations

import pytest

ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise `engine` (which `db_url`, `db` and `ctx` stand on) over both engines."""
    if "engine" not in metafunc.fixturenames:
        return
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    if "db_path" in metafunc.fixturenames and not sqlite_only:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid} uses the SQLite file (db_path) beside db/ctx: use db_url to name the "
            "database to the command line, or mark the test @pytest.mark.sqlite_only if it is about the file."
        )
    metafunc.parametrize("engine", ["sqlite"] if sqlite_only else ENGINES)
