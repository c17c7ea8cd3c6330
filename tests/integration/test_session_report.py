"""The session report PDF: fields, Unicode names, markers where the geometry puts them, pages and files.

Text is read with pypdf and pages rendered with pypdfium2; the table header repeats on every page; deterministic
mode gives the same bytes as the golden file; a file is written whole or not at all.
"""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest

from sclerochart.cli import main
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import UserError
from sclerochart.domain.markers import marker_look
from sclerochart.domain.values import Form, Gas, SiteDraft, VesselType, View
from sclerochart.reports.diagram import ViewPlacement
from sclerochart.reports.export import save_pdf
from sclerochart.reports.session_report import session_report
from sclerochart.services import catalogue, records, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW
from tests.integration.documents import (
    NAMES,
    SPOTS,
    RenderedPages,
    chart_session,
    check_golden,
    name_the_clinic,
    pdf_text,
)
from tests.signing import sign

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
            volume_ml=0.5,
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
    given, family = name.split(" ", 1)
    for expected in (
        f"{family}, {given}",
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


def test_a_signed_session_prints_who_signed_when_and_what_it_means(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[0])
    sign(ctx, session_id)
    whole = "\n".join(pdf_text(session_report(records.session_record(ctx, session_id), NOW)))
    assert "Signed by Dr. Ana Müller on 23.11.2026 at 10:30." in whole
    assert "Signing confirms that this record of the treatment is complete and correct." in whole
    assert "Draft" not in whole


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


def test_the_command_line_writes_the_report(ctx: ServiceContext, db_url: str, tmp_path: Path) -> None:
    session_id = chart_session(ctx, NAMES[1])
    out = tmp_path / "report.pdf"
    assert main(["--db", db_url, "report", session_id[:8], "-o", str(out), "--deterministic"]) == 0
    assert "Иванов, Дмитрий" in "\n".join(pdf_text(out.read_bytes()))
    assert main(["--db", db_url, "report", session_id, "-o", str(tmp_path / "nowhere" / "r.pdf")]) == 1
