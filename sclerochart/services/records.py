"""What the printed documents need, gathered in one read: the patient, the session and the clinic."""

from __future__ import annotations

from sclerochart.readmodels import PatientRecord, SessionRecord
from sclerochart.services import follow_ups, patients, photos, session_detail, sessions
from sclerochart.services.clinic import load_logo, load_settings
from sclerochart.services.context import ServiceContext


def session_record(ctx: ServiceContext, session_id: str, *, with_photos: bool = False) -> SessionRecord:
    """The session with its patient, the later visits that rated its regions, and the clinic's settings."""
    detail = session_detail.get_session(ctx, session_id)
    regions = {site.region for site in detail.sites}
    started = detail.session.started_at.date()
    visits = tuple(
        visit
        for visit in follow_ups.patient_visits(ctx, detail.session.patient_id)
        if visit.examined_on >= started and any(each.region in regions for each in visit.clearances)
    )
    return SessionRecord(
        patient=patients.get_patient(ctx, detail.session.patient_id),
        detail=detail,
        clinic=load_settings(ctx),
        visits=visits,
        logo=load_logo(ctx),
        photos=photos.images_of(ctx, session_id=session_id) if with_photos else (),
    )


def patient_record(ctx: ServiceContext, patient_id: str, *, with_photos: bool = False) -> PatientRecord:
    """Every session of a patient in order, the follow-up visits and outcomes, and the clinic's settings."""
    patient = patients.get_patient(ctx, patient_id)
    summaries = sorted(sessions.list_sessions(ctx, patient.id), key=lambda s: s.started_at)
    details = tuple(session_detail.get_session(ctx, summary.id) for summary in summaries)
    return PatientRecord(
        patient=patient,
        sessions=details,
        course=follow_ups.course(ctx, patient.id),
        clinic=load_settings(ctx),
        logo=load_logo(ctx),
        photos=photos.images_of(ctx, patient_id=patient.id) if with_photos else (),
    )
