"""A stamp that changes with every change to the catalogue of sclerosants, so a click need not read it whole.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26

Every placed site is checked against the catalogue's limits as stored now. Reading the catalogue at every click
costs more than the rest of the check; reading one stamp costs next to nothing. A trigger on both engines gives
the stamp a new random value, in the same transaction, whenever a sclerosant is added, changed or removed (and
on PostgreSQL when the table is emptied): a program that has the catalogue of one stamp may use it again while
the stamp is unchanged. Random, not counted, so that two databases (or a backup put back) never share a stamp
for different catalogues.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_SQLITE_NEW_STAMP = "lower(hex(randomblob(16)))"
_POSTGRES_NEW_STAMP = "md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text)"
_EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    """Create the stamp, give it a first value, and the triggers that renew it."""
    op.create_table(
        "catalogue_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_stamp"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"INSERT INTO catalogue_stamp (id, stamp) VALUES (1, {_POSTGRES_NEW_STAMP})")
        op.execute(
            f"""CREATE FUNCTION sclerochart_catalogue_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE catalogue_stamp SET stamp = {_POSTGRES_NEW_STAMP}; RETURN NULL; END $$"""
        )
        op.execute(
            "CREATE TRIGGER sclerosants_catalogue_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sclerosants "
            "FOR EACH STATEMENT EXECUTE FUNCTION sclerochart_catalogue_stamp()"
        )
    else:
        op.execute(f"INSERT INTO catalogue_stamp (id, stamp) VALUES (1, {_SQLITE_NEW_STAMP})")
        for event in _EVENTS:
            op.execute(
                f"CREATE TRIGGER sclerosants_stamp_{event} AFTER {event.upper()} ON sclerosants "
                f"BEGIN UPDATE catalogue_stamp SET stamp = {_SQLITE_NEW_STAMP}; END"
            )


def downgrade() -> None:
    """Drop the triggers and the stamp."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS sclerosants_catalogue_stamp ON sclerosants")
        op.execute("DROP FUNCTION IF EXISTS sclerochart_catalogue_stamp()")
    else:
        for event in _EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS sclerosants_stamp_{event}")
    op.drop_table("catalogue_stamp")
