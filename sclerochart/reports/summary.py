"""The treatment summary: a patient's whole course, every session with its totals on one combined diagram.

The diagram follows the sessions and their totals: drawn smaller when that lets it finish the page, or broken
between its rows of views, rather than leaving a page half empty. It holds every counted session's sites and
vein tracings in the session's colour. After it the course: the follow-up visits, CEAP and VCSS from
baseline to latest, each treated region painted by its latest clearance, and the photos when asked for.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from sclerochart.domain.diagram import VIEWS
from sclerochart.domain.markers import marker_look
from sclerochart.domain.schedule import age_on
from sclerochart.domain.signing import Amendment
from sclerochart.domain.values import SessionState
from sclerochart.readmodels import PatientRecord, SessionDetail
from sclerochart.reports.course import assessment_course, outcome_diagram, photo_section, visits_section
from sclerochart.reports.diagram import DiagramLine, DiagramMark, LegDiagram, TitledDiagram, ViewPlacement
from sclerochart.reports.fonts import Paragraph, check_printable, register_fonts
from sclerochart.reports.page import build_pdf, clinic_page, content_width
from sclerochart.reports.printable import patient_record_texts
from sclerochart.reports.session_report import SHAPE_GLYPHS, number
from sclerochart.reports.signature_block import (
    VOID_RED,
    amendment_line,
    dose_corrected_sites,
    sentence,
    signed_line,
    void_line,
)
from sclerochart.reports.styles import (
    BODY,
    HEADING,
    MUTED_HEX,
    SEVERITY_COLOURS,
    SMALL,
    SMALL_BOLD,
    SMALL_BOLD_RIGHT,
    SMALL_RIGHT,
    TITLE,
    ZEBRA,
    facts_table,
    table_style,
    text,
)

SESSION_COLOURS = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#7f3c8d",
    "#8c6d1f",
    "#3b3b98",
    "#b8336a",
)
"""One colour per session in turn (Okabe–Ito and neighbours); the marker's number tells sessions apart."""


def session_colour(index: int) -> str:
    """The colour of the session at `index` (0 for the first) on the combined diagram."""
    return SESSION_COLOURS[index % len(SESSION_COLOURS)]


def counted(record: PatientRecord) -> tuple[SessionDetail, ...]:
    """The sessions that count as treatment: every one but the voided ones, oldest first."""
    return tuple(detail for detail in record.sessions if not detail.session.voided)


def _identity(record: PatientRecord) -> Table:
    patient = record.patient
    treated = counted(record)
    born = "not recorded"
    if patient.date_of_birth is not None:
        age_then = ""
        if treated:
            last = treated[-1].session.started_at.date()
            age_then = f" (age {age_on(patient.date_of_birth, last)} at the last session)"
        born = f"{patient.date_of_birth:%d.%m.%Y}{age_then}"
    if treated:
        first = treated[0].session.started_at
        last_at = treated[-1].session.started_at
        course = f"{len(treated)} session{'s' if len(treated) != 1 else ''}, "
        course += f"{first:%d.%m.%Y} to {last_at:%d.%m.%Y}" if len(treated) > 1 else f"{first:%d.%m.%Y}"
    else:
        course = "no sessions recorded"
    voided = len(record.sessions) - len(treated)
    if voided:
        course += f"; {voided} voided session{'s' if voided != 1 else ''} listed below, not counted"
    return facts_table(
        [
            ("Patient", patient.display_name),
            ("Chart number", patient.chart_number),
            ("Date of birth", born),
            ("Allergies", patient.allergies or "none recorded"),
            ("Treatment", course),
        ]
    )


def _totals_text(detail: SessionDetail) -> str:
    if not detail.totals:
        return "nothing injected"
    parts = []
    for totals in detail.totals:
        volume = []
        if totals.liquid_ml:
            volume.append(f"{number(totals.liquid_ml)} mL liquid")
        if totals.foam_ml:
            volume.append(f"{number(totals.foam_ml)} mL foam")
        parts.append(f"{totals.agent_name}: {', '.join(volume) or '0 mL'}, {number(totals.mg)} mg")
    return "\n".join(parts)


def _shortened(words: str, most: int = 160) -> str:
    words = " ".join(words.split())
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def amendment_words(amendment: Amendment) -> str:
    """An amendment in one short line: who signed it and when, why, the addendum and each correction."""
    parts = [f"{amendment_line(amendment)}. Reason: {sentence(amendment.reason)}"]
    if amendment.text:
        parts.append(f"Addendum: {sentence(_shortened(amendment.text))}")
    if amendment.corrections:
        parts.append("Corrected: " + "; ".join(c.in_words() for c in amendment.corrections) + ".")
    return " ".join(parts)


def _notes_under(detail: SessionDetail) -> list[Paragraph]:
    """The lines under a session's row: its signature and amendments, or why it was voided."""
    header = detail.session
    if header.voided:
        return [
            Paragraph(
                f'<font color="{VOID_RED}"><b>Voided: {escape(sentence(header.void_reason or "no reason recorded"))}'
                f"</b></font> {escape(void_line(header))}; its sites are not counted in any total.",
                SMALL,
            )
        ]
    lines = []
    if signed := signed_line(header):
        lines.append(Paragraph(f'<font color="{MUTED_HEX}">{escape(signed)}.</font>', SMALL))
    for amendment in detail.amendments:
        lines.append(
            Paragraph(
                f'<font color="{SEVERITY_COLOURS["caution"]}"><b>Amendment {amendment.number}</b></font> '
                + escape(amendment_words(amendment).removeprefix(f"Amendment {amendment.number}")),
                SMALL,
            )
        )
    return lines


def _session_table(record: PatientRecord) -> Table:
    headers = ("", "Date", "Practitioner", "Weight", "CEAP R / L", "Sites", "Totals per agent", "State")
    rows: list[list[object]] = [[text(h, SMALL_BOLD) for h in headers]]
    ruled = [0]
    shading: list[tuple[object, ...]] = []
    for index, detail in enumerate(record.sessions):
        header = detail.session
        colour = session_colour(index)
        first_row = len(rows)
        if header.voided:
            state, sites, totals = "voided", f"({len(detail.sites)})", "not counted"
        else:
            state = "signed" if header.state is SessionState.SIGNED else "draft"
            sites, totals = str(len(detail.sites)), _totals_text(detail)
        rows.append(
            [
                Paragraph(f'<font color="{colour}"><b>{index + 1}</b></font>', SMALL),
                text(f"{header.started_at:%d.%m.%Y %H:%M}", SMALL),
                text(header.practitioner_name or "—", SMALL),
                text(f"{number(header.weight_kg)} kg" if header.weight_kg else "—", SMALL_RIGHT),
                text(f"{header.ceap_right or '—'} / {header.ceap_left or '—'}", SMALL),
                text(sites, SMALL_RIGHT),
                text(totals, SMALL),
                text(state, SMALL),
            ]
        )
        for line in _notes_under(detail):
            shading.append(("SPAN", (1, len(rows)), (-1, len(rows))))
            rows.append(["", line, "", "", "", "", "", ""])
        ruled.append(len(rows) - 1)
        if index % 2:
            shading.append(("BACKGROUND", (0, first_row), (-1, len(rows) - 1), ZEBRA))
    width = content_width(record.clinic.paper_size)
    table = Table(rows, colWidths=[16, 62, 80, 38, 52, 28, width - 330, 54], repeatRows=1)
    table.setStyle(table_style(1, zebra=False, ruled=ruled))
    table.setStyle(shading)
    return table


def _course_totals(record: PatientRecord) -> list[Flowable]:
    sums: dict[str, list[float]] = {}
    for detail in counted(record):
        for totals in detail.totals:
            entry = sums.setdefault(totals.agent_name, [0, 0.0, 0.0, 0.0])
            entry[0] += totals.site_count
            entry[1] += totals.liquid_ml
            entry[2] += totals.foam_ml
            entry[3] += totals.mg
    rows: list[list[object]] = [
        [
            text("Whole course", SMALL_BOLD),
            *(text(h, SMALL_BOLD_RIGHT) for h in ("Sites", "Liquid mL", "Foam mL", "mg")),
        ]
    ]
    for name, (sites, liquid, foam, mg) in sums.items():
        rows.append(
            [
                text(name, SMALL),
                text(str(int(sites)), SMALL_RIGHT),
                text(number(liquid), SMALL_RIGHT),
                text(number(foam), SMALL_RIGHT),
                text(number(mg), SMALL_RIGHT),
            ]
        )
    if not sums:
        return [text("Nothing counted: no session outside the voided ones holds an injection site.", BODY)]
    table = Table(rows, colWidths=[150, 40, 60, 60, 60], hAlign="LEFT")
    table.setStyle(table_style(1))
    story: list[Flowable] = [table]
    corrected = [index + 1 for index, d in enumerate(record.sessions) if dose_corrected_sites(d.amendments)]
    notes = []
    if corrected:
        plural = "s" if len(corrected) > 1 else ""
        notes.append(
            f"Totals are worked out from the values as signed; an amendment to session{plural} "
            f"{', '.join(str(n) for n in corrected)} corrects a volume or concentration."
        )
    if len(counted(record)) < len(record.sessions):
        notes.append("Voided sessions are left out of every total and of the diagram.")
    if notes:
        story += [Spacer(1, 3), text(" ".join(notes), SMALL)]
    return story


def _drawn(record: PatientRecord) -> list[tuple[int, SessionDetail]]:
    """The sessions the combined diagram shows, with their index in the session list: all but the voided."""
    return [(index, detail) for index, detail in enumerate(record.sessions) if not detail.session.voided]


def _marks(record: PatientRecord) -> list[DiagramMark]:
    marks = []
    for index, detail in _drawn(record):
        for site in detail.sites:
            agent = detail.agents.get(site.agent_id)
            shape = marker_look(agent.code if agent else "", site.agent_id).shape
            marks.append(DiagramMark(site.view, site.x, site.y, str(index + 1), session_colour(index), shape))
    return marks


def _legend(record: PatientRecord) -> Paragraph:
    sessions = [
        f'<font color="{session_colour(i)}">●</font> {i + 1} = {d.session.started_at:%d.%m.%Y}'
        for i, d in _drawn(record)
        if d.sites or d.tracings
    ]
    shapes: dict[str, str] = {}
    for _index, detail in _drawn(record):
        for site in detail.sites:
            agent = detail.agents.get(site.agent_id)
            if agent is not None:
                shapes.setdefault(agent.name, marker_look(agent.code, site.agent_id).shape)
    agents = [f"{SHAPE_GLYPHS.get(shape, '●')} {escape(name)}" for name, shape in shapes.items()]
    words = "Colour and number: the session — " + " · ".join(sessions) + ". Shape: the agent — " + " · ".join(agents)
    if any(detail.tracings for _index, detail in _drawn(record)):
        words += ". Lines: vein tracings, in their session's colour"
    return Paragraph(words, SMALL)


def _lines(record: PatientRecord) -> list[DiagramLine]:
    return [
        DiagramLine(tracing.view, tracing.points, session_colour(index))
        for index, detail in _drawn(record)
        for tracing in detail.tracings
    ]


def combined_diagram(record: PatientRecord, placements: list[ViewPlacement] | None = None) -> Flowable:
    """Every site and tracing of every session (voided ones left out) on one diagram, coloured by session.

    With its heading and legend; the heading and a sentence when no session holds a site or a tracing.
    """
    heading = Paragraph("All injection sites", HEADING)
    drawn = [detail for _index, detail in _drawn(record)]
    views = [view for view in VIEWS if any(s.view is view for d in drawn for s in d.sites)]
    views += [view for view in VIEWS if view not in views and any(t.view is view for d in drawn for t in d.tracings)]
    if not views:
        return KeepTogether([heading, text("No injection sites were recorded.")])
    width = content_width(record.clinic.paper_size)
    drawing = LegDiagram(views, _marks(record), _lines(record), max_width=width, max_height=430, placements=placements)
    continued = Paragraph("All injection sites, continued", HEADING)
    return TitledDiagram(heading, drawing, _legend(record), continued=continued)


def summary_story(record: PatientRecord, placements: list[ViewPlacement] | None = None) -> list[Flowable]:
    """Every part of the summary, in reading order."""
    register_fonts()
    story: list[Flowable] = [
        Paragraph("Treatment summary", TITLE),
        _identity(record),
        Paragraph("Sessions", HEADING),
    ]
    if record.sessions:
        story += [_session_table(record), Spacer(1, 6), *_course_totals(record)]
    else:
        story.append(text("No sessions recorded."))
    story.append(combined_diagram(record, placements))  # it shrinks to finish page 1, or breaks by rows
    story += visits_section(record.course.visits)
    story += assessment_course(record.sessions, record.course.visits)
    story += outcome_diagram(record.course, content_width(record.clinic.paper_size))
    story += photo_section(record.photos)
    return story


def treatment_summary(
    record: PatientRecord,
    generated_at: dt.datetime,
    *,
    deterministic: bool = False,
    placements: list[ViewPlacement] | None = None,
) -> bytes:
    """The treatment summary as PDF bytes; from page 2 on, the header names the patient and the chart number.

    Raises:
        UnprintableTextError: A name or text holds a character no font has; nothing is made.
    """
    check_printable(patient_record_texts(record))
    patient = record.patient
    setup = clinic_page(
        record.clinic,
        record.logo,
        "Treatment summary",
        patient.id,
        generated_at,
        deterministic=deterministic,
        running_line=f"{patient.display_name} · {patient.chart_number}",
    )
    return build_pdf(summary_story(record, placements), setup)
