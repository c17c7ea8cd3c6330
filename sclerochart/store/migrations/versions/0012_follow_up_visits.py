"""Follow-up visits with clearance per region, CEAP in full and VCSS per leg, photos, lots per agent per session.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26

- A follow-up visit belongs to the patient: date, practitioner, the cleared fraction of each treated region,
  complications (with side, region, severity, action taken, resolved), CEAP and VCSS per leg, notes; draft
  until signed, then frozen by triggers on both engines like a signed session.
- Sessions get VCSS per leg, and room for CEAP written in full ("C2,4a,S Ep As Pr").
- A session's lot and expiry per agent (carried to the agent's sites by the program), frozen with the session.
- Photos of a session or a visit: the picture as stored (metadata stripped) and its thumbnail, in the
  database so a backup holds them and every room sees them. Once their record is signed they are kept as
  they are: one can be added, none changed or removed.
- The follow-ups stored before (one row per session, optionally per region) become visits: one per patient
  and day, each row's clearance given to its region (or to every region the session treated when the row
  named none, never over a region's own value; a second value for a region is kept in the notes), its
  complications kept with their side and region (severity "not recorded"). They were never changed or
  removed before, so they are carried over read-only (imported_from names the old rows; triggers refuse
  changes as for a signed visit). The old table goes; its events stay in the audit trail.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_VISIT_FROZEN = "A signed follow-up visit, or one carried over from an earlier version, cannot be changed."
_SESSION_FROZEN = "A signed session cannot be changed: a correction is an amendment."
_PHOTO_FROZEN = "A photo of a signed record cannot be changed or removed."
_VISIT_PARTS = ("region_clearances", "visit_complications")

_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER signed_visit_no_update BEFORE UPDATE ON follow_up_visits
        WHEN OLD.state = 'signed' OR OLD.imported_from <> ''
        BEGIN SELECT RAISE(ABORT, '{_VISIT_FROZEN}'); END""",
    f"""CREATE TRIGGER signed_visit_no_delete BEFORE DELETE ON follow_up_visits
        WHEN OLD.state = 'signed' OR OLD.imported_from <> ''
        BEGIN SELECT RAISE(ABORT, '{_VISIT_FROZEN}'); END""",
    *(
        statement
        for table in _VISIT_PARTS
        for statement in (
            f"""CREATE TRIGGER {table}_signed_no_insert BEFORE INSERT ON {table}
                WHEN (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = NEW.visit_id)
                BEGIN SELECT RAISE(ABORT, '{_VISIT_FROZEN}'); END""",
            f"""CREATE TRIGGER {table}_signed_no_update BEFORE UPDATE ON {table}
                WHEN (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = OLD.visit_id)
                  OR (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = NEW.visit_id)
                BEGIN SELECT RAISE(ABORT, '{_VISIT_FROZEN}'); END""",
            f"""CREATE TRIGGER {table}_signed_no_delete BEFORE DELETE ON {table}
                WHEN (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = OLD.visit_id)
                BEGIN SELECT RAISE(ABORT, '{_VISIT_FROZEN}'); END""",
        )
    ),
    f"""CREATE TRIGGER session_lots_signed_no_insert BEFORE INSERT ON session_lots
        WHEN (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = NEW.session_id)
        BEGIN SELECT RAISE(ABORT, '{_SESSION_FROZEN}'); END""",
    f"""CREATE TRIGGER session_lots_signed_no_update BEFORE UPDATE ON session_lots
        WHEN (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = OLD.session_id)
          OR (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = NEW.session_id)
        BEGIN SELECT RAISE(ABORT, '{_SESSION_FROZEN}'); END""",
    f"""CREATE TRIGGER session_lots_signed_no_delete BEFORE DELETE ON session_lots
        WHEN (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = OLD.session_id)
        BEGIN SELECT RAISE(ABORT, '{_SESSION_FROZEN}'); END""",
    f"""CREATE TRIGGER photos_signed_no_update BEFORE UPDATE ON photos
        WHEN (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = OLD.session_id)
          OR (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = OLD.visit_id)
        BEGIN SELECT RAISE(ABORT, '{_PHOTO_FROZEN}'); END""",
    f"""CREATE TRIGGER photos_signed_no_delete BEFORE DELETE ON photos
        WHEN (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = OLD.session_id)
          OR (SELECT state = 'signed' OR imported_from <> '' FROM follow_up_visits WHERE id = OLD.visit_id)
        BEGIN SELECT RAISE(ABORT, '{_PHOTO_FROZEN}'); END""",
)

_POSTGRES_STATEMENTS = (
    f"""CREATE FUNCTION sclerochart_signed_visit_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.state = 'signed' OR OLD.imported_from <> '' THEN RAISE EXCEPTION '{_VISIT_FROZEN}'; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    """CREATE TRIGGER signed_visit_frozen BEFORE UPDATE OR DELETE ON follow_up_visits
        FOR EACH ROW EXECUTE FUNCTION sclerochart_signed_visit_frozen()""",
    f"""CREATE FUNCTION sclerochart_visit_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE')
                    AND (SELECT state = 'signed' OR imported_from <> ''
                         FROM follow_up_visits WHERE id = OLD.visit_id) THEN
                RAISE EXCEPTION '{_VISIT_FROZEN}';
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE')
                    AND (SELECT state = 'signed' OR imported_from <> ''
                         FROM follow_up_visits WHERE id = NEW.visit_id) THEN
                RAISE EXCEPTION '{_VISIT_FROZEN}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    *(
        f"""CREATE TRIGGER {table}_signed_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION sclerochart_visit_part_frozen()"""
        for table in _VISIT_PARTS
    ),
    # The session parts' function of 0008 (signed or voided session) serves the lots too.
    """CREATE TRIGGER session_lots_signed_frozen BEFORE INSERT OR UPDATE OR DELETE ON session_lots
        FOR EACH ROW EXECUTE FUNCTION sclerochart_signed_part_frozen()""",
    f"""CREATE FUNCTION sclerochart_photo_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = OLD.session_id)
                    OR (SELECT state = 'signed' OR imported_from <> ''
                        FROM follow_up_visits WHERE id = OLD.visit_id) THEN
                RAISE EXCEPTION '{_PHOTO_FROZEN}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    """CREATE TRIGGER photos_frozen BEFORE UPDATE OR DELETE ON photos
        FOR EACH ROW EXECUTE FUNCTION sclerochart_photo_frozen()""",
)


def _create_tables() -> None:
    op.create_table(
        "follow_up_visits",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column(
            "patient_id",
            sa.String(36),
            sa.ForeignKey("patients.id", name="fk_follow_up_visits_patient_id_patients"),
            nullable=False,
        ),
        sa.Column(
            "practitioner_id",
            sa.Integer(),
            sa.ForeignKey("practitioners.id", name="fk_follow_up_visits_practitioner_id_practitioners"),
            nullable=True,
        ),
        sa.Column("examined_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("ceap_right", sa.String(80), nullable=False, server_default=""),
        sa.Column("ceap_left", sa.String(80), nullable=False, server_default=""),
        sa.Column("vcss_right", sa.JSON(), nullable=True),
        sa.Column("vcss_left", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(10), nullable=False, server_default="draft"),
        sa.Column("imported_from", sa.Text(), nullable=False, server_default=""),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("signature_meaning", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_follow_up_visits"),
        sa.CheckConstraint("state IN ('draft', 'signed')", name="ck_follow_up_visits_state_values"),
    )
    op.create_index("ix_follow_up_visits_patient_examined", "follow_up_visits", ["patient_id", "examined_on"])
    op.create_index("ix_follow_up_visits_examined_on", "follow_up_visits", ["examined_on"])
    op.create_table(
        "region_clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "visit_id",
            sa.String(36),
            sa.ForeignKey(
                "follow_up_visits.id", name="fk_region_clearances_visit_id_follow_up_visits", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("region", sa.String(60), nullable=False),
        sa.Column("clearance_percent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_region_clearances"),
        sa.UniqueConstraint("visit_id", "region", name="uq_region_clearances_visit_id"),
        sa.CheckConstraint("clearance_percent IN (0, 25, 50, 75, 100)", name="ck_region_clearances_clearance"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "visit_complications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "visit_id",
            sa.String(36),
            sa.ForeignKey(
                "follow_up_visits.id", name="fk_visit_complications_visit_id_follow_up_visits", ondelete="CASCADE"
            ),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("side", sa.String(10), nullable=False, server_default=""),
        sa.Column("region", sa.String(60), nullable=False, server_default=""),
        sa.Column("severity", sa.String(10), nullable=False, server_default=""),
        sa.Column("action", sa.Text(), nullable=False, server_default=""),
        sa.Column("resolved", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_visit_complications"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "session_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey(
                "treatment_sessions.id", name="fk_session_lots_session_id_treatment_sessions", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column(
            "agent_id", sa.Integer(), sa.ForeignKey("sclerosants.id", name="fk_session_lots_agent_id_sclerosants")
        ),
        sa.Column("lot_number", sa.String(40), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("expiry_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_session_lots"),
        sa.UniqueConstraint("session_id", "agent_id", name="uq_session_lots_session_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "photos",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column(
            "patient_id",
            sa.String(36),
            sa.ForeignKey("patients.id", name="fk_photos_patient_id_patients"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("treatment_sessions.id", name="fk_photos_session_id_treatment_sessions"),
            nullable=True,
            index=True,
        ),
        sa.Column(
            "visit_id",
            sa.String(36),
            sa.ForeignKey("follow_up_visits.id", name="fk_photos_visit_id_follow_up_visits"),
            nullable=True,
            index=True,
        ),
        sa.Column("view", sa.String(20), nullable=False),
        sa.Column("region", sa.String(60), nullable=False, server_default=""),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("original_name", sa.String(255), nullable=False, server_default=""),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("id", name="pk_photos"),
        sa.CheckConstraint("(session_id IS NULL) <> (visit_id IS NULL)", name="ck_photos_one_record"),
    )


def _move_follow_ups(connection: sa.Connection) -> None:
    """One visit per patient and day from the old follow-up rows (see the module's text)."""
    rows = connection.execute(
        sa.text(
            "SELECT f.id, f.session_id, f.examined_on, f.region, f.clearance_percent, f.complications, f.notes, "
            "s.patient_id FROM follow_ups f JOIN treatment_sessions s ON s.id = f.session_id ORDER BY f.id"
        )
    ).all()
    if not rows:
        return
    session_regions: dict[str, list[str]] = defaultdict(list)
    for session_id, region in connection.execute(
        sa.text(
            "SELECT DISTINCT session_id, region FROM injection_sites WHERE session_id IN "
            "(SELECT session_id FROM follow_ups) ORDER BY session_id, region"
        )
    ):
        session_regions[session_id].append(region)
    visits: dict[tuple[str, Any], dict[str, Any]] = {}
    # (visit, region) -> (percent, the row named that region): a row naming its region is not overwritten by a
    # row for the whole session; two values for one region keep the later and say the earlier in the notes.
    clearances: dict[tuple[str, str], tuple[int, bool]] = {}
    complications: list[dict[str, Any]] = []
    for row_id, session_id, examined_on, region, clearance, kinds, notes, patient_id in rows:
        visit = visits.get((patient_id, examined_on))
        if visit is None:
            visit = {
                "id": str(uuid.uuid4()),
                "patient_id": patient_id,
                "examined_on": examined_on,
                "notes": [],
                "rows": [],
            }
            visits[(patient_id, examined_on)] = visit
        visit["rows"].append(str(row_id))
        if notes:
            visit["notes"].append(notes)
        if clearance is not None:
            for each in [region] if region else session_regions.get(session_id, []):
                earlier = clearances.get((visit["id"], each))
                if earlier is not None and earlier[1] and not region:
                    continue  # the whole session's value does not overwrite the region's own
                if earlier is not None and earlier[0] != clearance:
                    visit["notes"].append(f"Also recorded that day for {each}: {earlier[0]} % cleared.")
                clearances[(visit["id"], each)] = (clearance, bool(region))
        side = _side_of(region)
        for kind in kinds if isinstance(kinds, list) else _json_list(kinds):
            complications.append({"visit_id": visit["id"], "kind": kind, "side": side, "region": region})
    now = connection.execute(sa.text("SELECT CURRENT_TIMESTAMP")).scalar()
    visit_table = sa.table(
        "follow_up_visits",
        *(sa.column(name) for name in ("id", "patient_id", "examined_on", "notes", "state", "imported_from")),
        sa.column("created_at"),
        sa.column("updated_at"),
        sa.column("version"),
    )
    connection.execute(
        visit_table.insert(),
        [
            {
                "id": visit["id"],
                "patient_id": visit["patient_id"],
                "examined_on": visit["examined_on"],
                "notes": "\n".join(visit["notes"]),
                "state": "draft",
                "imported_from": "follow-up records " + ", ".join(visit["rows"]),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for visit in visits.values()
        ],
    )
    if clearances:
        table = sa.table(
            "region_clearances", sa.column("visit_id"), sa.column("region"), sa.column("clearance_percent")
        )
        connection.execute(
            table.insert(),
            [{"visit_id": v, "region": r, "clearance_percent": c} for (v, r), (c, _own) in clearances.items()],
        )
    if complications:
        table = sa.table("visit_complications", *(sa.column(n) for n in ("visit_id", "kind", "side", "region")))
        connection.execute(table.insert(), complications)


def _side_of(region: str) -> str:
    """The leg a stored region names: a region code ("right.anterior.knee") or words ("Right anterior thigh")."""
    first = region.replace(".", " ").split(" ", 1)[0].lower()
    return first if first in ("right", "left") else ""


def _json_list(value: Any) -> list[Any]:
    import json

    return list(json.loads(value)) if value else []


def upgrade() -> None:
    """Create the tables and triggers, widen CEAP, add VCSS; move the old follow-ups into visits."""
    postgres = op.get_bind().dialect.name == "postgresql"
    _create_tables()
    if postgres:
        op.alter_column("treatment_sessions", "ceap_right", type_=sa.String(80))
        op.alter_column("treatment_sessions", "ceap_left", type_=sa.String(80))
        op.add_column("treatment_sessions", sa.Column("vcss_right", sa.JSON(), nullable=True))
        op.add_column("treatment_sessions", sa.Column("vcss_left", sa.JSON(), nullable=True))
    else:
        # The batch copy of the table drops its triggers, and SQLite refuses to drop a table that other tables'
        # triggers name: every trigger is read first, dropped, and made again after (those of 0007 to 0009).
        connection = op.get_bind()
        triggers = connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
        with op.batch_alter_table("treatment_sessions") as batch:
            batch.alter_column("ceap_right", type_=sa.String(80), existing_nullable=False)
            batch.alter_column("ceap_left", type_=sa.String(80), existing_nullable=False)
            batch.add_column(sa.Column("vcss_right", sa.JSON(), nullable=True))
            batch.add_column(sa.Column("vcss_left", sa.JSON(), nullable=True))
        for _name, statement in triggers:
            op.execute(statement)
    _move_follow_ups(op.get_bind())
    op.drop_table("follow_ups")
    for statement in _POSTGRES_STATEMENTS if postgres else _SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Not supported: the visits hold more than the old follow-ups could (restore a backup instead)."""
    raise NotImplementedError("Restore the backup taken before the update to go back to an earlier version.")
