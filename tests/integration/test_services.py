"""Use cases on a real database: each one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sclerochart.domain.diagram import point_for
from sclerochart.domain.dose import ReasonNeeded
from sclerochart.domain.errors import ConflictError, NotFoundError, StaleError, ValidationError
from sclerochart.domain.values import (
    Form,
    Gas,
    SessionDraft,
    SessionState,
    Severity,
    SiteDraft,
    VesselType,
    View,
)
from sclerochart.services import audit, catalogue, clinic, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import FixedClock, patient_draft
from tests.signing import sign

POL, STS = 1, 2


def site_draft(view: View = View.ANTERIOR, leg: int = 0, height: float = 30.0, **changes: object) -> SiteDraft:
    x, y = point_for(view, leg, height, 0.0)
    base = SiteDraft(
        view=view,
        x=x,
        y=y,
        agent_id=POL,
        concentration=0.5,
        form=Form.LIQUID,
        volume_ml=0.2,
        vessel_type=VesselType.TELANGIECTASIA,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def patient_id(ctx: ServiceContext) -> str:
    return patients.create_patient(ctx, patient_draft()).id


@pytest.fixture
def session_id(ctx: ServiceContext, patient_id: str) -> str:
    return sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def test_create_patient_writes_an_audit_event_with_the_values(ctx: ServiceContext, patient_id: str) -> None:
    (event,) = audit.history(ctx, "patient", patient_id)
    assert (event.action, event.actor, event.before) == ("create", "tester", None)
    assert event.after is not None and event.after["family_name"] == "Łukasiewicz-Ødegård"


def test_update_audits_before_and_after_and_skips_no_op(ctx: ServiceContext, patient_id: str) -> None:
    patient = patients.get_patient(ctx, patient_id)
    patients.update_patient(ctx, patient_id, patient.draft(), patient.version)
    changed = patients.update_patient(ctx, patient_id, replace(patient.draft(), family_name="Иванова"), patient.version)
    assert changed.version == patient.version + 1
    assert changed.family_name == "Иванова"
    events = audit.history(ctx, "patient", patient_id)
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before and events[1].before["family_name"] == "Łukasiewicz-Ødegård"
    assert events[1].after and events[1].after["family_name"] == "Иванова"
    assert [hit.id for hit in patients.search_patients(ctx, "иван")] == [patient_id]
    assert patients.search_patients(ctx, "luk") == ()


def test_chart_numbers_are_unique_with_a_message_naming_the_holder(ctx: ServiceContext, patient_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        patients.create_patient(ctx, patient_draft(family_name="Other"))
    assert "already belongs to Łukasiewicz-Ødegård" in (caught.value.for_field("Chart number") or "")


def test_invalid_patient_saves_nothing(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError):
        patients.create_patient(ctx, patient_draft(date_of_birth=dt.date(2030, 1, 1)))
    assert patients.search_patients(ctx, "") == ()


def test_search_by_name_parts_accents_chart_number_and_birth_date(ctx: ServiceContext) -> None:
    zoe = patients.create_patient(ctx, patient_draft()).id
    dmitry = patients.create_patient(
        ctx,
        patient_draft(
            chart_number="SC-0002", family_name="Иванов", given_name="Дмитрий", date_of_birth=dt.date(1975, 6, 1)
        ),
    ).id
    hong = patients.create_patient(
        ctx,
        patient_draft(
            chart_number="SC-0003", family_name="Nguyễn", given_name="Thị Hồng", date_of_birth=dt.date(1990, 12, 31)
        ),
    ).id

    def ids(query: str) -> list[str]:
        return [hit.id for hit in patients.search_patients(ctx, query)]

    assert ids("luk") == [zoe]
    assert ids("ODEGARD zo") == [zoe]
    assert ids("Łukasiewicz-Ødegård") == [zoe]
    assert ids("иван") == [dmitry]
    assert ids("nguyen hong") == [hong]
    assert ids("SC-0002") == [dmitry]
    assert ids("sc0003") == [hong]
    assert ids("31.12.1990") == [hong]
    assert ids("xyz") == []
    assert ids("") == [zoe, hong, dmitry]  # by folded family name; Cyrillic sorts after Latin


def test_a_patient_matching_through_many_words_does_not_crowd_out_others(ctx: ServiceContext) -> None:
    many = patients.create_patient(ctx, patient_draft(family_name="La Lb Lc Ld Le Lf Lg Lh", given_name="Li")).id
    other = patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Lz")).id
    assert [hit.id for hit in patients.search_patients(ctx, "l", limit=2)] == [many, other]


def test_archived_patients_leave_the_list_but_not_the_database(ctx: ServiceContext, patient_id: str) -> None:
    archived = patients.set_archived(ctx, patient_id, True, patients.get_patient(ctx, patient_id).version)
    assert patients.search_patients(ctx, "zoe") == ()
    assert patients.search_patients(ctx, "zoe", include_archived=True)[0].archived
    with pytest.raises(ConflictError, match="archived"):
        sessions.start_session(ctx, patient_id)
    patients.set_archived(ctx, patient_id, False, archived.version)
    assert [e.action for e in audit.history(ctx, "patient", patient_id)] == ["create", "archive", "restore"]


def test_start_session_prefills_weight_and_compression(ctx: ServiceContext, clock: FixedClock, patient_id: str) -> None:
    first = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=64.5))
    assert first.state is SessionState.DRAFT and first.version == 1
    clock.now += dt.timedelta(weeks=7)
    second = sessions.start_session(ctx, patient_id)
    assert second.weight_kg == 64.5
    assert (second.compression.days, second.compression.continuous_hours) == (14, 24)


def test_site_lifecycle_add_move_edit_remove_with_audit(ctx: ServiceContext, session_id: str) -> None:
    (first,) = sites.add_site(ctx, session_id, site_draft()).sites
    (second,) = sites.add_site(ctx, session_id, site_draft(View.POSTERIOR, 1, 47)).sites
    assert (first.number, second.number) == (1, 2)
    assert first.region_label == "Right anterior thigh, distal third"
    assert second.region_label == "Right popliteal fossa"
    x, y = point_for(View.LEFT_MEDIAL, 0, 89, 0.0)
    (moved,) = sites.move_site(ctx, first.id, View.LEFT_MEDIAL, x, y, first.version).sites
    assert moved.region_label == "Left medial ankle (malleolus)" and moved.version == first.version + 1
    foam = replace(moved.draft(), form=Form.FOAM, foam_liquid_parts=1, foam_gas_parts=4, gas=Gas.CO2_O2)
    (edited,) = sites.edit_site(ctx, first.id, foam, moved.version).sites
    assert edited.form is Form.FOAM and edited.region == moved.region
    removed = sites.remove_site(ctx, second.id, second.version)
    detail = session_detail.get_session(ctx, session_id)
    assert [s.number for s in detail.sites] == [1]
    assert detail.session.version == 1 + 5
    assert [e.action for e in audit.history(ctx, "site", first.id)] == ["create", "update", "update"]
    (deleted,) = [e for e in audit.history(ctx, "site", removed.id) if e.action == "delete"]
    assert deleted.before and deleted.before["region"] == "right.posterior.knee" and deleted.after is None
    (third,) = sites.add_site(ctx, session_id, site_draft()).sites
    assert third.number == 2
    (restored,) = sites.add_site(ctx, session_id, removed.draft(), number=7).sites
    assert restored.number == 7
    with pytest.raises(ConflictError, match="Site 7 is taken"):
        sites.add_site(ctx, session_id, removed.draft(), number=7)


def test_the_id_of_a_deleted_site_is_never_given_to_a_new_one(ctx: ServiceContext, session_id: str) -> None:
    (first,) = sites.add_site(ctx, session_id, site_draft()).sites
    sites.remove_site(ctx, first.id, first.version)
    (second,) = sites.add_site(ctx, session_id, site_draft()).sites
    assert second.id != first.id
    assert [e.action for e in audit.history(ctx, "site", first.id)] == ["create", "delete"]


def test_a_click_outside_the_leg_or_bad_values_store_nothing(ctx: ServiceContext, session_id: str) -> None:
    with pytest.raises(ValidationError, match="outside the leg"):
        sites.add_site(ctx, session_id, replace(site_draft(), x=0.5, y=0.5))
    with pytest.raises(ValidationError, match="Concentration"):
        sites.add_site(ctx, session_id, site_draft(concentration=0.3))
    with pytest.raises(ValidationError, match="Volume"):
        sites.add_site(ctx, session_id, site_draft(volume_ml=-1.0))
    detail = session_detail.get_session(ctx, session_id)
    assert detail.sites == () and detail.session.version == 1


@pytest.mark.usefixtures("without_injection_maximum")
def test_totals_and_findings_of_a_session(ctx: ServiceContext, session_id: str) -> None:
    for _ in range(14):
        sites.add_site(ctx, session_id, site_draft(concentration=1.0, volume_ml=1.0))
    detail = session_detail.get_session(ctx, session_id)
    (totals,) = detail.totals
    assert totals.mg == pytest.approx(140.0)
    mg_limit = next(u for u in detail.limits if u.unit == "mg")
    assert mg_limit.severity is Severity.CAUTION
    sites.add_site(ctx, session_id, site_draft(concentration=1.0, volume_ml=0.5, override_reason="Agreed with patient"))
    detail = session_detail.get_session(ctx, session_id)
    codes = {f.code: f for f in detail.findings}
    assert codes["limit_mg_per_day"].severity is Severity.EXCEEDED
    assert "Agreed with patient" in codes["override"].message


def test_one_injection_over_the_labels_amount_needs_a_reason(ctx: ServiceContext, session_id: str) -> None:
    with pytest.raises(ReasonNeeded, match=r"5 mL in one injection is more than the 0.3 mL per injection"):
        sites.add_site(ctx, session_id, site_draft(volume_ml=5.0))
    assert session_detail.get_session(ctx, session_id).sites == ()  # nothing stored without the reason
    sites.add_site(ctx, session_id, site_draft(volume_ml=5.0, override_reason="Large feeder, checked"))
    detail = session_detail.get_session(ctx, session_id)
    assert [s.override_reason for s in detail.sites] == ["Large feeder, checked"]
    assert any(f.code == "override" and "Large feeder" in f.message for f in detail.findings)
    # A second large injection asks again: the first reason covers its own site only.
    with pytest.raises(ReasonNeeded, match="Site 2"):
        sites.add_site(ctx, session_id, site_draft(height=40.0, volume_ml=0.5))
    sites.add_site(ctx, session_id, site_draft(height=40.0, volume_ml=0.3))  # at the label's amount: no question


@pytest.mark.usefixtures("without_injection_maximum")
def test_interval_warning_and_same_day_dose(ctx: ServiceContext, clock: FixedClock, patient_id: str) -> None:
    first = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=70.0)).id
    for _ in range(10):
        sites.add_site(ctx, first, site_draft(concentration=1.0, volume_ml=1.0))
    clock.now += dt.timedelta(hours=3)
    second = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=70.0)).id
    for _ in range(4):
        sites.add_site(ctx, second, site_draft(concentration=1.0, volume_ml=1.0))
    with pytest.raises(ReasonNeeded, match="140 mg"):  # 150 mg today: more than 2 mg/kg × 70 kg
        sites.add_site(ctx, second, site_draft(concentration=1.0, volume_ml=1.0))
    sites.add_site(ctx, second, site_draft(concentration=1.0, volume_ml=1.0, override_reason="Agreed with patient"))
    detail = session_detail.get_session(ctx, second)
    assert next(u for u in detail.limits if u.unit == "mg").used == pytest.approx(150.0)
    assert {"interval", "limit_mg_per_day"} <= {f.code for f in detail.findings}


def test_missing_weight_finding_reaches_the_session(ctx: ServiceContext, patient_id: str) -> None:
    sid = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock())).id
    sites.add_site(ctx, sid, site_draft())
    assert [f.code for f in session_detail.get_session(ctx, sid).findings] == ["weight_missing"]


def test_a_signed_session_cannot_change(ctx: ServiceContext, session_id: str) -> None:
    change = sites.add_site(ctx, session_id, site_draft())
    (site,) = change.sites
    sign(ctx, session_id)
    with pytest.raises(ConflictError, match="signed"):
        sites.add_site(ctx, session_id, site_draft())
    with pytest.raises(ConflictError, match="signed"):
        sites.remove_site(ctx, site.id, site.version)


def test_session_details_from_an_older_version_are_refused_but_a_site_placed_meanwhile_is_no_reason(
    ctx: ServiceContext, session_id: str
) -> None:
    header = session_detail.get_session(ctx, session_id).session
    sites.add_site(ctx, session_id, site_draft())  # another room places a site: the details are as they were
    heavier = SessionDraft(None, header.started_at, weight_kg=71.0)
    updated = sessions.update_session(ctx, session_id, heavier, expected_details_version=header.details_version)
    assert updated.weight_kg == 71.0 and updated.details_version == header.details_version + 1
    with pytest.raises(StaleError, match="was changed by tester in this program"):
        sessions.update_session(ctx, session_id, replace(heavier, notes="x"), header.details_version)
    assert session_detail.get_session(ctx, session_id).session.notes == ""


def test_sessions_list_newest_first_with_counts(ctx: ServiceContext, clock: FixedClock, patient_id: str) -> None:
    old = sessions.start_session(ctx, patient_id, SessionDraft(None, clock() - dt.timedelta(weeks=8))).id
    new = sessions.start_session(ctx, patient_id, SessionDraft(None, clock())).id
    sites.add_site(ctx, new, site_draft(volume_ml=0.3))
    sites.add_site(ctx, new, site_draft(volume_ml=0.2))
    listed = sessions.list_sessions(ctx, patient_id)
    assert [(s.id, s.site_count, s.total_ml) for s in listed] == [(new, 2, pytest.approx(0.5)), (old, 0, 0.0)]
    assert sessions.find_session(ctx, new[:8]) == new
    with pytest.raises(NotFoundError):
        sessions.find_session(ctx, "nothing")


def test_clinic_settings_and_catalogue_limits_are_audited(ctx: ServiceContext) -> None:
    assert clinic.load_settings(ctx).interval_weeks == 6
    clinic.change_setting(ctx, "interval_weeks", 8)
    assert clinic.load_settings(ctx).interval_weeks == 8
    with pytest.raises(ValidationError, match="Weeks between sessions"):
        clinic.change_setting(ctx, "interval_weeks", 400)
    seen = catalogue.sclerosants_by_id(ctx)[3].version
    saline = catalogue.set_sclerosant_limit(ctx, 3, "max_ml_session", 6.0, seen)
    assert saline.max_ml_session == 6.0
    assert [e.action for e in audit.history(ctx, "setting", "interval_weeks")] == ["update"]


def test_presets_keep_keys_unique_and_check_the_agent(ctx: ServiceContext) -> None:
    (first, *_) = catalogue.list_presets(ctx)
    moved = catalogue.save_preset(ctx, replace(first, id=0, name="POL 0.25 % new", key=first.key))
    keys = {p.id: p.key for p in catalogue.list_presets(ctx)}
    assert keys[moved.id] == 1 and keys[first.id] is None
    with pytest.raises(ValidationError, match="Concentration"):
        catalogue.save_preset(ctx, replace(first, concentration=0.33))


@pytest.mark.usefixtures("without_injection_maximum")
def test_an_edit_needs_a_reason_only_for_limits_it_newly_exceeds(ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    preset = catalogue.list_presets(ctx)[0]
    (site,) = sites.add_site(
        ctx, session.id, preset.site_draft(View.ANTERIOR, *point_for(View.ANTERIOR, 0, 30, 0))
    ).sites
    bigger = replace(site.draft(), concentration=1.0, volume_ml=13.5)  # 135 mg alone: within 2 mg/kg × 70 kg
    (site,) = sites.edit_site(ctx, site.id, bigger, site.version).sites
    # The edit replaces the stored site rather than adding to it: 145 mg goes over.
    larger = replace(bigger, volume_ml=14.5)
    with pytest.raises(ReasonNeeded) as refused:
        sites.edit_site(ctx, site.id, larger, site.version)
    (finding,) = refused.value.findings
    assert "140 mg" in finding.message
    assert session_detail.get_session(ctx, session.id).sites == (site,), "nothing stored without a reason"
    (stored,) = sites.edit_site(ctx, site.id, replace(larger, override_reason="Agreed"), site.version).sites
    assert stored.volume_ml == 14.5 and stored.override_reason == "Agreed"


@pytest.mark.usefixtures("without_injection_maximum")
def test_the_dose_check_uses_the_limits_and_same_day_sessions_stored_now(
    ctx: ServiceContext, clock: FixedClock, patient_id: str
) -> None:
    sid = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=70.0)).id
    shown = sites.add_site(ctx, sid, site_draft(concentration=1.0, volume_ml=6.0)).detail  # 60 of 140 mg
    # Another room: a second session of the same patient the same day, and a stricter limit in the catalogue.
    other = sessions.start_session(ctx, patient_id, SessionDraft(None, clock() + dt.timedelta(hours=1))).id
    sites.add_site(ctx, other, site_draft(concentration=1.0, volume_ml=7.0))  # 70 mg: 130 of 140 mg today
    with pytest.raises(ReasonNeeded, match="140 mg"):
        sites.add_site(ctx, sid, site_draft(concentration=1.0, volume_ml=2.0), shown=shown)
    polidocanol = catalogue.sclerosants_by_id(ctx)[POL]
    catalogue.set_sclerosant_limit(ctx, POL, "max_ml_session", 7.0, polidocanol.version)
    with pytest.raises(ReasonNeeded, match="limit of 7 mL"):  # 7.5 mL in this session; 137.5 of 140 mg today
        sites.add_site(ctx, sid, site_draft(concentration=0.5, volume_ml=1.5), shown=shown)
    assert len(session_detail.get_session(ctx, sid).sites) == 1


@pytest.mark.usefixtures("without_injection_maximum")
def test_a_site_added_to_the_shown_session_gives_what_a_fresh_read_gives(
    ctx: ServiceContext, clock: FixedClock, patient_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=70.0)).id
    sites.add_site(ctx, earlier, site_draft(concentration=1.0, volume_ml=4.0))
    clock.now += dt.timedelta(hours=2)  # same day: counts against the daily limit; also sooner than the interval
    sid = sessions.start_session(ctx, patient_id, SessionDraft(None, clock(), weight_kg=70.0)).id
    shown = session_detail.get_session(ctx, sid)
    drafts = [
        site_draft(concentration=1.0, volume_ml=3.0),
        site_draft(View.POSTERIOR, agent_id=STS, concentration=0.5, volume_ml=1.0),
        site_draft(form=Form.FOAM, foam_liquid_parts=1, foam_gas_parts=4, gas=Gas.ROOM_AIR, volume_ml=2.0),
        site_draft(concentration=1.0, volume_ml=4.0, override_reason="Large feeder, agreed"),
    ]
    for draft in drafts:
        with monkeypatch.context() as patched:  # the shown session's sites are added to, never added up again
            patched.setattr(session_detail, "tally", lambda *_: pytest.fail("all the sites were added up again"))
            change = sites.add_site(ctx, sid, draft, shown=shown)
        shown = change.detail
        assert shown == session_detail.get_session(ctx, sid)
        assert shown.sites[-1] == change.sites[0]
    assert {"interval", "limit_mg_per_day", "override"} <= {f.code for f in shown.findings}


def test_a_site_added_after_another_room_changed_the_session_shows_both(ctx: ServiceContext, session_id: str) -> None:
    shown = session_detail.get_session(ctx, session_id)
    (theirs,) = sites.add_site(ctx, session_id, site_draft(volume_ml=0.3)).sites  # the other room
    change = sites.add_site(ctx, session_id, site_draft(View.POSTERIOR), shown=shown)
    assert [s.id for s in change.detail.sites] == [theirs.id, change.sites[0].id]
    assert change.detail == session_detail.get_session(ctx, session_id)


def test_the_interval_warning_is_known_before_a_session_is_started(ctx: ServiceContext, clock: FixedClock) -> None:
    patient = patients.create_patient(ctx, patient_draft(chart_number="INT-1"))
    assert sessions.interval_before_start(ctx, patient.id) is None, "no earlier session: nothing to warn of"
    sessions.start_session(ctx, patient.id, SessionDraft(None, clock() - dt.timedelta(days=20), weight_kg=70.0))
    early = sessions.interval_before_start(ctx, patient.id)
    assert early is not None and early.code == "interval" and "20 days ago" in early.message
    assert len(sessions.list_sessions(ctx, patient.id)) == 1, "asking stores nothing"
    clock.now += dt.timedelta(weeks=4)
    assert sessions.interval_before_start(ctx, patient.id) is None, "six weeks on: no warning"
