"""Follow-up visits on both engines: what is refused (named, nothing stored), stale saves, signing and its seal."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import ConflictError, StaleError, ValidationError
from sclerochart.domain.follow_up import ComplicationFinding, ComplicationSide, RegionClearance, Severity, VisitDraft
from sclerochart.domain.values import Complication, Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import audit, follow_ups, patients, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.store.engine import make_engine, parse_target
from sclerochart.store.integrity import verify_signed_visits
from sclerochart.store.migrate import upgrade
from tests.conftest import FixedClock, patient_draft
from tests.integration.test_tamper_evidence import raw
from tests.signing import PASSWORD, signed_in

DAY = dt.timedelta(days=1)


def _course(ctx: ServiceContext) -> tuple[str, dt.date, list[str]]:
    """Two sessions six weeks apart, both treating the upper thigh; the patient, the first day, (upper, lower)."""
    person = signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    first_day = ctx.clock() - dt.timedelta(weeks=12)
    regions = []
    for started, heights in ((first_day, (20.0, 70.0)), (first_day + dt.timedelta(weeks=6), (20.0,))):
        session = sessions.start_session(ctx, patient.id, SessionDraft(person.id, started, weight_kg=70.0))
        for height in heights:
            x, y = point_for(View.ANTERIOR, 0, height, 0.0)
            site = sites.add_site(
                ctx, session.id, SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)
            )
            regions.append(site.sites[-1].region)
    return patient.id, first_day.date(), regions[:2]


def _stored_count(ctx: ServiceContext) -> tuple[int, int, int]:
    with ctx.db.read() as tx:
        return tuple(  # type: ignore[return-value]
            tx.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("follow_up_visits", "region_clearances", "visit_complications")
        )


def test_a_visit_rates_regions_and_the_course_tells_each_regions_history(ctx: ServiceContext) -> None:
    patient_id, first_day, (upper, lower) = _course(ctx)
    first = follow_ups.record_visit(
        ctx, patient_id, VisitDraft(first_day + dt.timedelta(weeks=5), clearances=(RegionClearance(upper, 50),))
    )
    follow_ups.record_visit(
        ctx,
        patient_id,
        VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 75),), notes="  better  "),
    )
    course = follow_ups.course(ctx, patient_id)
    assert [visit.examined_on for visit in course.visits] == [first.examined_on, ctx.today()]
    assert course.visits[1].notes == "better"
    upper_outcome, lower_outcome = course.outcomes[upper], course.outcomes[lower]
    assert [t.site_numbers for t in upper_outcome.treatments] == [(1,), (1,)], "treated at both sessions"
    assert [r.percent for r in upper_outcome.ratings] == [50, 75] and upper_outcome.latest == 75
    assert upper_outcome.history().endswith("; 50 % → 75 % cleared")
    assert " and " in upper_outcome.history(), "both treatment days named"
    assert not lower_outcome.followed_up and lower_outcome.history().endswith("never followed up")
    assert [e.action for e in audit.history(ctx, "follow-up", first.id)] == ["create"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"clearances": "33"}, "Clearance of"),
        ({"examined_on": "before"}, "Date of the visit"),
        ({"examined_on": "future"}, "Date of the visit"),
        ({"clearances": "untreated"}, "was not treated"),
        ({"vcss_right": {"pain": 4}}, "VCSS right leg: Pain"),
        ({"vcss_left": {"oedema": -1}}, "VCSS left leg: Venous oedema"),
        ({"ceap_right": "C7"}, "CEAP right leg"),
        ({"notes": "x\x00y"}, "Notes"),
        ({"notes": "n" * 10_001}, "Notes"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    ctx: ServiceContext, change: dict[str, object], field: str
) -> None:
    patient_id, first_day, (upper, _lower) = _course(ctx)
    values: dict[str, object] = {"examined_on": ctx.today(), "clearances": (RegionClearance(upper, 50),)}
    for key, value in change.items():
        if value == "33":
            values[key] = (RegionClearance(upper, 33),)
        elif value == "untreated":
            values[key] = (RegionClearance("left.posterior.foot", 50),)
        elif value == "before":
            values[key] = first_day - DAY
        elif value == "future":
            values[key] = ctx.today() + DAY
        else:
            values[key] = value
    with pytest.raises(ValidationError) as refused:
        follow_ups.record_visit(ctx, patient_id, VisitDraft(**values))  # type: ignore[arg-type]
    assert any(field in str(error) for error in refused.value.errors), refused.value.errors
    assert "DOMAIN" not in str(refused.value) and "§" not in str(refused.value)
    assert _stored_count(ctx) == (0, 0, 0)


def test_a_save_from_a_stale_visit_is_refused_and_a_signed_visit_is_frozen(ctx: ServiceContext) -> None:
    patient_id, _first_day, (upper, lower) = _course(ctx)
    finding = ComplicationFinding(Complication.MATTING, ComplicationSide.RIGHT, upper, Severity.MODERATE, "", False)
    visit = follow_ups.record_visit(
        ctx, patient_id, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 25),), complications=(finding,))
    )
    changed = follow_ups.update_visit(
        ctx, visit.id, visit.version, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 50),))
    )
    with pytest.raises(StaleError, match="changed after it was shown"):
        follow_ups.update_visit(ctx, visit.id, visit.version, VisitDraft(ctx.today()))
    assert follow_ups.get_visit(ctx, visit.id).clearances == (RegionClearance(upper, 50),)
    with pytest.raises(ConflictError, match="Practitioner"):
        follow_ups.sign_visit(ctx, visit.id, changed.version, PASSWORD)
    person = signed_in(ctx)
    ready = follow_ups.update_visit(
        ctx,
        visit.id,
        changed.version,
        VisitDraft(ctx.today(), person.id, (RegionClearance(upper, 50), RegionClearance(lower, 100))),
    )
    signed = follow_ups.sign_visit(ctx, visit.id, ready.version, PASSWORD)
    assert signed.signed and signed.signed_by.startswith("Dr. Ana Müller")
    with pytest.raises(ConflictError, match="signed"):
        follow_ups.update_visit(ctx, visit.id, signed.version, VisitDraft(ctx.today()))
    with pytest.raises(ConflictError, match="signed"):
        follow_ups.remove_visit(ctx, visit.id, signed.version)
    assert verify_signed_visits(ctx.db).ok
    # Behind the program's back: the database itself refuses, on both engines.
    for statement in (
        "UPDATE follow_up_visits SET notes = 'rewritten' WHERE id = :visit",
        "UPDATE region_clearances SET clearance_percent = 0 WHERE visit_id = :visit",
        "DELETE FROM region_clearances WHERE visit_id = :visit",
        "INSERT INTO region_clearances (visit_id, region, clearance_percent) VALUES (:visit, 'right.anterior.knee', 0)",
    ):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="cannot be changed"):
            raw(ctx.db, statement, visit=visit.id)
    actions = [entry.action for entry in audit.history(ctx, "follow-up", visit.id)]
    assert actions == ["create", "update", "update", "sign"]


def test_a_signed_visit_changed_past_the_triggers_is_named_by_the_check(ctx: ServiceContext) -> None:
    patient_id, _first_day, (upper, _lower) = _course(ctx)
    person = signed_in(ctx)
    visit = follow_ups.record_visit(ctx, patient_id, VisitDraft(ctx.today(), person.id, (RegionClearance(upper, 75),)))
    follow_ups.sign_visit(ctx, visit.id, visit.version, PASSWORD)
    if ctx.db.is_sqlite:
        raw(ctx.db, "DROP TRIGGER region_clearances_signed_no_update")
    else:
        raw(ctx.db, "DROP TRIGGER region_clearances_signed_frozen ON region_clearances")
    raw(ctx.db, "UPDATE region_clearances SET clearance_percent = 100 WHERE visit_id = :v", v=visit.id)
    result = verify_signed_visits(ctx.db)
    assert not result.ok and visit.id in result.detail and "changed after it was signed" in result.detail


def test_a_draft_visit_recorded_by_mistake_is_removed_and_audited(ctx: ServiceContext) -> None:
    patient_id, _first_day, (upper, _lower) = _course(ctx)
    visit = follow_ups.record_visit(ctx, patient_id, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 0),)))
    follow_ups.remove_visit(ctx, visit.id, visit.version)
    assert follow_ups.patient_visits(ctx, patient_id) == ()
    assert _stored_count(ctx) == (0, 0, 0)
    assert [e.action for e in audit.history(ctx, "follow-up", visit.id)] == ["create", "delete"]


def test_the_follow_ups_stored_before_become_visits_rating_their_regions(db_url: str) -> None:
    """Migration 0012 makes one visit per patient and day of the old follow-up rows.

    A row's clearance goes to its region, or to every region its session treated when it named none;
    complications keep their side and region; the old table goes.
    """
    engine = make_engine(parse_target(db_url), create=True)
    upper, lower = "right.anterior.thigh-proximal", "right.anterior.lower-leg-middle"
    with engine.begin() as connection:
        upgrade(connection, "0011")
        connection.execute(
            text(
                "INSERT INTO patients (id, chart_number, family_name, given_name, sort_key, sex, phone, email, address,"
                " allergies, history, notes, archived, created_at, updated_at) VALUES ('p1', 'OLD-1', 'Nowak', 'Zoë',"
                " 'nowak zoe', 'female', '', '', '', '', '[]', '', false, '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO treatment_sessions (id, patient_id, started_at, ceap_right, ceap_left, checklist,"
                " checklist_override, consent, compression_stocking, compression_continuous_hours, compression_days,"
                " compression_nights_too, notes, state, version, signed_by, created_at, updated_at) VALUES ('s1', 'p1',"
                " '2026-02-02 10:00', 'C1', '', '{}', '', true, '', 24, 14, false, '', 'draft', 1, '', '2026-02-02',"
                " '2026-02-02')"
            )
        )
        for number, region in ((1, upper), (2, lower), (3, lower)):
            connection.execute(
                text(
                    "INSERT INTO injection_sites (session_id, number, view, x, y, region, diagram_version, agent_id,"
                    " concentration, form, volume_ml, vessel_type, delivery, lot_number, reaction, notes,"
                    " override_reason) VALUES ('s1', :n, 'anterior', 0.3, 0.3, :r, 1, 1, 0.5, 'liquid', 0.2,"
                    " 'telangiectasia', 'needle', '', 'none', '', '')"
                ),
                {"n": number, "r": region},
            )
        for day, region, percent, kinds, notes in (
            ("2026-03-16", upper, 50, '["bruising"]', "small bruise"),
            ("2026-03-16", "", 75, "[]", ""),
            ("2026-05-04", lower, 100, "[]", "clear"),
        ):
            connection.execute(
                text(
                    "INSERT INTO follow_ups (session_id, examined_on, region, clearance_percent, complications, notes)"
                    " VALUES ('s1', :day, :region, :percent, :kinds, :notes)"
                ),
                {"day": day, "region": region, "percent": percent, "kinds": kinds, "notes": notes},
            )
    engine.dispose()
    db = open_database(db_url)
    ctx = ServiceContext(db, "t", FixedClock())
    visits = follow_ups.patient_visits(ctx, "p1")
    assert [v.examined_on for v in visits] == [dt.date(2026, 3, 16), dt.date(2026, 5, 4)]
    first, second = visits
    # The row naming the upper region keeps its 50 %; the whole-session row of that day rates the rest.
    assert {c.region: c.percent for c in first.clearances} == {upper: 50, lower: 75}
    assert [(f.kind, f.side, f.region, f.severity) for f in first.complications] == [
        (Complication.BRUISING, ComplicationSide.RIGHT, upper, Severity.NOT_RECORDED)
    ]
    assert first.notes == "small bruise" and first.imported and first.frozen and not first.signed
    with pytest.raises(ConflictError, match="carried over from an earlier version"):
        follow_ups.update_visit(ctx, first.id, first.version, VisitDraft(first.examined_on))
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="cannot be changed"):
        raw(db, "DELETE FROM region_clearances WHERE visit_id = :v", v=first.id)
    assert {c.region: c.percent for c in second.clearances} == {lower: 100}
    with db.read() as tx:
        tables = set(sqlalchemy.inspect(tx.connection()).get_table_names())
        kept = tx.execute(text("SELECT count(*) FROM injection_sites")).scalar()
    assert "follow_ups" not in tables and "follow_up_visits" in tables
    # SQLite rebuilds the sessions' table to widen its CEAP columns: its sites must not go with the old table.
    assert kept == 3
    db.close()


def test_the_patients_trail_tells_of_visits_photos_and_lots(ctx: ServiceContext) -> None:
    import io

    from PIL import Image

    from sclerochart.domain.values import View
    from sclerochart.services import lots, photos, session_detail

    patient_id, _first_day, (upper, _lower) = _course(ctx)
    visit = follow_ups.record_visit(ctx, patient_id, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 50),)))
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 40)).save(picture, "JPEG")
    photos.add_photo_file(ctx, picture.getvalue(), view=View.ANTERIOR, visit_id=visit.id, original_name="after.jpg")
    session_ids = tuple(s.id for s in sessions.list_sessions(ctx, patient_id))
    newest = session_ids[0]
    lots.set_session_lot(ctx, newest, 1, "L-1", None, session_detail.get_session(ctx, newest).session.version)
    trail = audit.patient_trail(ctx, patient_id, session_ids)
    kinds = [(entry.action, entry.entity) for entry in trail]
    assert ("create", "follow-up") in kinds and ("create", "photo") in kinds and ("create", "session lot") in kinds
    assert kinds.count(("create", "photo")) == 1, "a visit's photo is told once"


def test_another_rooms_visit_and_lot_reach_this_rooms_feed(ctx: ServiceContext, db_url: str) -> None:
    from sclerochart.services import changes, lots, session_detail

    patient_id, _first_day, (upper, _lower) = _course(ctx)
    other_db = open_database(db_url)
    other = ServiceContext(other_db, actor="Nurse Ruth", clock=ctx.clock, room="Room 2")
    try:
        mark = changes.latest_change(ctx)
        follow_ups.record_visit(other, patient_id, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 25),)))
        mark, seen = changes.changes_since(ctx, mark)
        assert seen.courses == {patient_id} and seen.elsewhere
        newest = sessions.list_sessions(ctx, patient_id)[0].id
        lots.set_session_lot(other, newest, 1, "L-9", None, session_detail.get_session(ctx, newest).session.version)
        _mark, seen = changes.changes_since(ctx, mark)
        assert newest in seen.sessions and patient_id in seen.session_patients
    finally:
        other_db.close()


def test_the_practitioner_who_saw_the_patient_signs_the_visit(ctx: ServiceContext) -> None:
    from sclerochart.domain.accounts import AccountDraft, Role
    from sclerochart.services import accounts

    patient_id, _first_day, (upper, _lower) = _course(ctx)
    ana = signed_in(ctx)
    other = accounts.add_account(ctx, AccountDraft("Dr. Ben Ode", "ben", Role.PHYSICIAN), PASSWORD)
    visit = follow_ups.record_visit(ctx, patient_id, VisitDraft(ctx.today(), other.id, (RegionClearance(upper, 75),)))
    with pytest.raises(ConflictError, match=r"Signer: the visit is recorded as seen by Dr\. Ben Ode"):
        follow_ups.sign_visit(ctx, visit.id, visit.version, PASSWORD)
    mine = follow_ups.update_visit(ctx, visit.id, visit.version, VisitDraft(ctx.today(), ana.id, visit.clearances))
    assert follow_ups.sign_visit(ctx, visit.id, mine.version, PASSWORD).signed


def test_a_photo_changed_past_the_program_is_named_by_the_check_and_a_removed_visit_audits_its_photos(
    ctx: ServiceContext,
) -> None:
    import io

    from PIL import Image

    from sclerochart.domain.values import View
    from sclerochart.services import photos
    from sclerochart.store.integrity import verify_photos

    patient_id, _first_day, (upper, _lower) = _course(ctx)
    visit = follow_ups.record_visit(ctx, patient_id, VisitDraft(ctx.today(), clearances=(RegionClearance(upper, 50),)))
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 40)).save(picture, "JPEG")
    added = photos.add_photo_file(ctx, picture.getvalue(), view=View.ANTERIOR, visit_id=visit.id)
    assert verify_photos(ctx.db).ok
    raw(ctx.db, "UPDATE photos SET data = :data WHERE id = :p", data=b"not the picture", p=added.id)
    result = verify_photos(ctx.db)
    assert not result.ok and added.id in result.detail
    follow_ups.remove_visit(ctx, visit.id, follow_ups.get_visit(ctx, visit.id).version)
    assert [e.action for e in audit.history(ctx, "photo", added.id)] == ["create", "delete"]
    session_ids = tuple(s.id for s in sessions.list_sessions(ctx, patient_id))
    kinds = [(e.action, e.entity) for e in audit.patient_trail(ctx, patient_id, session_ids)]
    assert ("delete", "follow-up") in kinds and ("delete", "photo") in kinds, "a removed visit stays in the trail"
