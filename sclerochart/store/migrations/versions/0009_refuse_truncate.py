"""PostgreSQL: TRUNCATE, which passes row triggers, is refused on the audit trail and on what a signature covers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

Row triggers (0007, 0008) refuse UPDATE and DELETE of audit events, amendments and signed sessions, but
TRUNCATE empties a table without firing them. A statement trigger refuses it on those tables. SQLite has no
TRUNCATE: its DELETE without WHERE fires the row triggers.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("audit_events", "amendments", "treatment_sessions", "injection_sites", "vein_tracings")
_REFUSED = "These records cannot be emptied in one go: the audit trail and signed records are kept as written."


def upgrade() -> None:
    """Create the statement triggers on PostgreSQL."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""CREATE FUNCTION sclerochart_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{_REFUSED}'; END $$"""
    )
    for table in _TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION sclerochart_no_truncate()"
        )


def downgrade() -> None:
    """Drop them."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS sclerochart_no_truncate()")
