"""What the printed documents need, gathered in one read: the patient, the session and the clinic."""

from __future__ import annotations

from dataclasses import dataclass

from sclerochart.domain.values import FollowUp, Patient
from sclerochart.services import patients, sessions
from sclerochart.services.clinic import load_settings
from sclerochart.services.context import ServiceContext
from sclerochart.services.sessions import SessionDetail
from sclerochart.settings import ClinicSettings


@dataclass(frozen=True)
class SessionRecord:
    """One session as the session report and the aftercare handout print it."""

    patient: Patient
    detail: SessionDetail
    clinic: ClinicSettings
    follow_ups: tuple[FollowUp, ...] = ()


def session_record(ctx: ServiceContext, session_id: str) -> SessionRecord:
    """The session with its patient, follow-ups and the clinic's settings."""
    detail = sessions.get_session(ctx, session_id)
    return SessionRecord(
        patient=patients.get_patient(ctx, detail.session.patient_id),
        detail=detail,
        clinic=load_settings(ctx),
        follow_ups=sessions.list_follow_ups(ctx, session_id),
    )
