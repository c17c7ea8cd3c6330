"""Reading a database's schema revision: one query when it is up to date, Alembic only when it is not."""

from __future__ import annotations

import json
import subprocess
import sys

from alembic.script import ScriptDirectory

from sclerochart.store.database import Database
from sclerochart.store.migrate import alembic_config, schema_state
from sclerochart.store.revision import HEAD_REVISION

OPEN_AND_LIST_MODULES = """
import json, sys
from sclerochart.store.database import open_database
db = open_database(sys.argv[1], create=False)
db.close()
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] == "alembic")))
"""


def test_the_program_knows_the_newest_migration_as_its_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_an_up_to_date_database_opens_without_loading_alembic(db: Database, db_url: str) -> None:
    db.close()  # made and brought up to date by the fixture
    out = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LIST_MODULES, db_url], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(out) == []


def test_the_revision_read_with_one_query_is_the_stored_one(db: Database) -> None:
    with db.engine.connect() as connection:
        state = schema_state(connection, db.display)
        assert (state.current, state.up_to_date, state.empty) == (HEAD_REVISION, True, False)
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0012'")
        state = schema_state(connection, db.display)  # the slow path still reads and judges it
        assert (state.current, state.up_to_date) == ("0012", False)
        connection.rollback()
