"""Never reuse the id of a deleted injection site or tracing (SQLite AUTOINCREMENT).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Without it SQLite hands the highest deleted id to the next new row, so the audit trail of a deleted
site could continue with an unrelated one. PostgreSQL sequences never reuse ids: nothing to do there.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("injection_sites", "vein_tracings")


def upgrade() -> None:
    """Rebuild the two tables with AUTOINCREMENT (SQLite only), keeping every row and id."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass


def downgrade() -> None:
    """Rebuild the tables without AUTOINCREMENT."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
