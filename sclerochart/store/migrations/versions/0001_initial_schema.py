"""Initial schema: every table of DESIGN.md §2.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 11:52:34.180588
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "clinic_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_clinic_settings")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("chart_number", sa.String(length=32), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("sort_key", sa.String(length=210), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("allergies", sa.Text(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("chart_number", name=op.f("uq_patients_chart_number")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_date_of_birth"), ["date_of_birth"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_sort_key"), ["sort_key"], unique=False)

    op.create_table(
        "practitioners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credentials", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioners")),
    )
    op.create_table(
        "sclerosants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("atc_code", sa.String(length=10), nullable=True),
        sa.Column("concentrations", sa.JSON(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("max_mg_per_kg_day", sa.Float(), nullable=True),
        sa.Column("max_ml_session", sa.Float(), nullable=True),
        sa.Column("max_foam_ml_session", sa.Float(), nullable=True),
        sa.Column("max_ml_per_injection", sa.Float(), nullable=True),
        sa.Column("limit_source", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sclerosants")),
        sa.UniqueConstraint("code", name=op.f("uq_sclerosants_code")),
    )
    op.create_table(
        "patient_search_terms",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_patient_search_terms_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "patient_id", name=op.f("pk_patient_search_terms")),
    )
    with op.batch_alter_table("patient_search_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_search_terms_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "presets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=False),
        sa.Column("foam_liquid_parts", sa.Integer(), nullable=True),
        sa.Column("foam_gas_parts", sa.Integer(), nullable=True),
        sa.Column("gas", sa.String(length=20), nullable=True),
        sa.Column("volume_ml", sa.Float(), nullable=False),
        sa.Column("vessel_type", sa.String(length=30), nullable=False),
        sa.CheckConstraint("key IS NULL OR (key BETWEEN 1 AND 9)", name=op.f("ck_presets_key_range")),
        sa.ForeignKeyConstraint(["agent_id"], ["sclerosants.id"], name=op.f("fk_presets_agent_id_sclerosants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presets")),
        sa.UniqueConstraint("key", name=op.f("uq_presets_key")),
    )
    op.create_table(
        "treatment_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("ceap_right", sa.String(length=10), nullable=False),
        sa.Column("ceap_left", sa.String(length=10), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("checklist_override", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("compression_stocking", sa.String(length=200), nullable=False),
        sa.Column("compression_continuous_hours", sa.Integer(), nullable=False),
        sa.Column("compression_days", sa.Integer(), nullable=False),
        sa.Column("compression_nights_too", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("state IN ('draft', 'signed')", name=op.f("ck_treatment_sessions_state_values")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_treatment_sessions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["practitioners.id"], name=op.f("fk_treatment_sessions_practitioner_id_practitioners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_sessions")),
    )
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_treatment_sessions_patient_started", ["patient_id", "started_at"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("examined_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("clearance_percent", sa.Integer(), nullable=True),
        sa.Column("complications", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "clearance_percent IS NULL OR clearance_percent IN (0, 25, 50, 75, 100)",
            name=op.f("ck_follow_ups_clearance"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_follow_ups_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_ups_session_id"), ["session_id"], unique=False)

    op.create_table(
        "injection_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=20), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("diagram_version", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=False),
        sa.Column("foam_liquid_parts", sa.Integer(), nullable=True),
        sa.Column("foam_gas_parts", sa.Integer(), nullable=True),
        sa.Column("gas", sa.String(length=20), nullable=True),
        sa.Column("volume_ml", sa.Float(), nullable=False),
        sa.Column("vessel_type", sa.String(length=30), nullable=False),
        sa.Column("vessel_diameter_mm", sa.Float(), nullable=True),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("lot_number", sa.String(length=40), nullable=False),
        sa.Column("reaction", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.CheckConstraint("form IN ('liquid', 'foam')", name=op.f("ck_injection_sites_form_values")),
        sa.CheckConstraint("volume_ml > 0", name=op.f("ck_injection_sites_volume_positive")),
        sa.CheckConstraint("x >= 0 AND x <= 1 AND y >= 0 AND y <= 1", name=op.f("ck_injection_sites_position_in_view")),
        sa.ForeignKeyConstraint(["agent_id"], ["sclerosants.id"], name=op.f("fk_injection_sites_agent_id_sclerosants")),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_injection_sites_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injection_sites")),
        sa.UniqueConstraint("session_id", "number", name=op.f("uq_injection_sites_session_id")),
    )
    op.create_table(
        "vein_tracings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("view", sa.String(length=20), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("diagram_version", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=9), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_sessions.id"],
            name=op.f("fk_vein_tracings_session_id_treatment_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vein_tracings")),
    )
    with op.batch_alter_table("vein_tracings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vein_tracings_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("vein_tracings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vein_tracings_session_id"))

    op.drop_table("vein_tracings")
    op.drop_table("injection_sites")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_session_id"))

    op.drop_table("follow_ups")
    with op.batch_alter_table("treatment_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_treatment_sessions_patient_started")

    op.drop_table("treatment_sessions")
    op.drop_table("presets")
    with op.batch_alter_table("patient_search_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_search_terms_patient_id"))

    op.drop_table("patient_search_terms")
    op.drop_table("sclerosants")
    op.drop_table("practitioners")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_sort_key"))
        batch_op.drop_index(batch_op.f("ix_patients_date_of_birth"))

    op.drop_table("patients")
    op.drop_table("clinic_settings")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_entity")

    op.drop_table("audit_events")
