"""The treatment summary PDF: every session in order with totals, follow-ups, and markers coloured by session.

Signatures print with their offset and amendments beside their sessions; voided sessions are listed and marked,
and left out of the course, its totals and the diagram.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.domain.follow_up import ComplicationFinding, ComplicationSide, RegionClearance, VisitDraft
from sclerochart.domain.signing import AmendmentDraft, Correction
from sclerochart.domain.values import Complication, PatientDraft, Sex
from sclerochart.reports.diagram import ViewPlacement
from sclerochart.reports.summary import session_colour, treatment_summary
from sclerochart.services import follow_ups, patients, records, session_detail, sessions
from sclerochart.services.context import ServiceContext
from sclerochart.services.signatures import amend_session, void_session
from tests.conftest import NOW, FixedClock
from tests.integration.documents import (
    NAMES,
    RenderedPages,
    chart_session,
    check_golden,
    cli_user,
    flat,
    in_berlin,
    listed_name,
    name_the_clinic,
    pdf_text,
)
from tests.signing import PASSWORD, sign

__all__ = ["in_berlin"]

GOLDEN = Path(__file__).parent.parent / "golden" / "treatment-summary.pdf"
STARTS = (dt.datetime(2026, 3, 2, 9, 0), dt.datetime(2026, 4, 20, 11, 30), dt.datetime(2026, 6, 8, 15, 0))


def _course(ctx: ServiceContext, clock: FixedClock, name: str, starts: tuple[dt.datetime, ...] = STARTS) -> str:
    """A patient with a session at each start (newest charted first, to show the summary sorts them)."""
    for index, start in sorted(enumerate(starts), key=lambda pair: -pair[0]):
        clock.now = start
        chart_session(ctx, name, sites=3 + index, started_at=start, lower_by=8.0 * index)
    clock.now = NOW
    return records.session_record(ctx, chart_session_id(ctx, name)).patient.id


def chart_session_id(ctx: ServiceContext, name: str) -> str:
    """The newest session of the named patient."""
    hit = patients.search_patients(ctx, name.split(" ", 1)[1], limit=1)[0]
    return sessions.list_sessions(ctx, hit.id)[0].id


@pytest.mark.parametrize("name", NAMES)
def test_sessions_in_order_with_totals_and_follow_ups(ctx: ServiceContext, clock: FixedClock, name: str) -> None:
    name_the_clinic(ctx)
    patient_id = _course(ctx, clock, name)
    first = sorted(sessions.list_sessions(ctx, patient_id), key=lambda s: s.started_at)[0]
    region = session_detail.get_session(ctx, first.id).sites[0].region
    finding = ComplicationFinding(Complication.HYPERPIGMENTATION, ComplicationSide.RIGHT, "right.anterior.thigh-middle")
    follow_ups.record_visit(
        ctx,
        patient_id,
        VisitDraft(
            dt.date(2026, 4, 20), clearances=(RegionClearance(region, 75),), complications=(finding,), notes="faint"
        ),
    )
    pdf = treatment_summary(records.patient_record(ctx, patient_id), NOW)
    pages = pdf_text(pdf)
    whole = " ".join(pages).replace("\n", " ")
    for expected in (
        listed_name(name),
        "3 sessions, 02.03.2026 to 08.06.2026",
        "Dr. Ana Müller",
        "Whole course",
        "Polidocanol",
        "20.04.2026",
        "Right anterior thigh, middle third",
        "75 %",
        "Hyperpigmentation",
        "faint",
        "1 = 02.03.2026",
        "3 = 08.06.2026",
        "Praxis Dr. Ødegård",
        f"Record {patient_id}",
    ):
        assert expected in whole, expected
    order = [whole.index(day) for day in ("02.03.2026 09:00", "20.04.2026 11:30", "08.06.2026 15:00")]
    assert order == sorted(order), "sessions are listed oldest first"
    assert [f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1)] == [True] * len(pages)


def test_each_marker_has_its_sessions_colour_where_the_geometry_puts_it(ctx: ServiceContext, clock: FixedClock) -> None:
    patient_id = _course(ctx, clock, NAMES[1])
    record = records.patient_record(ctx, patient_id)
    placements: list[ViewPlacement] = []
    pdf = treatment_summary(record, NOW, placements=placements)
    pages = RenderedPages(pdf, placements)
    checked = sum(
        pages.marker_has_colour(site, session_colour(index))
        for index, detail in enumerate(record.sessions)
        for site in detail.sites
    )
    total = sum(len(d.sites) for d in record.sessions)
    assert total == 3 + 4 + 5
    assert checked == total


@pytest.mark.usefixtures("in_berlin")
def test_amendments_stand_beside_their_sessions_and_voided_sessions_count_for_nothing(
    ctx: ServiceContext, clock: FixedClock
) -> None:
    patient_id = _course(ctx, clock, NAMES[0])
    first, second, third = (d.session.id for d in records.patient_record(ctx, patient_id).sessions)
    sign(ctx, first)  # at NOW, 23.11.2026 10:30
    clock.now = dt.datetime(2026, 11, 24, 9, 15)
    amendment = amend_session(
        ctx,
        first,
        AmendmentDraft("Lot number misread", "Checked against the box.", (Correction(2, "lot_number", None, "X-7"),)),
        PASSWORD,
    )
    void_session(ctx, second, "Charted for the wrong patient", session_detail.get_session(ctx, second).session.version)
    record = records.patient_record(ctx, patient_id)
    placements: list[ViewPlacement] = []
    pdf = treatment_summary(record, NOW, placements=placements)
    whole = flat(pdf_text(pdf))
    for expected in (
        "2 sessions, 02.03.2026 to 08.06.2026; 1 voided session listed below, not counted",
        "Signed by Dr. Ana Müller on 23.11.2026 at 10:30 (UTC+01:00).",
        "Amendment 1 — signed by Dr. Ana Müller on 24.11.2026 at 09:15 (UTC+01:00). Reason: Lot number misread. "
        "Addendum: Checked against the box. Corrected: " + amendment.corrections[0].in_words() + ".",
        "Site 2, lot number: L001 → X-7",
        "Voided: Charted for the wrong patient. Set aside by Dr. Ana Müller on 24.11.2026 at 09:15 "
        "(UTC+01:00); its sites are not counted in any total.",
        "(4) not counted voided",
        "Voided sessions are left out of every total and of the diagram.",
        "1 = 02.03.2026",
        "3 = 08.06.2026",
    ):
        assert expected in whole, expected
    assert "2 = 20.04.2026" not in whole, "the voided session has no place in the diagram's legend"
    assert whole.index("Amendment 1") < whole.index("20.04.2026 11:30") < whole.index("Voided:"), "beside its session"

    counted = [d for d in record.sessions if d.session.id != second]
    for name in {t.agent_name for d in counted for t in d.totals}:
        sites = sum(t.site_count for d in counted for t in d.totals if t.agent_name == name)
        assert f"Whole course Sites Liquid mL Foam mL mg {name} {sites} " in whole, "3 + 5 sites; the voided 4 not"
    pages = RenderedPages(pdf, placements)
    voided = record.sessions[1]
    assert voided.session.voided and len(voided.sites) == 4
    assert not any(pages.marker_has_colour(site, session_colour(1)) for site in voided.sites)
    assert all(pages.marker_has_colour(site, session_colour(2)) for site in record.sessions[2].sites)
    assert third == record.sessions[2].session.id


def test_a_patient_without_sessions_still_gets_a_summary(ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, PatientDraft("E-1", "Østergaard", "Åse", dt.date(1990, 5, 17), Sex.FEMALE))
    whole = " ".join(pdf_text(treatment_summary(records.patient_record(ctx, patient.id), NOW)))
    assert "no sessions recorded" in whole and "No follow-up visits recorded." in whole


def test_deterministic_mode_gives_the_same_bytes_as_the_golden_file(ctx: ServiceContext, clock: FixedClock) -> None:
    name_the_clinic(ctx)
    patient_id = _course(ctx, clock, NAMES[2])
    first_session = records.patient_record(ctx, patient_id).sessions[0]
    regions = sorted({site.region for site in first_session.sites})
    finding = ComplicationFinding(Complication.MATTING, ComplicationSide.NONE, "", action="observed")
    for day, percent, vcss in ((dt.date(2026, 5, 18), 50, {"pain": 2, "oedema": 1}), (dt.date(2026, 7, 20), 75, None)):
        follow_ups.record_visit(
            ctx,
            patient_id,
            VisitDraft(
                day,
                clearances=tuple(RegionClearance(region, percent) for region in regions[:2]),
                complications=(finding,) if vcss else (),
                ceap_right="C1,S Ep As Pr" if vcss else "C1,A",
                vcss_right=vcss,
            ),
        )
    record = records.patient_record(ctx, patient_id)
    fixed = replace(
        record,
        patient=replace(record.patient, id="golden-patient"),
        sessions=tuple(replace(d, session=replace(d.session, id=f"golden-{i}")) for i, d in enumerate(record.sessions)),
    )
    first = treatment_summary(fixed, NOW, deterministic=True)
    assert treatment_summary(fixed, NOW, deterministic=True) == first
    check_golden(GOLDEN, first, "the summary")


def test_the_command_line_writes_the_summary(
    ctx: ServiceContext, clock: FixedClock, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_id = _course(ctx, clock, NAMES[0])
    chart = patients.get_patient(ctx, patient_id).chart_number
    out = tmp_path / "summary.pdf"
    user = cli_user(ctx, monkeypatch)
    assert main(["--db", db_url, *user, "summary", chart, "-o", str(out), "--deterministic"]) == 0
    assert "Łukasiewicz-Ødegård, Zoë" in " ".join(pdf_text(out.read_bytes()))
    assert main(["--db", db_url, *user, "summary", "NO-SUCH-CHART", "-o", str(out)]) == 1
