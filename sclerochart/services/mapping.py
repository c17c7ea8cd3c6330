"""Conversions between stored rows and the domain's plain values (nothing lazy leaves a service)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from sclerochart.domain.diagram import label_of
from sclerochart.domain.values import (
    Complication,
    Compression,
    Delivery,
    FollowUp,
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
    FollowUpRow,
    InjectionSiteRow,
    PatientRow,
    PractitionerRow,
    PresetRow,
    SclerosantRow,
    TreatmentSessionRow,
    VeinTracingRow,
)


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


def practitioner(row: PractitionerRow) -> Practitioner:
    """A stored practitioner as a value."""
    return Practitioner(row.id, row.name, row.credentials, row.active)


def sclerosant(row: SclerosantRow) -> Sclerosant:
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
    return Preset(
        id=row.id,
        key=row.key,
        name=row.name,
        agent_id=row.agent_id,
        concentration=row.concentration,
        form=Form(row.form),
        foam_liquid_parts=row.foam_liquid_parts,
        foam_gas_parts=row.foam_gas_parts,
        gas=Gas(row.gas) if row.gas else None,
        volume_ml=row.volume_ml,
        vessel_type=VesselType(row.vessel_type),
        version=row.version,
    )


def treatment_session(row: TreatmentSessionRow, practitioner_name: str) -> TreatmentSession:
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
    )


# Enum members by stored value: a dict look-up is several times faster than calling the enum, and a session
# of 300 sites is read back after every click.
_VIEWS = {member.value: member for member in View}
_FORMS = {member.value: member for member in Form}
_VESSELS = {member.value: member for member in VesselType}
_GASES = {member.value: member for member in Gas}
_DELIVERIES = {member.value: member for member in Delivery}
_REACTIONS = {member.value: member for member in Reaction}


def site(row: InjectionSiteRow | Row[Any]) -> Site:
    """A stored injection site as a value."""
    return Site(
        id=row.id,
        session_id=row.session_id,
        number=row.number,
        view=_VIEWS[row.view],
        x=row.x,
        y=row.y,
        region=row.region,
        region_label=label_of(row.region),
        diagram_version=row.diagram_version,
        agent_id=row.agent_id,
        concentration=row.concentration,
        form=_FORMS[row.form],
        volume_ml=row.volume_ml,
        vessel_type=_VESSELS[row.vessel_type],
        foam_liquid_parts=row.foam_liquid_parts,
        foam_gas_parts=row.foam_gas_parts,
        gas=_GASES[row.gas] if row.gas else None,
        vessel_diameter_mm=row.vessel_diameter_mm,
        delivery=_DELIVERIES[row.delivery],
        lot_number=row.lot_number,
        reaction=_REACTIONS[row.reaction],
        notes=row.notes,
        override_reason=row.override_reason,
        version=row.version,
    )


def apply_site(row: InjectionSiteRow, draft: SiteDraft, region: str, diagram_version: int) -> None:
    """Copy a validated site draft and its computed region onto a row."""
    row.view = draft.view.value
    row.x = draft.x
    row.y = draft.y
    row.region = region
    row.diagram_version = diagram_version
    row.agent_id = draft.agent_id
    row.concentration = draft.concentration
    row.form = draft.form.value
    row.foam_liquid_parts = draft.foam_liquid_parts
    row.foam_gas_parts = draft.foam_gas_parts
    row.gas = draft.gas.value if draft.gas else None
    row.volume_ml = draft.volume_ml
    row.vessel_type = draft.vessel_type.value
    row.vessel_diameter_mm = draft.vessel_diameter_mm
    row.delivery = draft.delivery.value
    row.lot_number = draft.lot_number
    row.reaction = draft.reaction.value
    row.notes = draft.notes
    row.override_reason = draft.override_reason


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


def follow_up(row: FollowUpRow) -> FollowUp:
    """A stored follow-up as a value."""
    return FollowUp(
        id=row.id,
        session_id=row.session_id,
        examined_on=row.examined_on,
        region=row.region,
        clearance_percent=row.clearance_percent,
        complications=tuple(Complication(c) for c in row.complications or ()),
        notes=row.notes,
    )
