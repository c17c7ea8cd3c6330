"""How the documents are laid out on their pages, as a reader meets them.

The session report and the handout give the same last day of compression and say how the days are counted; the
handout's warning box is never on a page without the patient's name and treatment day; no page ends on a
heading; the summary fills its first page and draws the vein tracings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from sclerochart.domain.names import NameOrder
from sclerochart.domain.values import TracingDraft, View
from sclerochart.readmodels import PatientRecord
from sclerochart.reports.diagram import ViewPlacement
from sclerochart.reports.handout import aftercare_handout
from sclerochart.reports.session_report import session_report
from sclerochart.reports.summary import session_colour, treatment_summary
from sclerochart.services import clinic, records, tracings
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW
from tests.integration.documents import (
    CONTENT_BOTTOM,
    CONTENT_TOP,
    RenderedPages,
    chart_session,
    content_lines,
    flat,
    moved_clock,
    name_the_clinic,
    one_database,
    pdf_text,
    shown_text,
)

__all__ = ["one_database"]

STARTS = (dt.datetime(2026, 3, 2, 9, 0), dt.datetime(2026, 4, 20, 11, 30), dt.datetime(2026, 6, 8, 15, 0))


def _course(ctx: ServiceContext, name: str, starts: tuple[dt.datetime, ...] = STARTS) -> list[str]:
    """A session at each start for the named patient, oldest first; their ids."""
    clock = moved_clock(ctx)
    made = []
    for index, start in enumerate(starts):
        clock.now = start
        made.append(chart_session(ctx, name, sites=3 + index % 3, started_at=start, lower_by=8.0 * (index % 3)))
    clock.now = NOW
    return made


def _every_six_weeks(count: int) -> tuple[dt.datetime, ...]:
    return tuple(dt.datetime(2025, 1, 6, 9, 0) + dt.timedelta(weeks=6 * n) for n in range(count))


def _patient(ctx: ServiceContext, session_ids: list[str]) -> PatientRecord:
    return records.patient_record(ctx, records.session_record(ctx, session_ids[0]).patient.id)


@pytest.mark.parametrize(
    ("started_at", "days", "first_day", "last_day"),
    [
        (NOW, 14, "Tuesday 24 November 2026", "Monday 7 December 2026"),
        (dt.datetime(2026, 12, 28, 14, 0), 10, "Tuesday 29 December 2026", "Thursday 7 January 2027"),
    ],
)
def test_the_report_and_the_handout_give_the_same_last_day_of_compression_and_how_it_is_counted(
    one_database: ServiceContext, started_at: dt.datetime, days: int, first_day: str, last_day: str
) -> None:
    ctx = one_database
    clinic.change_setting(ctx, "compression_days", days)
    moved_clock(ctx).now = started_at
    record = records.session_record(ctx, chart_session(ctx, "Anna Schmidt", started_at=started_at))
    report = flat(pdf_text(session_report(record, NOW)))
    handout = flat(pdf_text(aftercare_handout(record, NOW)))
    counted = (
        f"The {days} days are counted from the day after the treatment: day 1 is {first_day}, "
        f"day {days} (the last) is {last_day}."
    )
    assert f"then {days} days at all times except when sleeping. Last day: {last_day}. {counted}" in report
    assert f"Then every day until {last_day}. You may take them off to sleep." in handout
    assert counted in handout, "the same words as on the report"


def _pages_with(pdf: bytes, words: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(number, text) for number, text in enumerate(pdf_text(pdf), start=1) if any(w in text for w in words)]


@pytest.mark.parametrize(
    ("name", "order", "shown"),
    [("Anna Schmidt", NameOrder.GIVEN_FIRST, "Anna Schmidt"), ("伟 张", NameOrder.FAMILY_FIRST, "张伟")],
)
def test_the_warning_box_is_never_on_a_page_without_the_patients_name_and_treatment_day(
    one_database: ServiceContext, name: str, order: NameOrder, shown: str
) -> None:
    ctx = name_the_clinic(one_database)
    record = records.session_record(ctx, chart_session(ctx, name))
    record = replace(record, patient=replace(record.patient, name_order=order))
    paragraph = "Bruises and a little swelling around the injection points are normal in the first days. " * 4
    warnings = "Call us the same day if you have:\n\n" + "\n".join(
        f"- warning sign {n} of a long list" for n in range(40)
    )
    box_pages: set[int] = set()
    split = False
    for length in range(0, 2900, 230):
        for call_us in ("", warnings):
            text = "\n\n".join([paragraph] * 8)[:length]
            clinic_text = replace(
                record.clinic, handout_expect=text, handout_call_us=call_us or record.clinic.handout_call_us
            )
            pdf = aftercare_handout(replace(record, clinic=clinic_text), NOW)
            pages = _pages_with(pdf, ("When to call us", "When to get emergency help", "warning sign", "chest pain"))
            assert pages, "the warning box is printed"
            for number, page in pages:
                words = " ".join(page.split())
                assert shown in words and "treated on Monday 23 November 2026" in words, f"page {number}: {words}"
            box_pages.update(number for number, _page in pages)
            split = split or len(pages) > 1
    assert max(box_pages) >= 2 and split, "the texts put the box on a later page and run it over a page break"


def _ends_on_a_heading(pdf: bytes) -> list[str]:
    """The pages (all but the last) whose lowest line of text is a heading: all bold, 10.5 pt or more."""
    problems = []
    pages = shown_text(pdf)
    for number, page in enumerate(pages[:-1], start=1):
        lines = content_lines(page)
        lowest = [piece for piece in lines if abs(piece.y - lines[-1].y) < 1.0 and piece.text.strip() != "•"]
        if lowest and all(piece.font.endswith("-Bold") and piece.size >= 10.5 for piece in lowest):
            problems.append(f"page {number} ends with {' '.join(piece.text.strip() for piece in lowest)!r}")
    return problems


def test_no_page_of_any_document_ends_on_a_heading(one_database: ServiceContext) -> None:
    """Texts and tables of many lengths move each heading over the page: none is ever left at a page's foot."""
    ctx = name_the_clinic(one_database)
    ids = _course(ctx, "Anna Schmidt", _every_six_weeks(9))
    patient = _patient(ctx, ids)
    record = records.session_record(ctx, chart_session(ctx, "Anna Schmidt", sites=36))
    detail, header = record.detail, record.detail.session
    sentence = "The patient tolerated the injections well and was shown how to put on the stockings. "
    made: dict[str, bytes] = {}
    for count in range(1, len(detail.sites) + 1):  # the site table pushes the headings after it down
        made[f"the report with {count} sites"] = session_report(
            replace(record, detail=replace(detail, sites=detail.sites[:count])), NOW
        )
    for length in range(0, 3000, 250):
        notes = replace(
            record,
            detail=replace(detail, sites=detail.sites[:20], session=replace(header, notes=(sentence * 40)[:length])),
        )
        made[f"the report with {length} characters of notes"] = session_report(notes, NOW)
        intro = replace(record, clinic=replace(record.clinic, handout_intro=(sentence * 40)[:length]))
        made[f"the handout with {length} characters of introduction"] = aftercare_handout(intro, NOW)
    for count in range(1, len(patient.sessions) + 1):
        made[f"the summary of {count} sessions"] = treatment_summary(
            replace(patient, sessions=patient.sessions[:count]), NOW
        )
    page_ends = 0
    for what, pdf in made.items():
        assert _ends_on_a_heading(pdf) == [], what
        page_ends += len(pdf_text(pdf)) - 1
    assert page_ends > 60, "enough page ends were looked at"


def _lowest_ink(pdf: bytes, page: int) -> float:
    """Points from the bottom of the content frame up to the lowest dark pixel above it."""
    document = pdfium.PdfDocument(pdf)
    image = document[page - 1].render(scale=1.0).to_pil().convert("L")
    document.close()
    height = image.height
    for row in range(height - int(CONTENT_BOTTOM) - 2, int(height - CONTENT_TOP), -1):
        if min(image.crop((0, row, image.width, row + 1)).getextrema()) < 160:
            return float(height - row - CONTENT_BOTTOM)
    return CONTENT_TOP - CONTENT_BOTTOM


def test_the_summarys_first_page_is_filled_and_its_diagram_is_on_it_for_a_short_course(
    one_database: ServiceContext,
) -> None:
    ctx = name_the_clinic(one_database)
    patient = _patient(ctx, _course(ctx, "Anna Schmidt"))
    placements: list[ViewPlacement] = []
    pdf = treatment_summary(patient, NOW, placements=placements)
    assert {placement.page for placement in placements} == {1}, "the diagram is on page 1 with the sessions"
    frame = CONTENT_TOP - CONTENT_BOTTOM
    assert _lowest_ink(pdf, 1) < 0.15 * frame, "page 1 is filled to its bottom"
    longer = _patient(ctx, _course(ctx, "Clara Schmidt", _every_six_weeks(12)))
    for count in range(1, len(longer.sessions) + 1):
        pdf = treatment_summary(replace(longer, sessions=longer.sessions[:count]), NOW)
        if len(pdf_text(pdf)) > 1:
            assert _lowest_ink(pdf, 1) < 0.25 * frame, f"page 1 of the summary of {count} sessions is half empty"


def test_the_summarys_diagram_draws_the_vein_tracings_in_their_sessions_colour(one_database: ServiceContext) -> None:
    ctx = one_database
    ids = _course(ctx, "Anna Schmidt")
    lines = {
        ids[0]: TracingDraft(View.ANTERIOR, ((0.62, 0.30), (0.66, 0.45), (0.64, 0.60))),
        ids[2]: TracingDraft(View.POSTERIOR, ((0.30, 0.25), (0.34, 0.40), (0.31, 0.55)), colour="#c62828"),
    }
    for session_id, draft in lines.items():
        tracings.add_tracing(ctx, session_id, draft)
    patient = _patient(ctx, ids)
    placements: list[ViewPlacement] = []
    pdf = treatment_summary(patient, NOW, placements=placements)
    bare: list[ViewPlacement] = []
    untraced = replace(patient, sessions=tuple(replace(d, tracings=()) for d in patient.sessions))
    without = RenderedPages(treatment_summary(untraced, NOW, placements=bare), bare)
    drawn = RenderedPages(pdf, placements)
    for index, detail in enumerate(patient.sessions):
        for tracing in detail.tracings:
            (x0, y0), (x1, y1) = tracing.points[:2]
            middle = ((x0 + x1) / 2, (y0 + y1) / 2)
            assert drawn.has_colour(tracing.view, *middle, session_colour(index)), f"session {index + 1}'s tracing"
            assert not without.has_colour(tracing.view, *middle, session_colour(index)), "nothing there without it"
    assert "Lines: vein tracings, in their session's colour" in flat(pdf_text(pdf))
