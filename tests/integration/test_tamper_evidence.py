"""Raw SQL against the record: refused for the audit trail and signed sessions, and found by the check otherwise.

Someone with full rights can take the refusals (triggers) away first; the check then names the changed event.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from sclerochart.domain.diagram import point_for
from sclerochart.domain.follow_up import RegionClearance, VisitDraft
from sclerochart.domain.signing import AmendmentDraft, Correction
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, TracingDraft, VesselType, View
from sclerochart.services import patients, session_detail, sessions, signatures, sites, tracings
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database
from sclerochart.store.integrity import run_checks, verify_amendments, verify_audit_chain, verify_signed_sessions
from tests.conftest import patient_draft
from tests.signing import PASSWORD, sign

REFUSED = (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.DatabaseError, sqlalchemy.exc.InternalError)


def site_draft(height: float = 30.0) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)


@pytest.fixture
def signed(ctx: ServiceContext) -> Iterator[tuple[str, int, int]]:
    """A signed session with one site and one tracing: (session id, site id, tracing id)."""
    patient = patients.create_patient(ctx, patient_draft())
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    (site,) = sites.add_site(ctx, session_id, site_draft()).sites
    tracing = tracings.add_tracing(ctx, session_id, TracingDraft(View.ANTERIOR, ((0.3, 0.3), (0.3, 0.5))))
    sign(ctx, session_id)
    yield session_id, site.id, tracing.id


def raw(db: Database, statement: str, **values: object) -> None:
    """Run one statement outside the program, as someone with a database tool would, and commit it."""
    with db.engine.begin() as connection:
        connection.execute(text(statement), values)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events",
        "UPDATE treatment_sessions SET notes = 'changed afterwards' WHERE id = :session",
        "UPDATE treatment_sessions SET state = 'draft' WHERE id = :session",
        "DELETE FROM treatment_sessions WHERE id = :session",
        "UPDATE injection_sites SET volume_ml = 9 WHERE id = :site",
        "DELETE FROM injection_sites WHERE id = :site",
        "UPDATE vein_tracings SET label = 'x' WHERE id = :tracing",
        "DELETE FROM vein_tracings WHERE id = :tracing",
    ],
)
def test_raw_edits_of_the_audit_trail_and_of_signed_records_are_refused(
    ctx: ServiceContext, signed: tuple[str, int, int], statement: str
) -> None:
    session_id, site_id, tracing_id = signed
    before = session_detail.get_session(ctx, session_id)
    with pytest.raises(REFUSED, match="cannot be changed"):
        raw(ctx.db, statement, session=session_id, site=site_id, tracing=tracing_id)
    assert session_detail.get_session(ctx, session_id) == before
    assert verify_audit_chain(ctx.db).ok


def test_a_site_cannot_be_slipped_into_a_signed_session(ctx: ServiceContext, signed: tuple[str, int, int]) -> None:
    session_id, site_id, _ = signed
    copy = (
        "INSERT INTO injection_sites (session_id, number, view, x, y, region, diagram_version, agent_id, "
        "concentration, form, volume_ml, vessel_type, delivery, lot_number, reaction, notes, override_reason, "
        "version) SELECT session_id, 99, view, x, y, region, diagram_version, agent_id, concentration, form, "
        "volume_ml, vessel_type, delivery, lot_number, reaction, notes, override_reason, 1 FROM injection_sites "
        "WHERE id = :site"
    )
    with pytest.raises(REFUSED, match="cannot be changed"):
        raw(ctx.db, copy, site=site_id)
    assert [s.number for s in session_detail.get_session(ctx, session_id).sites] == [1]


def test_drafts_still_change_and_follow_ups_of_signed_sessions_are_still_recorded(
    ctx: ServiceContext, signed: tuple[str, int, int]
) -> None:
    from sclerochart.services import follow_ups

    session_id, _, _ = signed
    detail = session_detail.get_session(ctx, session_id)
    rated = (RegionClearance(detail.sites[0].region, 50),)
    follow_ups.record_visit(ctx, detail.session.patient_id, VisitDraft(ctx.today(), clearances=rated))
    patient = session_detail.get_session(ctx, session_id).session.patient_id
    draft = sessions.start_session(ctx, patient, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    raw(ctx.db, "UPDATE treatment_sessions SET notes = 'a draft may change' WHERE id = :session", session=draft)
    assert verify_audit_chain(ctx.db).ok


def _without_the_audit_triggers(db: Database) -> None:
    """What someone with full rights to the database could do before editing the trail."""
    if db.is_sqlite:
        raw(db, "DROP TRIGGER audit_events_no_update")
        raw(db, "DROP TRIGGER audit_events_no_delete")
    else:
        raw(db, "DROP TRIGGER audit_events_frozen ON audit_events")


def test_an_audit_event_edited_past_the_triggers_is_named_by_the_check(
    ctx: ServiceContext, signed: tuple[str, int, int]
) -> None:
    assert all(result.ok for result in run_checks(ctx.db))
    _without_the_audit_triggers(ctx.db)
    with ctx.db.engine.connect() as connection:
        event_id = connection.execute(text("SELECT id FROM audit_events WHERE action = 'sign'")).scalar_one()
    raw(ctx.db, "UPDATE audit_events SET actor = 'Dr. Someone Else' WHERE id = :event", event=event_id)
    result = verify_audit_chain(ctx.db)
    assert not result.ok and f"event {event_id} (sign of session" in result.detail
    assert "no longer matches what was written" in result.detail


def test_an_audit_event_removed_past_the_triggers_is_found_by_the_check(
    ctx: ServiceContext, signed: tuple[str, int, int]
) -> None:
    _without_the_audit_triggers(ctx.db)
    with ctx.db.engine.connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT id FROM audit_events ORDER BY id"))]
    raw(ctx.db, "DELETE FROM audit_events WHERE id = :event", event=ids[2])
    result = verify_audit_chain(ctx.db)
    assert not result.ok and f"the link before event {ids[3]}" in result.detail


def test_events_added_by_two_rooms_at_once_form_one_chain(ctx: ServiceContext, db_url: str) -> None:
    import threading

    from sclerochart.store.database import open_database

    other_db = open_database(db_url)
    try:
        other = ServiceContext(other_db, actor="Nurse Ruth", room="Room 2")
        barrier = threading.Barrier(2)

        def create(room: ServiceContext, prefix: str) -> None:
            barrier.wait()
            for number in range(15):
                patients.create_patient(room, patient_draft(chart_number=f"{prefix}-{number:03d}"))

        threads = [threading.Thread(target=create, args=(room, prefix)) for room, prefix in ((ctx, "A"), (other, "B"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        result = verify_audit_chain(ctx.db)
        assert result.ok, result.detail
        assert "all 30 events" in result.detail
    finally:
        other_db.close()


def _without_the_signed_triggers(db: Database) -> None:
    """What someone with full rights could do before editing a signed session's sites."""
    if db.is_sqlite:
        for kind in ("insert", "update", "delete"):
            raw(db, f"DROP TRIGGER injection_sites_signed_no_{kind}")
    else:
        raw(db, "DROP TRIGGER injection_sites_signed_frozen ON injection_sites")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE injection_sites SET volume_ml = 9 WHERE id = :site", "DELETE FROM injection_sites WHERE id = :site"],
)
def test_a_signed_session_changed_past_the_triggers_is_named_by_the_check(
    ctx: ServiceContext, signed: tuple[str, int, int], statement: str
) -> None:
    session_id, site_id, _ = signed
    assert verify_signed_sessions(ctx.db).ok
    _without_the_signed_triggers(ctx.db)
    raw(ctx.db, statement, site=site_id)
    result = verify_signed_sessions(ctx.db)
    assert not result.ok and f"the session {session_id}" in result.detail
    assert "was changed after it was signed" in result.detail
    assert verify_audit_chain(ctx.db).ok, "every audit event is intact: only the seal tells"


@pytest.mark.parametrize("table", ["audit_events", "amendments", "treatment_sessions", "injection_sites"])
def test_emptying_a_protected_table_at_once_is_refused(
    ctx: ServiceContext, signed: tuple[str, int, int], table: str
) -> None:
    signatures.amend_session(ctx, signed[0], AmendmentDraft("Checked again", "Nothing to add."), PASSWORD)
    statement = f"TRUNCATE {table} CASCADE" if not ctx.db.is_sqlite else f"DELETE FROM {table}"
    with pytest.raises(REFUSED):
        raw(ctx.db, statement)
    assert verify_audit_chain(ctx.db).ok and verify_signed_sessions(ctx.db).ok


def test_an_amendment_changed_past_the_triggers_is_named_by_the_check(
    ctx: ServiceContext, signed: tuple[str, int, int]
) -> None:
    session_id, _, _ = signed
    signatures.amend_session(
        ctx, session_id, AmendmentDraft("Volume misread", "", (Correction(1, "volume_ml", None, 0.3),)), PASSWORD
    )
    assert verify_amendments(ctx.db).ok
    if ctx.db.is_sqlite:
        raw(ctx.db, "DROP TRIGGER amendments_no_update")
    else:
        raw(ctx.db, "DROP TRIGGER amendments_frozen ON amendments")
    forged = '[{"site_number": 1, "field": "volume_ml", "before": 0.2, "after": 0.05}]'
    raw(ctx.db, "UPDATE amendments SET corrections = :c", c=forged)
    result = verify_amendments(ctx.db)
    assert not result.ok and "amendment 1 of the session" in result.detail and "was changed" in result.detail
