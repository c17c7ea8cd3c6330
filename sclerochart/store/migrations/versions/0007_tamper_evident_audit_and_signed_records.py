"""Tamper evidence: the audit trail becomes a hash chain, and the database refuses edits to it and to signed records.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

- Every audit event gets `previous_hash` and `hash` (SHA-256 over its content and the previous hash); the
  events already stored are chained in id order.
- Triggers (SQLite and PostgreSQL) refuse UPDATE and DELETE on audit events, any change to a signed
  session, and adding, changing or removing a site or tracing of a signed session. Signing itself (a draft
  becoming signed) and follow-ups of signed sessions stay allowed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sclerochart.store.audit_chain import GENESIS, event_hash

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_AUDIT_FROZEN = "The audit trail cannot be changed: its events are kept as they were written."
_SIGNED_FROZEN = "A signed session cannot be changed: a correction is an amendment."

_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{_AUDIT_FROZEN}'); END""",
    f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{_AUDIT_FROZEN}'); END""",
    f"""CREATE TRIGGER signed_session_no_update BEFORE UPDATE ON treatment_sessions WHEN OLD.state = 'signed'
        BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
    f"""CREATE TRIGGER signed_session_no_delete BEFORE DELETE ON treatment_sessions WHEN OLD.state = 'signed'
        BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
)
_PARTS = ("injection_sites", "vein_tracings")


def _sqlite_part_triggers(table: str) -> tuple[str, ...]:
    signed = "(SELECT state FROM treatment_sessions WHERE id = {row}.session_id) = 'signed'"
    return (
        f"""CREATE TRIGGER {table}_signed_no_insert BEFORE INSERT ON {table} WHEN {signed.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER {table}_signed_no_update BEFORE UPDATE ON {table}
            WHEN {signed.format(row="OLD")} OR {signed.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER {table}_signed_no_delete BEFORE DELETE ON {table} WHEN {signed.format(row="OLD")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
    )


_POSTGRES_FUNCTIONS = (
    f"""CREATE FUNCTION sclerochart_audit_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{_AUDIT_FROZEN}'; END $$""",
    f"""CREATE FUNCTION sclerochart_signed_session_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.state = 'signed' THEN RAISE EXCEPTION '{_SIGNED_FROZEN}'; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    f"""CREATE FUNCTION sclerochart_signed_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND
               (SELECT state FROM treatment_sessions WHERE id = OLD.session_id) = 'signed' THEN
                RAISE EXCEPTION '{_SIGNED_FROZEN}';
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND
               (SELECT state FROM treatment_sessions WHERE id = NEW.session_id) = 'signed' THEN
                RAISE EXCEPTION '{_SIGNED_FROZEN}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    """CREATE TRIGGER audit_events_frozen BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION sclerochart_audit_frozen()""",
    """CREATE TRIGGER signed_session_frozen BEFORE UPDATE OR DELETE ON treatment_sessions
        FOR EACH ROW EXECUTE FUNCTION sclerochart_signed_session_frozen()""",
    *(
        f"""CREATE TRIGGER {table}_signed_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION sclerochart_signed_part_frozen()"""
        for table in _PARTS
    ),
)


def _chain_existing_events() -> None:
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("origin", sa.String),
        sa.column("room", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("previous_hash", sa.String),
        sa.column("hash", sa.String),
    )
    bind = op.get_bind()
    previous = GENESIS
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    for row in rows:
        current = event_hash(
            previous, row.at, row.actor, row.action, row.entity, row.entity_id, row.origin, row.room, row.before,
            row.after,
        )  # fmt: skip
        bind.execute(events.update().where(events.c.id == row.id).values(previous_hash=previous, hash=current))
        previous = current


def upgrade() -> None:
    """Chain the events already stored, then create the triggers."""
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("previous_hash", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    _chain_existing_events()
    if op.get_bind().dialect.name == "postgresql":
        for statement in _POSTGRES_FUNCTIONS:
            op.execute(statement)
        return
    for statement in (*_SQLITE_TRIGGERS, *(s for table in _PARTS for s in _sqlite_part_triggers(table))):
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers and the chain columns."""
    if op.get_bind().dialect.name == "postgresql":
        for table in _PARTS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_signed_frozen ON {table}")
        op.execute("DROP TRIGGER IF EXISTS signed_session_frozen ON treatment_sessions")
        op.execute("DROP TRIGGER IF EXISTS audit_events_frozen ON audit_events")
        for function in (
            "sclerochart_signed_part_frozen",
            "sclerochart_signed_session_frozen",
            "sclerochart_audit_frozen",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        names = [
            "audit_events_no_update",
            "audit_events_no_delete",
            "signed_session_no_update",
            "signed_session_no_delete",
        ]
        names += [f"{table}_signed_no_{kind}" for table in _PARTS for kind in ("insert", "update", "delete")]
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("hash")
        batch.drop_column("previous_hash")
