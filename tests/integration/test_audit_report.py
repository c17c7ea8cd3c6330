"""The audit trail as a PDF: every event's who and what, any name, page numbers, repeated headers, same bytes twice.

Events are made by the services on a real database; the PDF is read back with pypdf and rendered with pypdfium2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import AuditEntry, SessionDraft, View
from sclerochart.reports.audit_report import COLUMNS, AuditRow, Kind, audit_row, audit_trail_pdf, what_happened
from sclerochart.services import audit, catalogue, clinic, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.settings import ClinicSettings
from tests.conftest import NOW, FixedClock, patient_draft
from tests.integration.documents import name_the_clinic, pdf_text
from tests.signing import sign, signed_in

GREEK_PRACTITIONER = "Δρ. Ελένη Παπαδοπούλου"
TITLE = "Иванов, Дмитрий (R-0042)"


def charted_session(ctx: ServiceContext, clock: FixedClock, changes: int = 2) -> tuple[str, str]:
    """A patient with a Cyrillic name, one session charted and signed by a practitioner with a Greek name."""
    signed_in(ctx, GREEK_PRACTITIONER, "eleni")
    patient = patients.create_patient(
        ctx, patient_draft(chart_number="R-0042", family_name="Иванов", given_name="Дмитрий")
    )
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, clock(), weight_kg=72.0))
    presets = catalogue.list_presets(ctx)
    for number in range(3):
        clock.now += dt.timedelta(minutes=1)
        where = point_for(View.POSTERIOR, 1, 30.0 + 15 * number, 0.0)
        sites.add_site(ctx, session.id, presets[number % len(presets)].site_draft(View.POSTERIOR, *where))
    for change in range(changes):
        clock.now += dt.timedelta(seconds=20)
        site = session_detail.get_session(ctx, session.id).sites[change % 3]
        note = f"Change {change}: bruising reported at the puncture, cold pack given and the patient reassured"
        sites.edit_site(ctx, site.id, replace(site.draft(), lot_number=f"LOT-{change:03d}", notes=note), site.version)
    sign(ctx, session.id)
    audit.record_disclosure(ctx, "print", "session", session.id, "session report, 2 pages")
    return patient.id, session.id


def rows_of(entries: tuple[AuditEntry, ...]) -> list[AuditRow]:
    return [audit_row(entry) for entry in entries]


def flat(pages: list[str]) -> str:
    return " ".join(pages).replace("\n", " ")  # a cell's words may wrap onto the next line


def test_the_pdf_holds_the_title_each_events_who_and_what_and_the_page_count(
    ctx: ServiceContext, clock: FixedClock
) -> None:
    name_the_clinic(ctx)
    _patient_id, session_id = charted_session(ctx, clock)
    rows = rows_of(audit.session_trail(ctx, session_id))
    pdf = audit_trail_pdf(TITLE, rows, clinic.load_settings(ctx), NOW, record_id=session_id)
    pages = pdf_text(pdf)
    whole = flat(pages)
    for expected in (TITLE, "Audit trail", "Praxis Dr. Ødegård", f"Record {session_id}", "generated 23.11.2026 10:30"):
        assert expected in whole, expected
    assert all(word in whole for word in COLUMNS)
    for row in rows:
        assert row.who in whole, row.who
        assert row.what in whole, row.what
        assert row.when.split()[1] in whole, row.when  # the time; the offset may wrap below it
    assert GREEK_PRACTITIONER in whole
    assert {"Session started", "Site 1 added", "Site 2 changed", "Session signed", "Printed"} <= {r.what for r in rows}
    assert "printed: session report, 2 pages" in whole
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))


def test_deterministic_mode_gives_the_same_bytes_twice(ctx: ServiceContext, clock: FixedClock) -> None:
    _patient_id, session_id = charted_session(ctx, clock)
    rows = rows_of(audit.session_trail(ctx, session_id))
    settings = clinic.load_settings(ctx)
    first = audit_trail_pdf(TITLE, rows, settings, NOW, record_id="golden-1", deterministic=True)
    assert audit_trail_pdf(TITLE, rows, settings, NOW, record_id="golden-1", deterministic=True) == first
    assert first.startswith(b"%PDF")


def test_the_first_page_is_drawn_not_blank(ctx: ServiceContext, clock: FixedClock) -> None:
    _patient_id, session_id = charted_session(ctx, clock)
    pdf = audit_trail_pdf(TITLE, rows_of(audit.session_trail(ctx, session_id)), clinic.load_settings(ctx), NOW)
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1.5).to_pil().convert("L")
    finally:
        document.close()
    dark = sum(image.histogram()[:128])
    assert dark > 0.004 * image.width * image.height, f"only {dark} dark pixels: the page looks blank"
    table_band = image.crop((0, image.height // 4, image.width, image.height // 2))
    assert table_band.getextrema()[0] < 64, "no text where the table of events should be"


def test_a_long_trail_runs_over_pages_with_the_header_on_each_and_long_details_wrapped(
    ctx: ServiceContext, clock: FixedClock
) -> None:
    patient_id, _session_id = charted_session(ctx, clock, changes=70)
    rows = rows_of(audit.patient_trail(ctx, patient_id, tuple(s.id for s in sessions.list_sessions(ctx, patient_id))))
    pages = pdf_text(audit_trail_pdf(TITLE, rows, clinic.load_settings(ctx), NOW))
    assert len(pages) >= 3
    assert all("When" in text and "Details" in text and "Computer" in text for text in pages)
    whole = flat(pages)
    assert all(f"LOT-{n:03d}" in whole for n in range(70))
    assert "bruising reported at the puncture" in whole  # a detail wider than its column wraps, it is not cut
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_paper_size_follows_the_clinic_and_an_empty_trail_says_so(ctx: ServiceContext) -> None:
    clinic.change_setting(ctx, "paper_size", "Letter")
    pdf = audit_trail_pdf(TITLE, [], clinic.load_settings(ctx), NOW)
    document = pdfium.PdfDocument(pdf)
    try:
        assert tuple(round(side) for side in document[0].get_size()) == (612, 792)
    finally:
        document.close()
    assert "No events to show." in flat(pdf_text(pdf))


def test_a_filtered_copy_says_which_events_it_holds(ctx: ServiceContext, clock: FixedClock) -> None:
    _patient_id, session_id = charted_session(ctx, clock)
    rows = [row for row in rows_of(audit.session_trail(ctx, session_id)) if row.kind is Kind.SIGNATURE]
    scope = "filtered from 12: signatures and amendments only"
    whole = flat(pdf_text(audit_trail_pdf(TITLE, rows, clinic.load_settings(ctx), NOW, scope=scope)))
    assert f"1 event — {scope}" in whole
    assert "Session signed" in whole and "Site 1 added" not in whole


def test_every_action_has_words_for_the_what_column() -> None:
    def entry(action: str, entity: str, after: dict[str, object] | None = None) -> AuditEntry:
        return AuditEntry(1, NOW, "Dr. Ana Müller (ana)", action, entity, "x", None, after, "Room 2")

    assert what_happened(entry("create", "site", {"number": 7})) == "Site 7 added"
    assert what_happened(entry("delete", "site", None)) == "Site removed"
    assert what_happened(entry("amend", "session")) == "Amendment"
    assert what_happened(entry("void", "session")) == "Session voided"
    assert what_happened(entry("sign-in", "practitioner")) == "Sign-in"
    assert what_happened(entry("sign-in refused", "practitioner")) == "Sign-in refused"
    assert what_happened(entry("password", "practitioner")) == "Password changed"
    assert what_happened(entry("export", "patient")) == "Exported"
    assert what_happened(entry("demo", "clinic")) == "Demonstration records added"
    assert what_happened(entry("update", "preset")) == "Preset changed"
    assert what_happened(entry("archive", "patient")) == "Patient archived"


@pytest.mark.parametrize(
    "name",
    [
        "王小明",
        pytest.param(
            "محمد الأحمد",
            marks=pytest.mark.xfail(
                reason="ReportLab neither joins Arabic letters nor orders them right to left without a shaping "
                "library, which the program does not ship",
                strict=True,
            ),
        ),
    ],
)
def test_chinese_and_arabic_names_print(name: str) -> None:
    pdf = audit_trail_pdf(f"{name} (R-0099)", [], ClinicSettings(), NOW)
    assert name in flat(pdf_text(pdf))
