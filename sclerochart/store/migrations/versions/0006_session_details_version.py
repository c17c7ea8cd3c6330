"""A session's details get their own version, apart from the version that counts every change to the session.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

A practitioner typing the session's notes should not be refused because another room placed a site: the
details are checked against `details_version` (moved by a change of the details or the signature only),
while signing still names the session's whole `version` (details, sites and tracings).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column; existing sessions start at 1."""
    with op.batch_alter_table("treatment_sessions") as batch:
        batch.add_column(sa.Column("details_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("treatment_sessions") as batch:
        batch.drop_column("details_version")
