"""SQLAlchemy 2 typed models of every stored record (DESIGN.md §2), portable to SQLite and PostgreSQL.

Enumerations are stored as their text values and checked in the domain; times are naive: a session's
start is the clinic's wall-clock time, audit times are UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention Alembic's batch mode needs on SQLite."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 (SQLAlchemy's hook)


class PatientRow(Base):
    """A patient; archived instead of deleted."""

    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    chart_number: Mapped[str] = mapped_column(String(32), unique=True)
    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100), default="")
    name_order: Mapped[str] = mapped_column(String(16), default="given_first", server_default="given_first")
    sort_key: Mapped[str] = mapped_column(String(210), index=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date, index=True)
    sex: Mapped[str] = mapped_column(String(10), default="unknown")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    allergies: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class PatientSearchTermRow(Base):
    """One search word of a patient (folded name part or chart number) for index-backed type-ahead.

    The patient's sort key and archived flag are copied in, so one covering index answers "patients whose
    word starts with X, in name order" without touching the patients table.
    """

    __tablename__ = "patient_search_terms"
    __table_args__ = (Index("ix_patient_search_terms_lookup", "term", "sort_key", "patient_id", "archived"),)

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    patient_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sort_key: Mapped[str] = mapped_column(String(210), server_default="")
    archived: Mapped[bool] = mapped_column(Boolean, server_default=false())


class PractitionerRow(Base):
    """A physician, nurse or administrator: a person who signs in; deactivated instead of deleted."""

    __tablename__ = "practitioners"
    __table_args__ = (Index("ix_practitioners_login", "login", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    login: Mapped[str | None] = mapped_column(String(60))
    """The sign-in name, case-folded; None for a practitioner recorded before accounts existed."""
    role: Mapped[str] = mapped_column(String(20), default="physician", server_default="physician")
    password_hash: Mapped[str] = mapped_column(Text, default="", server_default="")
    """An argon2id hash (argon2-cffi); empty: this person cannot sign in until a password is set."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Wrong passwords in a row (each further one waits longer); reset by a good one."""
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """UTC."""

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class SclerosantRow(Base):
    """A sclerosant of the catalogue; a limit left empty is "not set"."""

    __tablename__ = "sclerosants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    atc_code: Mapped[str | None] = mapped_column(String(10))
    concentrations: Mapped[list[Any]] = mapped_column()
    forms: Mapped[list[Any]] = mapped_column()
    max_mg_per_kg_day: Mapped[float | None] = mapped_column(Float)
    max_ml_session: Mapped[float | None] = mapped_column(Float)
    max_foam_ml_session: Mapped[float | None] = mapped_column(Float)
    max_ml_per_injection: Mapped[float | None] = mapped_column(Float)
    limit_source: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class CatalogueStampRow(Base):
    """The catalogue's stamp: one row, given a new random value by a trigger at every change to `sclerosants`."""

    __tablename__ = "catalogue_stamp"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


class PresetRow(Base):
    """A named combination of site settings, bound to a key 1–9."""

    __tablename__ = "presets"
    __table_args__ = (CheckConstraint("key IS NULL OR (key BETWEEN 1 AND 9)", name="key_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[int | None] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(60))
    agent_id: Mapped[int] = mapped_column(ForeignKey("sclerosants.id"))
    concentration: Mapped[float] = mapped_column(Float)
    form: Mapped[str] = mapped_column(String(10))
    foam_liquid_parts: Mapped[int | None] = mapped_column(Integer)
    foam_gas_parts: Mapped[int | None] = mapped_column(Integer)
    gas: Mapped[str | None] = mapped_column(String(20))
    volume_ml: Mapped[float] = mapped_column(Float)
    vessel_type: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class TreatmentSessionRow(Base):
    """A treatment session: draft until signed; the version counts every change to it, its sites and tracings."""

    __tablename__ = "treatment_sessions"
    __table_args__ = (
        Index("ix_treatment_sessions_patient_started", "patient_id", "started_at"),
        CheckConstraint("state IN ('draft', 'signed')", name="state_values"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioners.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    ceap_right: Mapped[str] = mapped_column(String(80), default="")
    ceap_left: Mapped[str] = mapped_column(String(80), default="")
    vcss_right: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The revised VCSS of the leg, item by item (missing items were not scored); None: not scored."""
    vcss_left: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)
    checklist_override: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    compression_stocking: Mapped[str] = mapped_column(String(200), default="")
    compression_continuous_hours: Mapped[int] = mapped_column(Integer, default=24)
    compression_days: Mapped[int] = mapped_column(Integer, default=14)
    compression_nights_too: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    details_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Moved only by a change of the details or the signature (not by sites and tracings)."""
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(100), default="")
    signer_id: Mapped[int | None] = mapped_column(Integer)
    """The practitioner who signed (their name at the time is `signed_by`)."""
    signature_meaning: Mapped[str] = mapped_column(Text, default="", server_default="")
    checklist_reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The checklist was gone through with the patient (each item answered, "no" being unticked)."""
    weight_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why no weight was taken, when none was."""
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class AmendmentRow(Base):
    """A signed correction appended to a signed session: text and corrected site values; never changed."""

    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("session_id", "number"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("treatment_sessions.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    reason: Mapped[str] = mapped_column(Text)
    corrections: Mapped[list[Any]] = mapped_column()
    author_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    signature_meaning: Mapped[str] = mapped_column(Text)


class InjectionSiteRow(Base):
    """One injection: where (view, normalised position, region) and what (agent, %, form, volume)."""

    __tablename__ = "injection_sites"
    __table_args__ = (
        UniqueConstraint("session_id", "number"),
        Index("ix_injection_sites_lot", func.lower(text("lot_number"))),
        CheckConstraint("x >= 0 AND x <= 1 AND y >= 0 AND y <= 1", name="position_in_view"),
        CheckConstraint("volume_ml > 0", name="volume_positive"),
        CheckConstraint("form IN ('liquid', 'foam')", name="form_values"),
        # Never reuse the id of a deleted site: the audit trail names sites by id.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("treatment_sessions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    view: Mapped[str] = mapped_column(String(20))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    region: Mapped[str] = mapped_column(String(60))
    diagram_version: Mapped[int] = mapped_column(Integer)
    agent_id: Mapped[int] = mapped_column(ForeignKey("sclerosants.id"))
    concentration: Mapped[float] = mapped_column(Float)
    form: Mapped[str] = mapped_column(String(10))
    foam_liquid_parts: Mapped[int | None] = mapped_column(Integer)
    foam_gas_parts: Mapped[int | None] = mapped_column(Integer)
    gas: Mapped[str | None] = mapped_column(String(20))
    volume_ml: Mapped[float] = mapped_column(Float)
    vessel_type: Mapped[str] = mapped_column(String(30))
    vessel_diameter_mm: Mapped[float | None] = mapped_column(Float)
    delivery: Mapped[str] = mapped_column(String(10), default="needle")
    lot_number: Mapped[str] = mapped_column(String(40), default="")
    reaction: Mapped[str] = mapped_column(String(40), default="none")
    notes: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class VeinTracingRow(Base):
    """A freehand vein tracing on a view, as normalised points."""

    __tablename__ = "vein_tracings"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 (ids in the audit trail are never reused)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("treatment_sessions.id", ondelete="CASCADE"), index=True)
    view: Mapped[str] = mapped_column(String(20))
    points: Mapped[list[Any]] = mapped_column()
    diagram_version: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(9), default="#1f4e9c")
    label: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class SessionLotRow(Base):
    """The lot and expiry of an agent used in a session, entered once and carried to the agent's sites."""

    __tablename__ = "session_lots"
    __table_args__ = (UniqueConstraint("session_id", "agent_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("treatment_sessions.id", ondelete="CASCADE"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("sclerosants.id"))
    lot_number: Mapped[str] = mapped_column(String(40))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    expiry_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Why a lot past its expiry date was used anyway."""
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class FollowUpVisitRow(Base):
    """A follow-up visit of a patient: clearance per treated region, complications, CEAP and VCSS; signable."""

    __tablename__ = "follow_up_visits"
    __table_args__ = (
        Index("ix_follow_up_visits_patient_examined", "patient_id", "examined_on"),
        CheckConstraint("state IN ('draft', 'signed')", name="state_values"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioners.id"))
    examined_on: Mapped[dt.date] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    ceap_right: Mapped[str] = mapped_column(String(80), default="", server_default="")
    ceap_left: Mapped[str] = mapped_column(String(80), default="", server_default="")
    vcss_right: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    vcss_left: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft")
    imported_from: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Carried over from an earlier version (the old rows it came from): read-only, as if signed."""
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    signer_id: Mapped[int | None] = mapped_column(Integer)
    signature_meaning: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class RegionClearanceRow(Base):
    """The cleared fraction of one treated region found at a visit."""

    __tablename__ = "region_clearances"
    __table_args__ = (
        UniqueConstraint("visit_id", "region"),
        CheckConstraint("clearance_percent IN (0, 25, 50, 75, 100)", name="clearance"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("follow_up_visits.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(String(60))
    clearance_percent: Mapped[int] = mapped_column(Integer)


class VisitComplicationRow(Base):
    """A complication found at a visit: where, how severe, what was done, whether it has resolved."""

    __tablename__ = "visit_complications"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("follow_up_visits.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    side: Mapped[str] = mapped_column(String(10), default="", server_default="")
    region: Mapped[str] = mapped_column(String(60), default="", server_default="")
    severity: Mapped[str] = mapped_column(String(10), default="", server_default="")
    action: Mapped[str] = mapped_column(Text, default="", server_default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PhotoRow(Base):
    """A photo of a session or a visit: the picture as stored (no metadata) and its thumbnail."""

    __tablename__ = "photos"
    __table_args__ = (CheckConstraint("(session_id IS NULL) <> (visit_id IS NULL)", name="one_record"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("treatment_sessions.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("follow_up_visits.id"), index=True)
    view: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(60), default="", server_default="")
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    """When the camera says it was taken (clinic time), if it says."""
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    original_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    """Loaded only when the picture itself is shown or printed."""
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


class OutcomeCellRow(Base):
    """The outcome figures' sums of one session for one combination of agent, concentration, form and vessel."""

    __tablename__ = "outcome_cells"
    __table_args__ = (
        Index(
            "ix_outcome_cells_figures",
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
        ),
    )

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agent_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concentration: Mapped[float] = mapped_column(Float, primary_key=True)
    form: Mapped[str] = mapped_column(String(10), primary_key=True)
    vessel_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(36), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    sites: Mapped[int] = mapped_column(Integer)
    followed_up: Mapped[int] = mapped_column(Integer)
    rated: Mapped[int] = mapped_column(Integer)
    cleared_sum: Mapped[int] = mapped_column(Integer)
    cleared_75: Mapped[int] = mapped_column(Integer)
    with_complication: Mapped[int] = mapped_column(Integer)


class OutcomeDirtyRow(Base):
    """A patient whose outcome sums must be worked out again (marked by triggers; the stamp counts the marks)."""

    __tablename__ = "outcome_dirty"

    patient_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamp: Mapped[int] = mapped_column(Integer)


class AuditEventRow(Base):
    """Append-only: who did what to which record and when, with the values before and after."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"), Index("ix_audit_events_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    """UTC (shown in local time with its offset)."""
    actor: Mapped[str] = mapped_column(String(100))
    """The signed-in practitioner as "name (sign-in name)", or the program that acted for nobody (demo)."""
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    origin: Mapped[str] = mapped_column(String(36), default="", server_default="")
    """The running copy of the program that made the change (a new id each start), to tell other rooms' changes."""
    room: Mapped[str] = mapped_column(String(100), default="", server_default="")
    """The computer (and its room name, when set) the change was made on."""
    previous_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The hash of the event before this one (the chain; empty for the first)."""
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """SHA-256 over this event's content and `previous_hash` (sclerochart.store.audit_chain)."""
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RevisionRow(Base):
    """A version counter of a record kept in several rows (the clinic settings), so a change names the one seen."""

    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ClinicSettingRow(Base):
    """One clinic setting as JSON."""

    __tablename__ = "clinic_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
