"""The outcome figures' sums kept per session, brought up to date patient by patient when asked for.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26

Working the figures out from every site takes seconds per million sites; the clinic's figures are wanted
in a moment. So each session keeps its sums per combination of agent, concentration, form and vessel type
(outcome_cells), and every change that can move them — a site, a session, a visit, a rating, a
complication — marks its patient in outcome_dirty (a trigger on both engines, in the same transaction as
the change). The program works out again the marked patients' sums before it reads the figures; a mark
carries a stamp, so a patient changed again meanwhile stays marked. Every patient with a session or a visit
starts marked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_UPSERT = "ON CONFLICT (patient_id) DO UPDATE SET stamp = outcome_dirty.stamp + 1"

# (table, events, the patient of the row as SQL over {row}: NEW or OLD)
_SOURCES = (
    ("injection_sites", "(SELECT patient_id FROM treatment_sessions WHERE id = {row}.session_id)"),
    ("region_clearances", "(SELECT patient_id FROM follow_up_visits WHERE id = {row}.visit_id)"),
    ("visit_complications", "(SELECT patient_id FROM follow_up_visits WHERE id = {row}.visit_id)"),
    ("treatment_sessions", "{row}.patient_id"),
    ("follow_up_visits", "{row}.patient_id"),
)
_COLUMNS = {
    # A session's version moves with every click: only the columns the figures read mark it.
    "treatment_sessions": "started_at, voided_at, patient_id",
    "follow_up_visits": "examined_on, created_at, patient_id",
}


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, patient in _SOURCES:
        # An update marks the patient before and after (a record moved to another patient leaves both).
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            what = f"UPDATE OF {_COLUMNS[table]}" if event == "UPDATE" and table in _COLUMNS else event
            name = f"{table}_outcome_{event.lower()}"
            marks = "".join(
                f"""INSERT INTO outcome_dirty (patient_id, stamp)
                        SELECT p, 1 FROM (SELECT {patient.format(row=row)} AS p) WHERE p IS NOT NULL
                        {_UPSERT};
                    """
                for row in rows
            )
            statements.append(f"CREATE TRIGGER {name} AFTER {what} ON {table} BEGIN {marks} END")
    return statements


def _postgres_statements() -> list[str]:
    statements = [
        f"""CREATE FUNCTION sclerochart_outcome_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                marked text;
                source record;
                turn int;
            BEGIN
                -- An update marks the patient before and after (a record moved to another patient leaves both).
                FOR turn IN 1..2 LOOP
                    IF turn = 1 THEN
                        IF TG_OP = 'INSERT' THEN CONTINUE; END IF;
                        source := OLD;
                    ELSE
                        IF TG_OP = 'DELETE' THEN CONTINUE; END IF;
                        source := NEW;
                    END IF;
                    IF TG_TABLE_NAME IN ('treatment_sessions', 'follow_up_visits') THEN
                        marked := source.patient_id;
                    ELSIF TG_TABLE_NAME = 'injection_sites' THEN
                        SELECT patient_id INTO marked FROM treatment_sessions WHERE id = source.session_id;
                    ELSE
                        SELECT patient_id INTO marked FROM follow_up_visits WHERE id = source.visit_id;
                    END IF;
                    IF marked IS NOT NULL THEN
                        INSERT INTO outcome_dirty (patient_id, stamp) VALUES (marked, 1) {_UPSERT};
                    END IF;
                END LOOP;
                RETURN NULL;
            END $$"""
    ]
    for table, _patient in _SOURCES:
        update = f"UPDATE OF {_COLUMNS[table]}" if table in _COLUMNS else "UPDATE"
        statements.append(
            f"""CREATE TRIGGER {table}_outcome_dirty AFTER INSERT OR {update} OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION sclerochart_outcome_dirty()"""
        )
    return statements


def upgrade() -> None:
    """Create the sums, the marks and the triggers; mark every patient with a session or a visit."""
    op.create_table(
        "outcome_cells",
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("form", sa.String(10), nullable=False),
        sa.Column("vessel_type", sa.String(30), nullable=False),
        sa.Column("patient_id", sa.String(36), nullable=False, index=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("sites", sa.Integer(), nullable=False),
        sa.Column("followed_up", sa.Integer(), nullable=False),
        sa.Column("rated", sa.Integer(), nullable=False),
        sa.Column("cleared_sum", sa.Integer(), nullable=False),
        sa.Column("cleared_75", sa.Integer(), nullable=False),
        sa.Column("with_complication", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "session_id", "agent_id", "concentration", "form", "vessel_type", name="pk_outcome_cells"
        ),
    )
    # Grouped by the four columns in the index's order, the figures read the index alone, in order.
    op.create_index(
        "ix_outcome_cells_figures",
        "outcome_cells",
        [
            "agent_id",
            "concentration",
            "form",
            "vessel_type",
            "started_on",
            "sites",
            "followed_up",
            "rated",
            "cleared_sum",
            "cleared_75",
            "with_complication",
        ],
    )
    op.create_table(
        "outcome_dirty",
        sa.Column("patient_id", sa.String(36), nullable=False),
        sa.Column("stamp", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name="pk_outcome_dirty"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres_statements() if postgres else _sqlite_triggers():
        op.execute(statement)
    op.execute(
        "INSERT INTO outcome_dirty (patient_id, stamp) SELECT patient_id, 1 FROM treatment_sessions "
        "UNION SELECT patient_id, 1 FROM follow_up_visits"
    )


def downgrade() -> None:
    """Drop the triggers, the marks and the sums."""
    if op.get_bind().dialect.name == "postgresql":
        for table, _patient in _SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_outcome_dirty ON {table}")
        op.execute("DROP FUNCTION IF EXISTS sclerochart_outcome_dirty()")
    else:
        for table, _patient in _SOURCES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_outcome_{event}")
    op.drop_table("outcome_dirty")
    op.drop_index("ix_outcome_cells_figures", table_name="outcome_cells")
    op.drop_table("outcome_cells")
