"""The session report PDF: fields, Unicode names, markers where the geometry puts them, pages and files.

Text is read with pypdf and pages rendered with pypdfium2; the table header repeats on every page; deterministic
mode gives the same bytes as the golden file; a file is written whole or not at all. A signature prints with its
time zone offset and meaning, amendments after it, and a voided draft as VOIDED, out of every total.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import UserError
from sclerochart.domain.markers import marker_look
from sclerochart.domain.signing import AMENDMENT_MEANING, AmendmentDraft, Correction
from sclerochart.domain.values import SIGNATURE_MEANING, Form, Gas, SiteDraft, VesselType, View
from sclerochart.reports.diagram import ViewPlacement
from sclerochart.reports.export import save_pdf
from sclerochart.reports.session_report import session_report
from sclerochart.services import catalogue, records, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.services.signatures import amend_session, void_session
from tests.conftest import NOW, FixedClock
from tests.integration.documents import (
    NAMES,
    SPOTS,
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

GOLDEN = Path(__file__).parent.parent / "golden" / "session-report.pdf"


@pytest.fixture
def named_clinic(ctx: ServiceContext) -> ServiceContext:
    return name_the_clinic(ctx)


@pytest.mark.parametrize("name", NAMES)
def test_every_field_and_the_name_are_in_the_text(named_clinic: ServiceContext, name: str) -> None:
    ctx = named_clinic
    session_id = chart_session(ctx, name)
    sites.add_site(
        ctx,
        session_id,
        SiteDraft(
            View.ANTERIOR,
            *point_for(View.ANTERIOR, 1, 60.0, 0.0),
            agent_id=1,
            concentration=1.0,
            form=Form.FOAM,
            volume_ml=0.3,  # within the label's 0.1–0.3 mL per injection: no reason needed
            vessel_type=VesselType.RETICULAR,
            foam_liquid_parts=1,
            foam_gas_parts=4,
            gas=Gas.ROOM_AIR,
            vessel_diameter_mm=1.5,
            lot_number="LOT-4711",
        ),
    )
    record = records.session_record(ctx, session_id)
    pages = pdf_text(session_report(record, NOW))
    whole = " ".join(pages).replace("\n", " ")  # a cell's text may wrap onto two lines
    for expected in (
        listed_name(name),
        record.patient.chart_number,
        "09.03.1971 (age 55)",
        "23.11.2026 10:30",
        "Dr. Ana Müller",
        "68 kg",
        "right C1 · left C2,S",
        "Praxis Dr. Ødegård",
        "Hauptstraße 1, 10115 Berlin",
        "+49 30 1234567",
        "Right anterior thigh, distal third",
        "foam 1:4 room air",
        "LOT-4711",
        "reticular vein 1.5 mm",
        "Polidocanol",
        "mg per day",
        "Consent: given and recorded",
        "24 hours without removing them, then 14 days at all times except when sleeping",
        "Draft – not signed",
        f"Record {session_id}",
        "generated 23.11.2026 10:30",
    ):
        assert expected in whole, expected
    assert [f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1)] == [True] * len(pages)


@pytest.mark.usefixtures("in_berlin")
def test_a_signed_session_prints_who_signed_when_and_what_it_means(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[0])
    sign(ctx, session_id)
    record = records.session_record(ctx, session_id)
    assert record.detail.session.signature_meaning == SIGNATURE_MEANING
    whole = flat(pdf_text(session_report(record, NOW)))
    assert "Signed by Dr. Ana Müller on 23.11.2026 at 10:30 (UTC+01:00)." in whole
    assert "signed by Dr. Ana Müller, 23.11.2026 10:30 UTC+01:00" in whole  # the state beside the identity
    assert f"Meaning of the signature: {SIGNATURE_MEANING}" in whole
    assert "Checklist: gone through with the patient." in whole
    assert "Weight 68 kg" in whole
    assert "Draft" not in whole and "Amendment" not in whole and "Values as signed" not in whole


def test_an_old_record_without_a_stored_meaning_prints_the_meaning_of_its_time(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[1])
    sign(ctx, session_id)
    record = records.session_record(ctx, session_id)
    old = replace(record, detail=replace(record.detail, session=replace(record.detail.session, signature_meaning="")))
    assert f"Meaning of the signature: {SIGNATURE_MEANING}" in flat(pdf_text(session_report(old, NOW)))


@pytest.mark.usefixtures("in_berlin")
def test_an_amended_session_prints_its_amendments_after_the_signature(ctx: ServiceContext, clock: FixedClock) -> None:
    session_id = chart_session(ctx, NAMES[0], sites=3)
    sign(ctx, session_id)
    signed_sites = records.session_record(ctx, session_id).detail.sites
    clock.now = dt.datetime(2026, 11, 24, 9, 15)
    first = amend_session(
        ctx,
        session_id,
        AmendmentDraft(
            "Volume misread from the syringe",
            "The patient rang: a small bruise at site 1.",
            (Correction(1, "volume_ml", None, "0.1"), Correction(2, "lot_number", None, "LOT-99")),
        ),
        PASSWORD,
    )
    clock.now = dt.datetime(2026, 11, 25, 16, 40)
    amend_session(ctx, session_id, AmendmentDraft("Photos found", "Before photos were taken after all."), PASSWORD)
    record = records.session_record(ctx, session_id)
    assert record.detail.sites == signed_sites, "the report is made from the session as signed"
    pages = pdf_text(session_report(record, NOW))
    whole = flat(pages)
    for expected in (
        "Values as signed. The table shows the sites as they were signed. An amendment after the signature "
        "corrects sites 1 and 2; the corrections are listed there.",
        "corrected by amendment 1",
        "These totals are worked out from the values as signed. An amendment below corrects the volume or "
        "concentration of site 1.",
        "signed by Dr. Ana Müller, 23.11.2026 10:30 UTC+01:00; 2 amendments below",
        "Amendments Added and signed after the session was signed.",
        "Amendment 1 — signed by Dr. Ana Müller on 24.11.2026 at 09:15 (UTC+01:00)",
        "Reason: Volume misread from the syringe.",
        "Addendum: The patient rang: a small bruise at site 1.",
        *(correction.in_words() for correction in first.corrections),
        f"{signed_sites[0].volume_ml:g} → 0.1",  # before: the volume as signed
        "Site 2, lot number: L001 → LOT-99",
        f"Meaning of the signature: {AMENDMENT_MEANING}",
        "Amendment 2 — signed by Dr. Ana Müller on 25.11.2026 at 16:40 (UTC+01:00)",
        "Reason: Photos found.",
    ):
        assert " ".join(expected.split()) in whole, expected
    assert whole.index("Signature Signed by") < whole.index("Amendment 1 —") < whole.index("Amendment 2 —")
    assert "L001" in whole and "LOT-99" not in pages[0], "the site table keeps the lot number as signed"


@pytest.mark.usefixtures("in_berlin")
def test_a_voided_session_prints_voided_with_who_when_and_why_and_counts_nothing(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[2], sites=6)
    version = session_detail.get_session(ctx, session_id).session.version
    void_session(ctx, session_id, "Charted for the wrong patient", version)
    record = records.session_record(ctx, session_id)
    assert record.detail.totals, "the read model still adds the sites up; the report leaves them out"
    pages = pdf_text(session_report(record, NOW))
    whole = flat(pages)
    for expected in (
        "VOIDED Set aside by tester on 23.11.2026 at 10:30 (UTC+01:00). Reason: Charted for the wrong patient.",
        "its injection sites are not counted in any total",
        "State VOIDED – never signed, not counted",
        "Injection sites (6, not counted)",
        "Not counted: this session was voided, so its injection sites are left out of every total.",
        "VOIDED – never signed.",
    ):
        assert expected in whole, expected
    assert all("VOIDED" in page for page in pages), "every page says so under its title"
    assert "Against the limits" not in whole and "mg per day" not in whole, "no totals are printed"
    assert "Draft" not in whole and "Signature ____" not in whole
    assert all(f"L{n:03d}" in whole for n in range(6)), "the sites themselves are kept and printed"


def test_the_weight_line_says_why_none_was_taken_and_the_checklist_whether_it_was_gone_through(
    ctx: ServiceContext,
) -> None:
    session_id = chart_session(ctx, NAMES[0], sites=1, weight=None)
    whole = flat(pdf_text(session_report(records.session_record(ctx, session_id), NOW)))
    assert "Weight not recorded" in whole
    assert "Checklist: not marked as gone through with the patient." in whole
    assert "Pregnancy (relative): —" in whole and "Pregnancy (relative): no" not in whole

    header = session_detail.get_session(ctx, session_id).session
    draft = replace(header.draft(), weight_reason="Scale broken", checklist_reviewed=True, checklist={"asthma": True})
    sessions.update_session(ctx, session_id, draft, header.details_version)
    whole = flat(pdf_text(session_report(records.session_record(ctx, session_id), NOW)))
    assert "Weight not taken: Scale broken" in whole
    assert "Checklist: gone through with the patient." in whole
    assert "Pregnancy (relative): no" in whole and "Asthma (relative): yes" in whole


def test_each_marker_is_drawn_in_its_agents_colour_where_the_geometry_puts_it(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[1], sites=0)
    presets = catalogue.list_presets(ctx)
    for index, (view, leg, _height) in enumerate(SPOTS * 2):
        height = 25.0 if index < len(SPOTS) else 70.0  # two sites per view, far apart
        preset = presets[index % len(presets)]
        sites.add_site(ctx, session_id, preset.site_draft(view, *point_for(view, leg, height, 0.0)))
    record = records.session_record(ctx, session_id)
    assert len({site.agent_id for site in record.detail.sites}) >= 2
    placements: list[ViewPlacement] = []
    pdf = session_report(record, NOW, placements=placements)
    assert {p.view for p in placements} == set(View)
    pages = RenderedPages(pdf, placements)
    for site in record.detail.sites:
        agent = record.detail.agents[site.agent_id]
        matching = pages.marker_has_colour(site, marker_look(agent.code, agent.id).colour)
        assert matching, f"site {site.number}: {agent.code} colour not found at the geometry's spot"


def test_150_sites_run_over_pages_with_the_table_header_on_each(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[2], sites=150)
    pages = pdf_text(session_report(records.session_record(ctx, session_id), NOW))
    assert len(pages) >= 4
    table_pages = [text for text in pages if "L149" in text or any(f"L{n:03d}" in text for n in range(150))]
    assert len(table_pages) >= 3
    assert all("View and region" in text and "Reaction" in text for text in table_pages)
    whole = "\n".join(pages)
    assert all(f"L{n:03d}" in whole for n in range(150))


def test_no_sites_no_weight_and_a_very_long_note_still_make_a_readable_report(ctx: ServiceContext) -> None:
    note = " ".join(f"Word{n} of a long clinical note." for n in range(280))  # near the 10,000 allowed
    session_id = chart_session(ctx, NAMES[0], sites=0, weight=None, notes=note)
    pages = pdf_text(session_report(records.session_record(ctx, session_id), NOW))
    whole = "\n".join(pages).replace("\n", " ")
    assert "No injection sites were recorded in this session." in whole
    assert "Weight not recorded" in whole
    assert "Word279 of a long clinical note." in whole
    assert len(pages) >= 2


def test_deterministic_mode_gives_the_same_bytes_as_the_golden_file(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[0], sites=8)
    record = records.session_record(ctx, session_id)
    fixed = replace(record, detail=replace(record.detail, session=replace(record.detail.session, id="golden-1")))
    first = session_report(fixed, NOW, deterministic=True)
    assert session_report(fixed, NOW, deterministic=True) == first
    check_golden(GOLDEN, first, "the report")


def test_an_unwritable_path_says_why_and_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="does not exist"):
        save_pdf(b"%PDF-1.4", tmp_path / "missing" / "report.pdf")
    (tmp_path / "old.pdf").write_bytes(b"the earlier report")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(UserError, match="disk is full"):
        save_pdf(b"%PDF-1.4 new", tmp_path / "old.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]
    assert (tmp_path / "old.pdf").read_bytes() == b"the earlier report"


def test_the_command_line_writes_the_report(
    ctx: ServiceContext, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = chart_session(ctx, NAMES[1])
    out = tmp_path / "report.pdf"
    user = cli_user(ctx, monkeypatch)
    assert main(["--db", db_url, *user, "report", session_id[:8], "-o", str(out), "--deterministic"]) == 0
    assert "Иванов, Дмитрий" in "\n".join(pdf_text(out.read_bytes()))
    assert main(["--db", db_url, *user, "report", session_id, "-o", str(tmp_path / "nowhere" / "r.pdf")]) == 1
