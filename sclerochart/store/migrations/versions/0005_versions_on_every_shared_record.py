"""A version on every record two rooms can edit, the origin of each audit event, and PostgreSQL's id sequences.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

- patients, sclerosants, presets, injection sites and vein tracings get a version counter (sessions have
  one already): every change names the version it was made from and a stale one is refused.
- The clinic settings, kept one row per setting, get one counter in the new table `revisions`.
- Audit events name the running program (origin) and the computer (room) that made them, so a room can
  tell its own changes from another room's and say who changed a record.
- On PostgreSQL the seed revision inserted the catalogue and presets with explicit ids, which leaves their
  id sequences at 1: the next preset saved clashed with a seeded id. The sequences are moved past the rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_VERSIONED = ("patients", "sclerosants", "presets", "injection_sites", "vein_tracings")
_SEQUENCED = ("sclerosants", "presets", "practitioners", "injection_sites", "vein_tracings", "follow_ups")


def upgrade() -> None:
    """Add the columns and the revisions table; advance PostgreSQL's sequences."""
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("origin", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("room", sa.String(100), nullable=False, server_default=""))
    revisions = op.create_table(
        "revisions",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    op.bulk_insert(revisions, [{"name": "clinic_settings", "version": 1}])
    if op.get_bind().dialect.name == "postgresql":
        for table in _SEQUENCED:
            op.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )


def downgrade() -> None:
    """Drop what upgrade added (the sequences stay where they are)."""
    op.drop_table("revisions")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("room")
        batch.drop_column("origin")
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
