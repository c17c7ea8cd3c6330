"""Every integration test that uses `db` or `ctx` runs on SQLite and on PostgreSQL, unless marked sqlite_only."""

from __future__ import annotations

import pytest

from sclerochart.services import catalogue
from sclerochart.services.context import ServiceContext

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


@pytest.fixture
def without_injection_maximum(ctx: ServiceContext) -> None:
    """Polidocanol's per-injection maximum cleared, as a clinic may: for tests of the session and daily limits.

    Those tests reach a limit with a few large injections; every one of them would otherwise need its own
    reason for going over the amount per injection.
    """
    agent = catalogue.sclerosants_by_id(ctx)[1]
    catalogue.set_sclerosant_limit(ctx, agent.id, "max_ml_per_injection", None, agent.version)
