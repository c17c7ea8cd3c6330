"""Each patient's name order (family name first or given name first); names written without spaces findable.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

Names already stored in Chinese, Japanese or Korean characters become family-first (the user can change
it on the patient form) and get the search terms of their parts typed without spaces ("佐藤花" finds
"佐藤花子"). Other patients keep given-first and their terms, which have not changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sclerochart.domain.names import written_without_spaces
from sclerochart.domain.search import name_terms

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column; make names in East Asian characters family-first and give them their new terms."""
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("name_order", sa.String(length=16), server_default="given_first", nullable=False))
    bind = op.get_bind()
    patients = sa.table(
        "patients",
        sa.column("id", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_name", sa.String),
        sa.column("chart_number", sa.String),
        sa.column("sort_key", sa.String),
        sa.column("archived", sa.Boolean),
        sa.column("name_order", sa.String),
    )
    terms = sa.table(
        "patient_search_terms",
        sa.column("term", sa.String),
        sa.column("patient_id", sa.String),
        sa.column("sort_key", sa.String),
        sa.column("archived", sa.Boolean),
    )
    rows = bind.execute(
        sa.select(
            patients.c.id,
            patients.c.family_name,
            patients.c.given_name,
            patients.c.chart_number,
            patients.c.sort_key,
            patients.c.archived,
        )
    ).all()
    for pid, family, given, chart, sort_key, archived in rows:
        if not written_without_spaces(family + given):
            continue
        bind.execute(sa.update(patients).where(patients.c.id == pid).values(name_order="family_first"))
        bind.execute(sa.delete(terms).where(terms.c.patient_id == pid))
        bind.execute(
            sa.insert(terms),
            [
                {"term": term, "patient_id": pid, "sort_key": sort_key, "archived": archived}
                for term in sorted(name_terms(family, given, chart))
            ],
        )


def downgrade() -> None:
    """Drop the column (the extra search terms do no harm)."""
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("name_order")
