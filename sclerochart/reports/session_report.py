"""The session report: the clinical record of what was injected where, as the clinic files and prints it."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from sclerochart.domain.checklist import CHECKLIST, ItemKind
from sclerochart.domain.clock import shown_local
from sclerochart.domain.diagram import VIEWS
from sclerochart.domain.dose import LimitUse, site_mg
from sclerochart.domain.handout import compression_days_counted
from sclerochart.domain.markers import abbreviation, marker_look
from sclerochart.domain.schedule import age_on, compression_last_day, compression_wording, long_date
from sclerochart.domain.values import Form, Reaction, SessionState, Site, TreatmentSession
from sclerochart.domain.vcss import vcss_words
from sclerochart.readmodels import SessionRecord
from sclerochart.reports.course import photo_section, visits_section
from sclerochart.reports.diagram import DiagramLine, DiagramMark, LegDiagram, TitledDiagram, ViewPlacement
from sclerochart.reports.fonts import Paragraph, check_printable, register_fonts
from sclerochart.reports.lines import Run, TextLines
from sclerochart.reports.page import PageSetup, build_pdf, clinic_page, content_width
from sclerochart.reports.printable import session_record_texts
from sclerochart.reports.row_table import RowTable
from sclerochart.reports.signature_block import (
    amendments_section,
    as_signed_note,
    corrected_sites,
    dose_corrected_sites,
    numbers_in_words,
    signature_block,
    void_notice,
)
from sclerochart.reports.styles import (
    BODY,
    CELL_PADDING,
    FACT_LABEL_WIDTH,
    MUTED_HEX,
    SEVERITY_COLOURS,
    SMALL,
    SMALL_BOLD,
    SMALL_RIGHT,
    TITLE,
    cell,
    fact_cells,
    heading,
    table_style,
    text,
)

SHAPE_GLYPHS = {"circle": "●", "square": "■", "triangle": "▲", "diamond": "◆"}


def number(value: float) -> str:
    """A quantity without trailing zeros: 0.5, 12, 0.125."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def page_setup(record: SessionRecord, title: str, generated_at: dt.datetime, deterministic: bool) -> PageSetup:
    """The header and footer of a document about one session: marked as a draft, or as voided, on every page.

    From page 2 on, the header names the patient, the chart number and the session's date.
    """
    header, patient = record.detail.session, record.patient
    return clinic_page(
        record.clinic,
        record.logo,
        title,
        header.id,
        generated_at,
        deterministic=deterministic,
        draft=header.state is SessionState.DRAFT,
        mark="VOIDED" if header.voided else "Draft – not signed",
        running_line=f"{patient.display_name} · {patient.chart_number} · session of {header.started_at:%d.%m.%Y}",
    )


def compression_words(header: TreatmentSession) -> str:
    """The prescription, its last day and how the days are counted, as the handout has them too."""
    words = compression_wording(header.compression)
    if header.compression.days > 0:
        treated_on = header.started_at.date()
        last = long_date(compression_last_day(treated_on, header.compression))
        words += f" Last day: {last}. {compression_days_counted(treated_on, header.compression)}"
    return words


def weight_words(header: TreatmentSession) -> str:
    """The weight as printed: "68 kg", or why none was taken."""
    if header.weight_kg:
        return f"{number(header.weight_kg)} kg"
    if header.weight_reason:
        return f"not taken: {header.weight_reason}"
    return "not recorded"


def state_words(record: SessionRecord) -> str:
    """The session's state in a few words: signed by whom and when (and amended), voided, or a draft."""
    header = record.detail.session
    if header.state is SessionState.SIGNED and header.signed_at is not None:
        words = f"signed by {header.signed_by}, {shown_local(header.signed_at)}"
        count = len(record.detail.amendments)
        if count:
            words += f"; {count} amendment{'s' if count > 1 else ''} below"
        return words
    if header.voided:
        return "VOIDED – never signed, not counted"
    return "draft – not signed"


def _identity(record: SessionRecord) -> Table:
    patient, header = record.patient, record.detail.session
    born = "not recorded"
    if patient.date_of_birth is not None:
        born = f"{patient.date_of_birth:%d.%m.%Y} (age {age_on(patient.date_of_birth, header.started_at.date())})"
    half = content_width(record.clinic.paper_size) / 2
    widths = [FACT_LABEL_WIDTH, half - CELL_PADDING - FACT_LABEL_WIDTH]  # within the outer table's cell
    patient_facts = [
        ("Patient", patient.display_name),
        ("Chart number", patient.chart_number),
        ("Date of birth", born),
        ("Allergies", patient.allergies or "none recorded"),
    ]
    left = RowTable(fact_cells(patient_facts), widths, header_rows=0, zebra=False)
    session_facts = [
        ("Date and time", f"{header.started_at:%d.%m.%Y %H:%M}"),
        ("Practitioner", header.practitioner_name or "not recorded"),
        ("Weight", weight_words(header)),
        ("CEAP", f"right {header.ceap_right or '–'} · left {header.ceap_left or '–'}"),
        *_vcss_facts(header),
        *_lot_facts(record),
        ("State", state_words(record)),
    ]
    right = RowTable(fact_cells(session_facts), widths, header_rows=0, zebra=False)
    outer = Table([[left, right]], colWidths=[half, half])
    outer.setStyle(table_style(0, zebra=False))
    outer.setStyle([("LINEBELOW", (0, 0), (-1, -1), 0, "white"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return outer


def _vcss_facts(header: TreatmentSession) -> list[tuple[str, str]]:
    if not (header.vcss_right or header.vcss_left):
        return []
    totals = [f"{leg} {vcss_words(vcss)}" for leg, vcss in (("right", header.vcss_right), ("left", header.vcss_left))]
    return [("VCSS", " · ".join(totals))]


def _lot_facts(record: SessionRecord) -> list[tuple[str, str]]:
    agents = record.detail.agents
    return [
        (f"Lot of {agents[lot.agent_id].name if lot.agent_id in agents else 'the agent'}", lot.words())
        for lot in record.detail.lots
    ]


def _marks(record: SessionRecord) -> list[DiagramMark]:
    agents = record.detail.agents
    marks = []
    for site in record.detail.sites:
        agent = agents.get(site.agent_id)
        look = marker_look(agent.code if agent else "", site.agent_id)
        marks.append(DiagramMark(site.view, site.x, site.y, str(site.number), look.colour, look.shape))
    return marks


def _legend(record: SessionRecord) -> Paragraph:
    agents = record.detail.agents
    used = sorted({site.agent_id for site in record.detail.sites})
    parts = []
    for agent_id in used:
        agent = agents.get(agent_id)
        if agent is None:
            continue
        look = marker_look(agent.code, agent_id)
        glyph = SHAPE_GLYPHS.get(look.shape, "●")
        parts.append(
            f'<font color="{look.colour}">{glyph}</font> {escape(abbreviation(agent.code))} = {escape(agent.name)}'
        )
    if record.detail.tracings:
        parts.append("lines: vein tracings")
    return Paragraph("Markers: " + " · ".join(parts), SMALL)


def diagram(
    record: SessionRecord,
    heading: Flowable,
    placements: list[ViewPlacement] | None = None,
    continued: Flowable | None = None,
) -> Flowable:
    """The heading, the views that hold sites or tracings and the legend; a sentence instead when there are none.

    `continued` heads the views that run onto the next page when the diagram breaks between its rows.
    """
    detail = record.detail
    views = [view for view in VIEWS if any(s.view is view for s in detail.sites)]
    views += [view for view in VIEWS if view not in views and any(t.view is view for t in detail.tracings)]
    if not views:
        return KeepTogether([heading, text("No injection sites were recorded in this session.")])
    lines = [DiagramLine(t.view, t.points, t.colour) for t in detail.tracings]
    width = content_width(record.clinic.paper_size)
    drawing = LegDiagram(views, _marks(record), lines, max_width=width, max_height=430, placements=placements)
    return TitledDiagram(heading, drawing, _legend(record), continued=continued)


def _form(site: Site) -> str:
    if site.form is Form.FOAM:
        ratio = f" {site.foam_liquid_parts}:{site.foam_gas_parts}" if site.foam_liquid_parts else ""
        gas = f" {site.gas.value}" if site.gas else ""
        return f"foam{ratio}{gas}"
    return "liquid"


SITE_COLUMNS = ("#", "View and region", "Vessel", "Agent", "%", "Form", "mL", "mg", "Lot", "Reaction")
SITE_WIDTHS = (20, 0, 62, 34, 26, 58, 28, 28, 50, 56)
"""Points per column of the site table; "View and region" takes what the others leave."""
SITE_RIGHT = (0, 4, 6, 7)
"""The site table's columns of numbers, set right-aligned."""


def site_table(record: SessionRecord) -> RowTable:
    """One row per site; the header repeats on every page the table runs onto."""
    agents = record.detail.agents
    corrected = corrected_sites(record.detail.amendments)
    widths: list[float] = list(SITE_WIDTHS)
    widths[1] = content_width(record.clinic.paper_size) - sum(widths)
    rows: list[list[object]] = [[cell(title, SMALL_BOLD, w) for title, w in zip(SITE_COLUMNS, widths, strict=True)]]
    for site in record.detail.sites:
        agent = agents.get(site.agent_id)
        region = [(Run(site.region_label),), (Run(f"{VIEWS[site.view].title} view", MUTED_HEX),)]
        if site.notes:
            region.append((Run(site.notes, italic=True),))
        if site.number in corrected:
            numbers = corrected[site.number]
            plural = "s" if len(numbers) > 1 else ""
            words = f"corrected by amendment{plural} {numbers_in_words(numbers)}"
            region.append((Run(words, SEVERITY_COLOURS["caution"]),))
        vessel = site.vessel_type.value
        if site.vessel_diameter_mm:
            vessel += f" {number(site.vessel_diameter_mm)} mm"
        rows.append(
            [
                cell(str(site.number), SMALL_RIGHT, widths[0]),
                TextLines(region, SMALL),
                cell(vessel, SMALL, widths[2]),
                cell(abbreviation(agent.code) if agent else str(site.agent_id), SMALL, widths[3]),
                cell(number(site.concentration), SMALL_RIGHT, widths[4]),
                cell(_form(site), SMALL, widths[5]),
                cell(number(site.volume_ml), SMALL_RIGHT, widths[6]),
                cell(number(site_mg(site)), SMALL_RIGHT, widths[7]),
                cell(site.lot_number, SMALL, widths[8]),
                cell("" if site.reaction is Reaction.NONE else site.reaction.value, SMALL, widths[9]),
            ]
        )
    return RowTable(rows, widths, right=SITE_RIGHT)


def _severity(use: LimitUse) -> str:
    return SEVERITY_COLOURS[use.severity.value]


def _limit_words(use: LimitUse) -> str:
    return f"{use.kind}: {number(use.used)} of {number(use.limit)} {use.unit} ({use.share:.0%})"


def _totals(record: SessionRecord) -> list[Flowable]:
    detail = record.detail
    if detail.session.voided:
        return [text("Not counted: this session was voided, so its injection sites are left out of every total.")]
    if not detail.totals:
        return [text("Nothing was injected.")]
    widths: list[float] = [110, 34, 50, 50, 44]
    widths.append(content_width(record.clinic.paper_size) - sum(widths))
    titles = ("Agent", "Sites", "Liquid mL", "Foam mL", "mg", "Against the limits")
    rows: list[list[object]] = [[cell(t, SMALL_BOLD, w) for t, w in zip(titles, widths, strict=True)]]
    for totals in detail.totals:
        uses = [u for u in detail.limits if u.agent_id == totals.agent_id]
        limit_lines = [
            (Run(f"{u.kind}: {number(u.used)} of {number(u.limit)} {u.unit} ({u.share:.0%})", _severity(u)),)
            for u in uses
        ]
        rows.append(
            [
                cell(totals.agent_name, SMALL, widths[0]),
                cell(str(totals.site_count), SMALL_RIGHT, widths[1]),
                cell(number(totals.liquid_ml), SMALL_RIGHT, widths[2]),
                cell(number(totals.foam_ml), SMALL_RIGHT, widths[3]),
                cell(number(totals.mg), SMALL_RIGHT, widths[4]),
                TextLines(limit_lines or [(Run("no limit set"),)], SMALL),
            ]
        )
    story: list[Flowable] = [RowTable(rows, widths, right=(1, 2, 3, 4))]
    if dose_sites := dose_corrected_sites(detail.amendments):
        plural = "s" if len(dose_sites) > 1 else ""
        story += [
            Spacer(1, 3),
            text(
                f"These totals are worked out from the values as signed. An amendment below corrects the volume or "
                f"concentration of site{plural} {numbers_in_words(dose_sites)}.",
                SMALL,
            ),
        ]
    if detail.findings:
        story.append(Spacer(1, 5))
        for finding in detail.findings:
            colour = SEVERITY_COLOURS[finding.severity.value]
            story.append(
                Paragraph(
                    f'<font color="{colour}"><b>{escape(finding.severity.value.capitalize())}</b></font>: '
                    f"{escape(finding.message)}",
                    SMALL,
                )
            )
        sources = dict.fromkeys(f.source for f in detail.findings if f.source)
        story.append(Paragraph(f"<font color='{MUTED_HEX}'>Sources: " + escape(" ".join(sources)) + "</font>", SMALL))
    return story


def _checklist(record: SessionRecord) -> list[Flowable]:
    header = record.detail.session
    unticked = "no" if header.checklist_reviewed else "—"
    cells: list[Flowable] = []
    for item in CHECKLIST:
        answer = "yes" if header.checklist.get(item.key) else unticked
        kind = {ItemKind.ABSOLUTE: "absolute", ItemKind.RELATIVE: "relative", ItemKind.CHECK: "check"}[item.kind]
        bold = answer == "yes" and item.kind is not ItemKind.CHECK
        said = (Run(": "), Run("yes", bold=True)) if bold else (Run(f": {answer}"),)
        cells.append(TextLines([(Run(f"{item.label} "), Run(f"({kind})", MUTED_HEX), *said)], SMALL))
    half = (len(cells) + 1) // 2
    rows = [[cells[i], cells[i + half] if i + half < len(cells) else ""] for i in range(half)]
    width = content_width(record.clinic.paper_size)
    table = RowTable(rows, [width / 2, width / 2], header_rows=0)
    if header.checklist_reviewed:
        gone_through = Paragraph("Checklist: <b>gone through with the patient</b>.", BODY)
    else:
        gone_through = Paragraph(
            f"Checklist: <font color='{SEVERITY_COLOURS['caution']}'><b>not marked as gone through with the "
            "patient</b></font>. An item without a tick is shown as — (not answered), not as “no”.",
            BODY,
        )
    story: list[Flowable] = [gone_through, Spacer(1, 3), table, Spacer(1, 4)]
    if header.checklist_override:
        story.append(text(f"Reason recorded for treating despite a contraindication: {header.checklist_override}"))
    story.append(text(f"Consent: {'given and recorded' if header.consent else 'NOT recorded'}."))
    return story


def _follow_ups(record: SessionRecord) -> list[Flowable]:
    if not record.visits:
        return []
    return visits_section(record.visits, frozenset(site.region for site in record.detail.sites))


def session_story(record: SessionRecord, placements: list[ViewPlacement] | None = None) -> list[Flowable]:
    """Every part of the report, in reading order."""
    register_fonts()  # paragraphs look their fonts up as they are made
    header = record.detail.session
    width = content_width(record.clinic.paper_size)
    story: list[Flowable] = [heading(f"Sclerotherapy session of {header.started_at:%d.%m.%Y}", TITLE)]
    if header.voided:
        story += [void_notice(header, width), Spacer(1, 6)]
    story.append(_identity(record))
    count = f"{len(record.detail.sites)}, not counted" if header.voided else str(len(record.detail.sites))
    titled, continued = (heading(f"Injection sites ({count}){more}") for more in ("", ", continued"))
    story.append(diagram(record, titled, placements, continued))
    if record.detail.sites:
        story.append(Spacer(1, 6))
        if (note := as_signed_note(record.detail.amendments)) is not None:
            story += [note, Spacer(1, 3)]
        story.append(site_table(record))
    story += [heading("Totals and limits"), *_totals(record)]
    story += [heading("Before treatment"), *_checklist(record)]
    story += [heading("Compression"), text(compression_words(header))]
    story += [heading("Notes"), text(header.notes or "None.")]
    story += _follow_ups(record)
    story.append(signature_block(header))
    story += amendments_section(record.detail.amendments)
    story += photo_section(record.photos)  # last, as an appendix: the signature stays with the record it signs
    return story


def session_report(
    record: SessionRecord,
    generated_at: dt.datetime,
    *,
    deterministic: bool = False,
    placements: list[ViewPlacement] | None = None,
) -> bytes:
    """The session report as PDF bytes; `placements` collects where each diagram view was drawn.

    Raises:
        UnprintableTextError: A name or text holds a character no font has; nothing is made.
    """
    check_printable(session_record_texts(record))
    setup = page_setup(record, "Session report", generated_at, deterministic)
    return build_pdf(session_story(record, placements), setup)
