"""An index on each site's lot number in lower case: a recall of a lot reads only that lot's sites.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26

Finding every patient who received a lot ("L12345" typed as "l12345" too) must not read every site of
the clinic.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the index."""
    op.create_index("ix_injection_sites_lot", "injection_sites", [sa.text("lower(lot_number)")])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_injection_sites_lot", table_name="injection_sites")
