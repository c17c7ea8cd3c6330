"""The clinic's outcome figures against a small clinic worked out by hand, on both engines, and the command."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from sclerochart.cli import main
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.follow_up import ComplicationFinding, ComplicationSide, RegionClearance, VisitDraft
from sclerochart.domain.outcome_figures import Grouping
from sclerochart.domain.values import Complication, Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import follow_ups, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.services.outcome_figures import outcome_figures
from tests.conftest import patient_draft
from tests.signing import PASSWORD, signed_in

POLIDOCANOL, STS = 1, 2
DAY0 = dt.date(2026, 6, 1)
TEL, RET = VesselType.TELANGIECTASIA, VesselType.RETICULAR


def _site(height: float, agent_id: int, concentration: float, vessel: VesselType) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, agent_id, concentration, Form.LIQUID, 0.2, vessel)


def _clinic(ctx: ServiceContext) -> None:
    """A clinic small enough to count by hand.

    Patient A: session on day 0 (polidocanol 0.5 % in R1 and R2, STS 0.2 % in R2); R1 50 % then 75 %, R2
    100 % with bruising there. Patient B: polidocanol 1 % in R1 on day 0; a headache at a later visit, no
    rating. Patient C: treated after the period.
    """
    signed_in(ctx)
    start = dt.datetime.combine(DAY0, dt.time(10))
    a = patients.create_patient(ctx, patient_draft(chart_number="A"))
    b = patients.create_patient(ctx, patient_draft(chart_number="B", family_name="Other"))
    c = patients.create_patient(ctx, patient_draft(chart_number="C", family_name="Later"))
    s1 = sessions.start_session(ctx, a.id, SessionDraft(None, start, weight_kg=70.0)).id
    r1 = sites.add_site(ctx, s1, _site(20, POLIDOCANOL, 0.5, TEL)).sites[0].region
    r2 = sites.add_site(ctx, s1, _site(70, POLIDOCANOL, 0.5, TEL)).sites[0].region
    sites.add_site(ctx, s1, _site(72, STS, 0.2, RET))
    s2 = sessions.start_session(ctx, b.id, SessionDraft(None, start, weight_kg=70.0)).id
    sites.add_site(ctx, s2, _site(20, POLIDOCANOL, 1.0, RET))
    s3 = sessions.start_session(ctx, c.id, SessionDraft(None, start + dt.timedelta(days=60), weight_kg=70.0)).id
    sites.add_site(ctx, s3, _site(20, POLIDOCANOL, 0.5, TEL))
    bruise = ComplicationFinding(Complication.BRUISING, ComplicationSide.RIGHT, r2)
    follow_ups.record_visit(
        ctx,
        a.id,
        VisitDraft(DAY0 + dt.timedelta(weeks=6), clearances=(RegionClearance(r1, 50), RegionClearance(r2, 100)),
                   complications=(bruise,)),
    )  # fmt: skip
    follow_ups.record_visit(ctx, a.id, VisitDraft(DAY0 + dt.timedelta(weeks=10), clearances=(RegionClearance(r1, 75),)))
    headache = ComplicationFinding(Complication.HEADACHE)
    follow_ups.record_visit(ctx, b.id, VisitDraft(DAY0 + dt.timedelta(weeks=4), complications=(headache,)))


def test_the_figures_are_those_worked_out_by_hand(ctx: ServiceContext) -> None:
    _clinic(ctx)
    figures = outcome_figures(ctx, DAY0, DAY0 + dt.timedelta(days=30))
    by_agent = {row.group: row for row in figures.rows(Grouping.AGENT)}
    polidocanol, sts = by_agent["Polidocanol"], by_agent["Sodium tetradecyl sulfate"]
    # Sites A1, A2, B1: all followed up; A1 (75, the latest) and A2 (100) rated; A2 bruised, B1 headache.
    assert (polidocanol.sites, polidocanol.followed_up, polidocanol.rated) == (3, 3, 2)
    assert (polidocanol.mean_cleared, polidocanol.cleared_75, polidocanol.with_complication) == (87.5, 2, 2)
    assert polidocanol.complication_rate == pytest.approx(2 / 3)
    assert (sts.sites, sts.rated, sts.mean_cleared, sts.with_complication) == (1, 1, 100.0, 1)
    by_vessel = {row.group: row for row in figures.rows(Grouping.VESSEL)}
    assert (by_vessel["Telangiectasia"].sites, by_vessel["Telangiectasia"].with_complication) == (2, 1)
    assert (by_vessel["Reticular vein"].rated, by_vessel["Reticular vein"].with_complication) == (1, 2)
    by_strength = {row.group: row.sites for row in figures.rows(Grouping.CONCENTRATION)}
    assert by_strength == {"Polidocanol 0.5 %": 2, "Polidocanol 1 %": 1, "Sodium tetradecyl sulfate 0.2 %": 1}
    total = figures.total()
    assert (total.sites, total.followed_up, total.rated, total.cleared_sum, total.with_complication) == (
        4,
        4,
        3,
        275,
        3,
    )
    assert outcome_figures(ctx).total().sites == 5, "no period: every session, patient C's too"
    assert outcome_figures(ctx, DAY0 - dt.timedelta(days=9), DAY0 - dt.timedelta(days=1)).cells == ()
    with pytest.raises(ValidationError, match="before the start of the period"):
        outcome_figures(ctx, DAY0, DAY0 - dt.timedelta(days=1))


@pytest.mark.sqlite_only
def test_the_command_prints_and_saves_the_figures(
    ctx: ServiceContext,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clinic(ctx)
    monkeypatch.setenv("SCLEROCHART_PASSWORD", PASSWORD)
    target = tmp_path / "figures.csv"
    arguments = ["--db", db_url, "outcomes", "--from", "2026-06-01", "--to", "2026-06-30", "--user", "ana"]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "Polidocanol" in out and "87.5 %" in out and "01.06.2026 to 30.06.2026" in out
    assert main([*arguments, "--by", "agent", "--csv", str(target)]) == 0
    assert "written to" in capsys.readouterr().out
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Outcome figures of 01.06.2026 to 30.06.2026, by sclerosant"], "the file says what it holds"
    assert rows[3][0] == "Sclerosant" and ["Polidocanol", "3", "3", "2", "87.5", "2", "2", "66.7"] in rows
    assert main([*arguments, "--to", "2026-05-01"]) == 1
    assert "before the start of the period" in capsys.readouterr().err


def test_the_kept_sums_follow_every_change_and_agree_with_the_sums_from_every_site(ctx: ServiceContext) -> None:
    from sclerochart.services import outcome_figures as service
    from sclerochart.services.signatures import void_session

    _clinic(ctx)

    def both() -> tuple[object, object]:
        kept = outcome_figures(ctx)
        direct = service._worked_out_from_every_site(ctx, None, None)
        return sorted(kept.cells, key=repr), sorted(direct.cells, key=repr)

    kept, direct = both()
    assert kept == direct and outcome_figures(ctx).total().sites == 5
    with ctx.db.read() as tx:
        assert tx.execute(text("SELECT count(*) FROM outcome_dirty")).scalar() == 0, "worked out, the marks go"
    # A site more, a visit changed, a session voided: each marks its patient; the figures follow.
    patient_b = patients.search_patients(ctx, "Other")[0].id
    session_b = sessions.list_sessions(ctx, patient_b)[0].id
    sites.add_site(ctx, session_b, _site(40, STS, 0.2, RET))
    with ctx.db.read() as tx:
        assert tx.execute(text("SELECT patient_id FROM outcome_dirty")).scalars().all() == [patient_b]
    kept, direct = both()
    assert kept == direct and outcome_figures(ctx).total().sites == 6
    visit_b = follow_ups.patient_visits(ctx, patient_b)[0]
    follow_ups.remove_visit(ctx, visit_b.id, visit_b.version)
    kept, direct = both()
    assert kept == direct and outcome_figures(ctx).total().with_complication == 2
    patient_c = patients.search_patients(ctx, "Later")[0].id
    session_c = sessions.list_sessions(ctx, patient_c)[0].id
    void_session(
        ctx, session_c, "charted on the wrong patient", session_detail.get_session(ctx, session_c).session.version
    )
    kept, direct = both()
    assert kept == direct and outcome_figures(ctx).total().sites == 5, "a voided session counts no more"


def test_complications_outside_a_treated_region_count_for_the_leg_or_the_session_both_ways(
    ctx: ServiceContext,
) -> None:
    """Complications in no treated region still count, both ways alike.

    A calf complication after thigh injections counts for that leg's sites; a headache after a session with
    no sites counts for the last session that had sites.
    """
    from sclerochart.services import outcome_figures as service

    signed_in(ctx)
    start = dt.datetime.combine(DAY0, dt.time(10))
    patient = patients.create_patient(ctx, patient_draft(chart_number="D"))
    s1 = sessions.start_session(ctx, patient.id, SessionDraft(None, start, weight_kg=70.0)).id
    right = sites.add_site(ctx, s1, _site(20, POLIDOCANOL, 0.5, TEL)).sites[0]  # right anterior thigh
    x, y = point_for(View.ANTERIOR, 1, 20, 0.0)  # the left leg, same height
    sites.add_site(ctx, s1, SiteDraft(View.ANTERIOR, x, y, STS, 0.2, Form.LIQUID, 0.2, RET))
    sessions.start_session(ctx, patient.id, SessionDraft(None, start + dt.timedelta(days=7), weight_kg=70.0))
    calf = "right.posterior.lower-leg-middle"
    assert calf != right.region
    findings = (ComplicationFinding(Complication.DVT_DISTAL, ComplicationSide.RIGHT, calf),)
    follow_ups.record_visit(ctx, patient.id, VisitDraft(DAY0 + dt.timedelta(weeks=3), complications=findings))
    by_agent = {row.group: row.with_complication for row in outcome_figures(ctx).rows(Grouping.AGENT)}
    assert by_agent == {"Polidocanol": 1, "Sodium tetradecyl sulfate": 0}, "the right leg's site only"
    headache = (ComplicationFinding(Complication.HEADACHE),)
    follow_ups.record_visit(ctx, patient.id, VisitDraft(DAY0 + dt.timedelta(weeks=4), complications=headache))
    by_agent = {row.group: row.with_complication for row in outcome_figures(ctx).rows(Grouping.AGENT)}
    assert by_agent == {"Polidocanol": 1, "Sodium tetradecyl sulfate": 1}, "the last session with sites, whole"
    kept = sorted(outcome_figures(ctx).cells, key=repr)
    direct = sorted(service._worked_out_from_every_site(ctx, None, None).cells, key=repr)
    assert kept == direct


def test_two_rooms_asking_for_the_figures_at_once_both_get_them(ctx: ServiceContext, db_url: str) -> None:
    import threading

    from sclerochart.services import outcome_figures as service
    from sclerochart.store.database import open_database

    _clinic(ctx)
    with ctx.db.write() as tx:  # every patient marked again, as after an update
        tx.execute(text("DELETE FROM outcome_dirty"))
        tx.execute(text("INSERT INTO outcome_dirty (patient_id, stamp) SELECT id, 9 FROM patients"))
    other_db = open_database(db_url)
    other = ServiceContext(other_db, actor="Room 2", clock=ctx.clock, room="Room 2")
    failures: list[BaseException] = []
    barrier = threading.Barrier(2)

    def ask(room: ServiceContext) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(3):
                service.outcome_figures(room)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=ask, args=(room,)) for room in (ctx, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other_db.close()
    assert failures == []
    kept = sorted(outcome_figures(ctx).cells, key=repr)
    assert kept == sorted(service._worked_out_from_every_site(ctx, None, None).cells, key=repr)
