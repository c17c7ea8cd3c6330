"""The aftercare handout: what the patient takes home, in large type with their own dates.

Every page after the first repeats the patient's name and treatment day in its header, so the warning signs
are never on a page without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle

from sclerochart.domain import handout
from sclerochart.domain.schedule import HandoutDates, handout_dates, long_date, long_time
from sclerochart.domain.values import Compression
from sclerochart.readmodels import SessionRecord
from sclerochart.reports.fonts import BOLD, REGULAR, Paragraph, check_printable, register_fonts
from sclerochart.reports.page import build_pdf, content_width
from sclerochart.reports.printable import handout_texts
from sclerochart.reports.session_report import page_setup
from sclerochart.reports.styles import HANDOUT_BODY, HANDOUT_CALL, HANDOUT_HEADING, HANDOUT_TITLE, text

BOX_FILL = HexColor("#eef3f8")
BOX_EDGE = HexColor("#7a9cc6")
WARNING_FILL = HexColor("#fdf1f0")
WARNING_EDGE = HexColor("#c62828")


def patient_name(record: SessionRecord) -> str:
    """The name as it is said, in the patient's own order: "Anna Schmidt", "张伟", "Nguyễn Thị Hồng"."""
    return record.patient.full_name


def placeholder_values(record: SessionRecord, dates: HandoutDates) -> dict[str, str]:
    """What each placeholder of the clinic's text stands for on this patient's handout."""
    clinic = record.clinic
    return {
        "patient_name": patient_name(record),
        "treatment_date": long_date(dates.treated_on),
        "stockings_until": long_date(dates.compression_until),
        "spider_veins_from": long_date(dates.spider_veins_from),
        "spider_veins_to": long_date(dates.spider_veins_to),
        "larger_veins_from": long_date(dates.larger_veins_from),
        "larger_veins_to": long_date(dates.larger_veins_to),
        "final_result": long_date(dates.final_result),
        "next_session": long_date(dates.next_session_from),
        "clinic_name": clinic.clinic_name or "the clinic",
        "clinic_phone": clinic.clinic_phone or "the clinic's number",
    }


def compression_lines(compression: Compression, dates: HandoutDates) -> tuple[str, ...]:
    """The stocking prescription as short sentences with the patient's dates, and how the days are counted."""
    if compression.continuous_hours <= 0 and compression.days <= 0:
        return ("You do not need to wear compression stockings after this treatment.",)
    lines = [f"Wear your {compression.stocking.lower()}:"]
    if compression.continuous_hours > 0:
        lines.append(
            f"Day and night for the first {compression.continuous_hours} hours. Do not take them off. "
            f"This is until {long_time(dates.continuous_until)}."
        )
    if compression.days > 0:
        until = long_date(dates.compression_until)
        if compression.nights_too:
            lines.append(f"Then day and night until {until}.")
        else:
            lines.append(f"Then every day until {until}. You may take them off to sleep.")
        lines.append(handout.compression_days_counted(dates.treated_on, compression))
    return tuple(lines)


def _bullets(lines: tuple[str, ...]) -> list[Flowable]:
    """One list per bullet point, so a box can break between any two of them."""
    return [
        ListFlowable(
            [ListItem(text(line, HANDOUT_BODY), leftIndent=16, value="•")],
            bulletType="bullet",
            bulletFontName=BOLD,
            bulletFontSize=12.5,
            leftIndent=16,
        )
        for line in lines
    ]


def _paragraphs(section_text: str) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in handout.blocks(section_text):
        if block.bullets:
            flowables += _bullets(block.lines)
        else:
            flowables.append(text(block.lines[0], HANDOUT_BODY))
    return flowables


def _box(content: list[Flowable], fill: HexColor, edge: HexColor, width: float) -> Table:
    """A framed, shaded box with one row per paragraph or bullet point, so a long one runs onto the next page.

    A heading shares its row with what follows it, so no page ends on a heading.
    """
    rows: list[list[list[Flowable]]] = []
    held: list[Flowable] = []
    for flowable in content:
        if rows and not held and flowable.getKeepWithNext():
            held.append(Spacer(1, flowable.getSpaceBefore()))  # a cell's first paragraph loses its space above
        held.append(flowable)
        if not flowable.getKeepWithNext():
            rows.append([held])
            held = []
    if held:
        rows.append([held])
    box = Table(rows, colWidths=[width], splitInRow=60)  # a row taller than a page breaks inside it too
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica, not embedded
                ("BOX", (0, 0), (-1, -1), 1.4, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return box


def handout_story(record: SessionRecord) -> list[Flowable]:
    """Every part of the handout, in reading order."""
    register_fonts()
    clinic = record.clinic
    header = record.detail.session
    dates = handout_dates(header.started_at, header.compression, record.detail.interval_weeks)
    values = placeholder_values(record, dates)
    width = content_width(clinic.paper_size)

    def section(key: str) -> list[Flowable]:
        return _paragraphs(handout.fill(clinic.handout_text(key), values))

    headings = {part.key: part.heading for part in handout.SECTIONS}
    story: list[Flowable] = [
        Paragraph("After your vein treatment", HANDOUT_TITLE),
        Paragraph(
            f"For <b>{escape(values['patient_name'])}</b> · treated on <b>{values['treatment_date']}</b>",
            HANDOUT_BODY,
        ),
        Spacer(1, 4),
        *section("handout_intro"),
    ]
    compression = compression_lines(header.compression, dates)
    stockings: list[Flowable] = [
        Paragraph("Your compression stockings", HANDOUT_HEADING),
        text(compression[0], HANDOUT_BODY),
    ]
    if len(compression) > 1:
        stockings += _bullets(compression[1:])
    story += [Spacer(1, 6), _box(stockings, BOX_FILL, BOX_EDGE, width)]
    for key in ("handout_expect", "handout_next", "handout_activity"):
        if body := section(key):  # a section the clinic emptied is left out, heading and all
            story.append(KeepTogether([Paragraph(headings[key], HANDOUT_HEADING), *body]))
    warnings: list[Flowable] = []
    for key in ("handout_call_us", "handout_emergency"):
        if body := section(key):
            warnings += [Paragraph(headings[key], HANDOUT_HEADING), *body]
    if warnings:
        story += [Spacer(1, 8), KeepTogether(_box(warnings, WARNING_FILL, WARNING_EDGE, width))]
    if clinic.clinic_phone:
        story.append(
            Paragraph(
                f"Questions? Call {escape(values['clinic_name'])}: <b>{escape(clinic.clinic_phone)}</b>",
                HANDOUT_CALL,
            )
        )
    return story


def aftercare_handout(record: SessionRecord, generated_at: dt.datetime, *, deterministic: bool = False) -> bytes:
    """The aftercare handout as PDF bytes; it is the patient's copy, so it carries no draft mark.

    Raises:
        UnprintableTextError: A name or text holds a character no font has; nothing is made.
    """
    check_printable(handout_texts(record))
    treated_on = long_date(record.detail.session.started_at.date())
    setup = replace(
        page_setup(record, "Aftercare", generated_at, deterministic),
        draft=False,
        running_line=f"For {patient_name(record)} · treated on {treated_on}",
    )
    return build_pdf(handout_story(record), setup)
