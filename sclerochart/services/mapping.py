"""Conversions between stored rows and the domain's plain values (nothing lazy leaves a service)."""

from __future__ import annotations

from enum import Enum
from types import SimpleNamespace
from typing import Any

from sclerochart.domain.diagram import label_of
from sclerochart.domain.lots import SessionLot
from sclerochart.domain.names import NameOrder
from sclerochart.domain.signing import Amendment, Correction
from sclerochart.domain.values import (
    PRESET_FIELDS,
    SITE_DRAFT_FIELDS,
    Compression,
    Delivery,
    Form,
    Gas,
    Patient,
    PatientDraft,
    Practitioner,
    Preset,
    Reaction,
    Sclerosant,
    SessionState,
    Sex,
    Site,
    SiteDraft,
    TreatmentSession,
    VeinTracing,
    VesselType,
    View,
)
from sclerochart.store.models import (
    AmendmentRow,
    InjectionSiteRow,
    PatientRow,
    PresetRow,
    SessionLotRow,
    VeinTracingRow,
)
from sclerochart.store.repositories.catalogue import StoredPractitioner, StoredSclerosant
from sclerochart.store.repositories.sessions import StoredSession
from sclerochart.store.repositories.sites import StoredSite


def patient(row: PatientRow) -> Patient:
    """A stored patient as a value."""
    return Patient(
        id=row.id,
        chart_number=row.chart_number,
        family_name=row.family_name,
        given_name=row.given_name,
        date_of_birth=row.date_of_birth,
        sex=Sex(row.sex),
        phone=row.phone,
        email=row.email,
        address=row.address,
        allergies=row.allergies,
        history=tuple(row.history or ()),
        notes=row.notes,
        archived=row.archived,
        version=row.version,
        name_order=NameOrder(row.name_order),
    )


def apply_patient(row: PatientRow, draft: PatientDraft) -> None:
    """Copy a validated draft onto a row."""
    row.chart_number = draft.chart_number
    row.family_name = draft.family_name
    row.given_name = draft.given_name
    row.date_of_birth = draft.date_of_birth
    row.sex = draft.sex.value
    row.phone = draft.phone
    row.email = draft.email
    row.address = draft.address
    row.allergies = draft.allergies
    row.history = list(draft.history)
    row.notes = draft.notes
    row.name_order = draft.name_order.value


def practitioner(row: StoredPractitioner) -> Practitioner:
    """A stored practitioner as a value."""
    return Practitioner(
        row.id, row.name, row.credentials, row.active, row.login or "", row.role, row.version, bool(row.password_hash)
    )


def sclerosant(row: StoredSclerosant) -> Sclerosant:
    """A catalogue row as a value."""
    return Sclerosant(
        id=row.id,
        code=row.code,
        name=row.name,
        atc_code=row.atc_code,
        concentrations=tuple(float(c) for c in row.concentrations),
        forms=tuple(Form(f) for f in row.forms),
        max_mg_per_kg_day=row.max_mg_per_kg_day,
        max_ml_session=row.max_ml_session,
        max_foam_ml_session=row.max_foam_ml_session,
        max_ml_per_injection=row.max_ml_per_injection,
        limit_source=row.limit_source,
        notes=row.notes,
        active=row.active,
        version=row.version,
    )


def preset(row: PresetRow) -> Preset:
    """A stored preset as a value."""
    values = {name: getattr(row, name) for name in _PRESET_PLAIN}
    for name, members in _PRESET_ENUMS:
        stored = getattr(row, name)
        values[name] = members[stored] if stored else None
    return Preset(id=row.id, key=row.key, name=row.name, **values, version=row.version)


def apply_preset(row: PresetRow, preset: Preset) -> None:
    """Copy a checked preset's name, key and site settings onto a row."""
    row.key = preset.key
    row.name = preset.name
    for name in PRESET_FIELDS:
        setattr(row, name, _stored(getattr(preset, name)))


def treatment_session(row: StoredSession, practitioner_name: str) -> TreatmentSession:
    """A stored session header as a value."""
    return TreatmentSession(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        practitioner_name=practitioner_name,
        started_at=row.started_at,
        weight_kg=row.weight_kg,
        ceap_right=row.ceap_right,
        ceap_left=row.ceap_left,
        checklist=dict(row.checklist or {}),
        checklist_override=row.checklist_override,
        consent=row.consent,
        compression=Compression(
            stocking=row.compression_stocking,
            continuous_hours=row.compression_continuous_hours,
            days=row.compression_days,
            nights_too=row.compression_nights_too,
        ),
        notes=row.notes,
        state=SessionState(row.state),
        version=row.version,
        signed_at=row.signed_at,
        signed_by=row.signed_by,
        details_version=row.details_version,
        checklist_reviewed=row.checklist_reviewed,
        weight_reason=row.weight_reason,
        signer_id=row.signer_id,
        signature_meaning=row.signature_meaning,
        voided_at=row.voided_at,
        voided_by=row.voided_by,
        void_reason=row.void_reason,
        vcss_right=dict(row.vcss_right) if row.vcss_right else None,
        vcss_left=dict(row.vcss_left) if row.vcss_left else None,
    )


# Enum members by stored value: a dict look-up is several times faster than calling the enum, and a session
# of 300 sites is read back after every click.
_VIEWS = {member.value: member for member in View}
_ENUM_FIELDS: dict[str, dict[str, Any]] = {
    "view": _VIEWS,
    "form": {member.value: member for member in Form},
    "vessel_type": {member.value: member for member in VesselType},
    "gas": {member.value: member for member in Gas},
    "delivery": {member.value: member for member in Delivery},
    "reaction": {member.value: member for member in Reaction},
}
_SITE_PLAIN = tuple(name for name in SITE_DRAFT_FIELDS if name not in _ENUM_FIELDS)
_SITE_ENUMS = tuple((name, members) for name, members in _ENUM_FIELDS.items() if name in SITE_DRAFT_FIELDS)
_PRESET_PLAIN = tuple(name for name in PRESET_FIELDS if name not in _ENUM_FIELDS)
_PRESET_ENUMS = tuple((name, members) for name, members in _ENUM_FIELDS.items() if name in PRESET_FIELDS)


def _stored(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def site(row: StoredSite) -> Site:
    """A stored injection site as a value."""
    values = {name: getattr(row, name) for name in _SITE_PLAIN}
    for name, members in _SITE_ENUMS:
        stored = getattr(row, name)
        values[name] = members[stored] if stored else None
    return Site(
        **values,
        id=row.id,
        session_id=row.session_id,
        number=row.number,
        region=row.region,
        region_label=label_of(row.region),
        diagram_version=row.diagram_version,
        version=row.version,
    )


def apply_site(row: InjectionSiteRow | SimpleNamespace, draft: SiteDraft, region: str, diagram_version: int) -> None:
    """Copy a validated site draft and its computed region onto a row (or a plain object carrying a new one)."""
    for name in SITE_DRAFT_FIELDS:
        setattr(row, name, _stored(getattr(draft, name)))
    row.region = region
    row.diagram_version = diagram_version


def tracing(row: VeinTracingRow) -> VeinTracing:
    """A stored vein tracing as a value."""
    return VeinTracing(
        id=row.id,
        session_id=row.session_id,
        view=View(row.view),
        points=tuple((float(x), float(y)) for x, y in row.points),
        colour=row.colour,
        label=row.label,
        diagram_version=row.diagram_version,
        version=row.version,
    )


def session_lot(row: SessionLotRow) -> SessionLot:
    """A stored lot of an agent in a session as a value."""
    return SessionLot(row.session_id, row.agent_id or 0, row.lot_number, row.expires_on, row.expiry_reason, row.version)


def amendment(row: AmendmentRow) -> Amendment:
    """A stored amendment as a value."""
    return Amendment(
        id=row.id,
        session_id=row.session_id,
        number=row.number,
        reason=row.reason,
        text=row.text,
        corrections=tuple(
            Correction(int(c["site_number"]), str(c["field"]), c.get("before"), c.get("after")) for c in row.corrections
        ),
        author_id=row.author_id,
        signed_by=row.signed_by,
        signed_at=row.signed_at,
        meaning=row.signature_meaning,
    )
