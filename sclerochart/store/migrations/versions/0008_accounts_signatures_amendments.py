"""Who did what: practitioner accounts, signatures that name their signer and meaning, amendments, voided drafts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

- Practitioners get a sign-in name (unique, kept case-folded), a role, an argon2 password hash, a version,
  and a count of failed sign-ins with the time of the last one (so repeated failures slow down in every room).
- Sessions get the checklist's "gone through" mark, the reason a weight was not taken, the signer's id and
  the meaning of the signature, and the void mark (when, by whom, why): a voided draft is kept, marked and
  left out of totals.
- Amendments: text and corrected site values appended to a signed session, each signed; never changed or
  removed (triggers on both engines).
- The triggers of 0007 are recreated so that a voided session, its sites and tracings are frozen as a
  signed one is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SIGNED_FROZEN = "A signed session cannot be changed: a correction is an amendment."
_VOIDED_FROZEN = "A voided session cannot be changed."
_AMENDMENT_FROZEN = "An amendment cannot be changed or removed: a further correction is a new amendment."
_PARTS = ("injection_sites", "vein_tracings")

_FROZEN_SESSION = "(OLD.state = 'signed' OR OLD.voided_at IS NOT NULL)"


def _sqlite_session_triggers() -> tuple[str, ...]:
    return (
        f"""CREATE TRIGGER signed_session_no_update BEFORE UPDATE ON treatment_sessions WHEN OLD.state = 'signed'
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER signed_session_no_delete BEFORE DELETE ON treatment_sessions WHEN {_FROZEN_SESSION}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER voided_session_no_update BEFORE UPDATE ON treatment_sessions
            WHEN OLD.voided_at IS NOT NULL
            BEGIN SELECT RAISE(ABORT, '{_VOIDED_FROZEN}'); END""",
    )


def _sqlite_part_triggers(table: str) -> tuple[str, ...]:
    frozen = "(SELECT state = 'signed' OR voided_at IS NOT NULL FROM treatment_sessions WHERE id = {row}.session_id)"
    return (
        f"""CREATE TRIGGER {table}_signed_no_insert BEFORE INSERT ON {table} WHEN {frozen.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER {table}_signed_no_update BEFORE UPDATE ON {table}
            WHEN {frozen.format(row="OLD")} OR {frozen.format(row="NEW")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
        f"""CREATE TRIGGER {table}_signed_no_delete BEFORE DELETE ON {table} WHEN {frozen.format(row="OLD")}
            BEGIN SELECT RAISE(ABORT, '{_SIGNED_FROZEN}'); END""",
    )


_SQLITE_AMENDMENT_TRIGGERS = (
    f"""CREATE TRIGGER amendments_no_update BEFORE UPDATE ON amendments
        BEGIN SELECT RAISE(ABORT, '{_AMENDMENT_FROZEN}'); END""",
    f"""CREATE TRIGGER amendments_no_delete BEFORE DELETE ON amendments
        BEGIN SELECT RAISE(ABORT, '{_AMENDMENT_FROZEN}'); END""",
    """CREATE TRIGGER amendments_only_signed BEFORE INSERT ON amendments
        WHEN (SELECT state FROM treatment_sessions WHERE id = NEW.session_id) IS NOT 'signed'
        BEGIN SELECT RAISE(ABORT, 'Only a signed session is amended; a draft is changed directly.'); END""",
)

_POSTGRES_STATEMENTS = (
    f"""CREATE OR REPLACE FUNCTION sclerochart_signed_session_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.state = 'signed' THEN RAISE EXCEPTION '{_SIGNED_FROZEN}'; END IF;
            IF OLD.voided_at IS NOT NULL THEN RAISE EXCEPTION '{_VOIDED_FROZEN}'; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    f"""CREATE OR REPLACE FUNCTION sclerochart_signed_part_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND (SELECT state = 'signed' OR voided_at IS NOT NULL
                    FROM treatment_sessions WHERE id = OLD.session_id) THEN
                RAISE EXCEPTION '{_SIGNED_FROZEN}';
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') AND (SELECT state = 'signed' OR voided_at IS NOT NULL
                    FROM treatment_sessions WHERE id = NEW.session_id) THEN
                RAISE EXCEPTION '{_SIGNED_FROZEN}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""",
    f"""CREATE FUNCTION sclerochart_amendment_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF (SELECT state FROM treatment_sessions WHERE id = NEW.session_id) IS DISTINCT FROM 'signed' THEN
                    RAISE EXCEPTION 'Only a signed session is amended; a draft is changed directly.';
                END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '{_AMENDMENT_FROZEN}';
        END $$""",
    """CREATE TRIGGER amendments_frozen BEFORE INSERT OR UPDATE OR DELETE ON amendments
        FOR EACH ROW EXECUTE FUNCTION sclerochart_amendment_frozen()""",
)


def _drop_sqlite_session_triggers() -> None:
    names = ["signed_session_no_update", "signed_session_no_delete", "voided_session_no_update"]
    names += [f"{table}_signed_no_{kind}" for table in _PARTS for kind in ("insert", "update", "delete")]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    """Add the columns and the amendments table; recreate the freezing triggers."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        _drop_sqlite_session_triggers()
    with op.batch_alter_table("practitioners") as batch:
        batch.add_column(sa.Column("login", sa.String(60), nullable=True))
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="physician"))
        batch.add_column(sa.Column("password_hash", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_failed_at", sa.DateTime(), nullable=True))
    op.create_index("ix_practitioners_login", "practitioners", ["login"], unique=True)
    with op.batch_alter_table("treatment_sessions") as batch:
        batch.add_column(sa.Column("checklist_reviewed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("weight_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("signer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signature_meaning", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("voided_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("voided_by", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("void_reason", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("treatment_sessions.id", name="fk_amendments_session_id_treatment_sessions"),
            nullable=False,
            index=True,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrections", sa.JSON(), nullable=False),
        sa.Column(
            "author_id",
            sa.Integer(),
            sa.ForeignKey("practitioners.id", name="fk_amendments_author_id_practitioners"),
            nullable=False,
        ),
        sa.Column("signed_by", sa.String(100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signature_meaning", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_amendments"),
        sa.UniqueConstraint("session_id", "number", name="uq_amendments_session_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    if postgres:
        for statement in _POSTGRES_STATEMENTS:
            op.execute(statement)
        return
    for statement in (
        *_sqlite_session_triggers(),
        *(s for table in _PARTS for s in _sqlite_part_triggers(table)),
        *_SQLITE_AMENDMENT_TRIGGERS,
    ):
        op.execute(statement)


def downgrade() -> None:
    """Not supported: signatures, amendments and accounts cannot be taken back out of a clinical record."""
    raise NotImplementedError("A database is not downgraded past its signatures and amendments.")
