"""What the printed documents need, gathered in one read: the patient, the session and the clinic."""

from __future__ import annotations

from sclerochart.readmodels import PatientRecord, SessionRecord
from sclerochart.services import follow_ups, patients, session_detail, sessions
from sclerochart.services.clinic import load_logo, load_settings
from sclerochart.services.context import ServiceContext


def session_record(ctx: ServiceContext, session_id: str) -> SessionRecord:
    """The session with its patient, follow-ups and the clinic's settings."""
    detail = session_detail.get_session(ctx, session_id)
    return SessionRecord(
        patient=patients.get_patient(ctx, detail.session.patient_id),
        detail=detail,
        clinic=load_settings(ctx),
        follow_ups=follow_ups.list_follow_ups(ctx, session_id),
        logo=load_logo(ctx),
    )


def patient_record(ctx: ServiceContext, patient_id: str) -> PatientRecord:
    """Every session of a patient in order, with follow-ups and the clinic's settings."""
    patient = patients.get_patient(ctx, patient_id)
    summaries = sorted(sessions.list_sessions(ctx, patient.id), key=lambda s: s.started_at)
    details = tuple(session_detail.get_session(ctx, summary.id) for summary in summaries)
    return PatientRecord(
        patient=patient,
        sessions=details,
        follow_ups={detail.session.id: follow_ups.list_follow_ups(ctx, detail.session.id) for detail in details},
        clinic=load_settings(ctx),
        logo=load_logo(ctx),
    )
