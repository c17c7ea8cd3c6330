"""Vein tracings: stored with the session, checked, audited, and refused once the session is signed."""

from __future__ import annotations

import pytest

from sclerochart.domain.errors import ConflictError, NotFoundError, StaleError, ValidationError
from sclerochart.domain.values import SessionDraft, TracingDraft, View
from sclerochart.services import audit, patients, session_detail, sessions, tracings
from sclerochart.services.context import ServiceContext
from tests.conftest import patient_draft
from tests.signing import sign

LINE = ((0.30, 0.40), (0.31, 0.45), (0.33, 0.52))


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft())
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def test_a_tracing_is_stored_with_its_session_and_audited(ctx: ServiceContext, session_id: str) -> None:
    stored = tracings.add_tracing(ctx, session_id, TracingDraft(View.POSTERIOR, LINE, label="  feeder  "))
    detail = session_detail.get_session(ctx, session_id)
    assert detail.tracings == (stored,)
    assert (stored.points, stored.label, stored.diagram_version) == (LINE, "feeder", 1)
    removed = tracings.remove_tracing(ctx, stored.id, stored.version)
    assert removed == stored
    assert session_detail.get_session(ctx, session_id).tracings == ()
    assert [e.action for e in audit.history(ctx, "tracing", stored.id)] == ["create", "delete"]
    assert audit.history(ctx, "tracing", stored.id)[1].before is not None


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (TracingDraft(View.ANTERIOR, ((0.5, 0.5),)), "Tracing"),
        (TracingDraft(View.ANTERIOR, ((0.5, 0.5), (1.2, 0.5))), "Tracing"),
        (TracingDraft(View.ANTERIOR, ((0.5, 0.5), (float("nan"), 0.5))), "Tracing"),
        (TracingDraft(View.ANTERIOR, LINE, colour="blue"), "Colour"),
        (TracingDraft(View.ANTERIOR, LINE, label="x" * 101), "Label"),
    ],
)
def test_a_tracing_off_the_diagram_or_malformed_is_refused(
    ctx: ServiceContext, session_id: str, draft: TracingDraft, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        tracings.add_tracing(ctx, session_id, draft)
    assert caught.value.for_field(field)
    assert session_detail.get_session(ctx, session_id).tracings == ()


def test_a_signed_session_takes_no_tracing_and_keeps_its_own(ctx: ServiceContext, session_id: str) -> None:
    stored = tracings.add_tracing(ctx, session_id, TracingDraft(View.ANTERIOR, LINE))
    sign(ctx, session_id)
    with pytest.raises(ConflictError):
        tracings.add_tracing(ctx, session_id, TracingDraft(View.ANTERIOR, LINE))
    with pytest.raises(ConflictError):
        tracings.remove_tracing(ctx, stored.id, stored.version)
    assert session_detail.get_session(ctx, session_id).tracings == (stored,)


def test_removing_a_tracing_twice_says_it_is_gone(ctx: ServiceContext, session_id: str) -> None:
    stored = tracings.add_tracing(ctx, session_id, TracingDraft(View.ANTERIOR, LINE))
    tracings.remove_tracing(ctx, stored.id, stored.version)
    with pytest.raises(NotFoundError):
        tracings.remove_tracing(ctx, stored.id, stored.version)


def test_removing_a_tracing_seen_at_an_older_version_is_refused(ctx: ServiceContext, session_id: str) -> None:
    stored = tracings.add_tracing(ctx, session_id, TracingDraft(View.ANTERIOR, LINE))
    with pytest.raises(StaleError, match="vein tracing was changed"):
        tracings.remove_tracing(ctx, stored.id, stored.version - 1)
    assert session_detail.get_session(ctx, session_id).tracings == (stored,)
