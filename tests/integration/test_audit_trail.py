"""The audit trail of a session or a patient, in words: who did what and when, removed records included."""

from __future__ import annotations

from dataclasses import replace

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import audit, patients, sessions, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import patient_draft


def test_a_sessions_trail_lists_its_sites_changes_and_removals_in_words(ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    other = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    x, y = point_for(View.ANTERIOR, 0, 30, 0.0)
    draft = SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)
    (site,) = sites.add_site(ctx, session.id, draft).sites
    (edited,) = sites.edit_site(ctx, site.id, replace(draft, volume_ml=0.3), site.version).sites
    sites.remove_site(ctx, site.id, edited.version)
    sites.add_site(ctx, other.id, draft)  # another session's site is not in this trail
    trail = audit.session_trail(ctx, session.id)
    assert [(entry.action, entry.entity) for entry in trail] == [
        ("create", "session"),
        ("create", "site"),
        ("update", "site"),
        ("delete", "site"),
    ]
    assert [audit.in_words(entry) for entry in trail[1:]] == ["created", "volume (mL): 0.2 → 0.3", "removed"]
    whole = audit.patient_trail(ctx, patient.id, (session.id, other.id))
    assert [entry.entity for entry in whole].count("site") == 4 and whole[0].entity == "patient"
