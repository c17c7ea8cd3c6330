"""A session's line in the patient's list, made from the session as stored, equals the line the list reads."""

from __future__ import annotations

from dataclasses import replace

from sclerochart.domain.values import SessionDraft, View
from sclerochart.services import patients, session_detail, sessions, signatures, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import patient_draft
from tests.integration.test_services import site_draft


def test_the_line_made_from_a_session_is_the_listed_line(ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    empty = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    charted = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    for view, volume in ((View.ANTERIOR, 0.1), (View.POSTERIOR, 0.2), (View.RIGHT_LATERAL, 0.3)):
        sites.add_site(ctx, charted, replace(site_draft(view), volume_ml=volume))
    voided = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    sites.add_site(ctx, voided, site_draft())
    shown = session_detail.get_session(ctx, voided).session
    signatures.void_session(ctx, voided, "started on the wrong patient", shown.version)

    listed = {line.id: line for line in sessions.list_sessions(ctx, patient.id)}
    for session_id in (empty, charted, voided):
        assert session_detail.get_session(ctx, session_id).summary() == listed[session_id]
    assert listed[charted].total_ml == 0.6 and listed[charted].site_count == 3
    assert listed[voided].voided
