"""Copy each patient's sort key and archived flag into the search terms, with a covering index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Type-ahead on a common first letter used to gather thousands of patients and sort them; with the name
order in the term rows, one index range gives the first 50 in order.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns, fill them from the patients, and index them."""
    with op.batch_alter_table("patient_search_terms") as batch:
        batch.add_column(sa.Column("sort_key", sa.String(length=210), server_default="", nullable=False))
        batch.add_column(sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE patient_search_terms SET "
        "sort_key = (SELECT patients.sort_key FROM patients WHERE patients.id = patient_search_terms.patient_id), "
        "archived = (SELECT patients.archived FROM patients WHERE patients.id = patient_search_terms.patient_id)"
    )
    op.create_index(
        "ix_patient_search_terms_lookup",
        "patient_search_terms",
        ["term", "sort_key", "patient_id", "archived"],
    )


def downgrade() -> None:
    """Drop the index and the copied columns."""
    op.drop_index("ix_patient_search_terms_lookup", table_name="patient_search_terms")
    with op.batch_alter_table("patient_search_terms") as batch:
        batch.drop_column("archived")
        batch.drop_column("sort_key")
