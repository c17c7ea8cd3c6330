"""The course of treatment on paper: follow-up visits, CEAP and VCSS over time, outcomes by region, photos.

Shared by the treatment summary (the whole course) and the session report (the visits that rated the
session's regions, and its photos when asked for).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from sclerochart.domain.follow_up import SIDE_WORDS, ComplicationFinding, FollowUpVisit, region_words
from sclerochart.domain.outcomes import CLEARANCE_COLOURS, NOT_FOLLOWED_UP_COLOUR, views_of
from sclerochart.domain.values import SessionState
from sclerochart.domain.vcss import vcss_words
from sclerochart.readmodels import Course, PhotoImage, SessionDetail
from sclerochart.reports.diagram import LegDiagram, RegionFill, TitledDiagram, ViewPlacement
from sclerochart.reports.fonts import Paragraph
from sclerochart.reports.styles import BODY, HEADING, SMALL, SMALL_BOLD, table_style, text

PHOTO_WIDTH = 240.0
"""Points across of a printed photo (two side by side on A4 and Letter)."""


def complication_words(finding: ComplicationFinding) -> str:
    """E.g. "Bruising — right leg, Right medial calf, middle third; mild; action: none; resolved"."""
    where = SIDE_WORDS[finding.side].lower() if finding.side.value else ""
    if finding.region:
        where = f"{where}, {region_words(finding.region)}" if where else region_words(finding.region)
    parts = [finding.kind.value[:1].upper() + finding.kind.value[1:] + (f" — {where}" if where else "")]
    parts.append(finding.severity.value or "severity not recorded")
    if finding.action:
        parts.append(f"action: {finding.action}")
    parts.append("resolved" if finding.resolved else "not resolved")
    return "; ".join(parts)


def _signed(visit: FollowUpVisit) -> str:
    if visit.state is SessionState.SIGNED and visit.signed_at is not None:
        return f"Signed by {visit.signed_by}, {visit.signed_at:%d.%m.%Y %H:%M}"
    if visit.imported:
        return "Carried over from an earlier version, as recorded"
    return "Not signed"


def visit_paragraphs(visit: FollowUpVisit, regions: frozenset[str] | None = None) -> list[Flowable]:
    """One visit in words: who and when, each rated region (only `regions` when given), complications, notes."""
    who = f" — {visit.practitioner_name}" if visit.practitioner_name else ""
    story: list[Flowable] = [
        Paragraph(f"<b>{visit.examined_on:%d.%m.%Y}</b>{escape(who)} · {escape(_signed(visit))}", SMALL)
    ]
    rated = [each for each in visit.clearances if regions is None or each.region in regions]
    if rated:
        story.append(
            text(
                "Cleared: " + "; ".join(f"{region_words(each.region)} {each.percent} %" for each in rated) + ".", SMALL
            )
        )
    for finding in visit.complications:
        story.append(text("Complication: " + complication_words(finding) + ".", SMALL))
    if not visit.complications:
        story.append(text("No complications recorded.", SMALL))
    assessed = [
        f"{leg} leg: CEAP {ceap or '—'}, VCSS {vcss_words(vcss)}"
        for leg, ceap, vcss in (
            ("Right", visit.ceap_right, visit.vcss_right),
            ("Left", visit.ceap_left, visit.vcss_left),
        )
        if ceap or vcss
    ]
    if assessed:
        story.append(text("; ".join(assessed) + ".", SMALL))
    if visit.notes:
        story.append(text("Notes: " + visit.notes, SMALL))
    story.append(Spacer(1, 4))
    return story


def visits_section(visits: Sequence[FollowUpVisit], regions: frozenset[str] | None = None) -> list[Flowable]:
    """The follow-up visits, oldest first (the heading kept with the first)."""
    if not visits:
        return [Paragraph("Follow-up", HEADING), text("No follow-up visits recorded.", BODY)]
    first, *rest = visits
    story: list[Flowable] = [KeepTogether([Paragraph("Follow-up", HEADING), *visit_paragraphs(first, regions)])]
    for visit in rest:
        story.append(KeepTogether(visit_paragraphs(visit, regions)))
    return story


def assessment_course(sessions: Sequence[SessionDetail], visits: Sequence[FollowUpVisit]) -> list[Flowable]:
    """CEAP and VCSS per leg at each session and visit that recorded them, oldest first: the course."""
    entries: list[tuple[dt.date, str, str, Mapping[str, int] | None, str, Mapping[str, int] | None]] = []
    for detail in sessions:
        header = detail.session
        if header.voided:
            continue
        if header.ceap_right or header.ceap_left or header.vcss_right or header.vcss_left:
            entries.append(
                (
                    header.started_at.date(),
                    "Session",
                    header.ceap_right,
                    header.vcss_right,
                    header.ceap_left,
                    header.vcss_left,
                )
            )
    for visit in visits:
        if visit.ceap_right or visit.ceap_left or visit.vcss_right or visit.vcss_left:
            entries.append(
                (visit.examined_on, "Follow-up", visit.ceap_right, visit.vcss_right, visit.ceap_left, visit.vcss_left)
            )
    heading = Paragraph("CEAP and VCSS over the course", HEADING)
    if not entries:
        return [heading, text("No CEAP class or VCSS recorded.", BODY)]
    entries.sort(key=lambda entry: entry[0])
    rows: list[list[object]] = [
        [text(h, SMALL_BOLD) for h in ("Date", "Recorded at", "CEAP right", "VCSS right", "CEAP left", "VCSS left")]
    ]
    for index, (day, kind, ceap_r, vcss_r, ceap_l, vcss_l) in enumerate(entries):
        label = kind + (" (baseline)" if index == 0 else " (latest)" if index == len(entries) - 1 else "")
        rows.append(
            [
                text(f"{day:%d.%m.%Y}", SMALL),
                text(label, SMALL),
                text(ceap_r or "—", SMALL),
                text(vcss_words(vcss_r), SMALL),
                text(ceap_l or "—", SMALL),
                text(vcss_words(vcss_l), SMALL),
            ]
        )
    table = Table(rows, colWidths=[54, 86, 100, 66, 100, 66], hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(1))
    return [heading, table]


def outcome_fills(course: Course) -> tuple[RegionFill, ...]:
    """Each treated region's paint: its latest clearance's colour, hatched when never followed up."""
    return tuple(
        RegionFill(region, outcome.colour, hatched=not outcome.followed_up)
        for region, outcome in course.outcomes.items()
    )


def _key() -> Paragraph:
    swatches = " ".join(f'<font color="{colour}">■</font> {percent} %' for percent, colour in CLEARANCE_COLOURS.items())
    return Paragraph(
        f"Colour: the cleared fraction at the latest follow-up — {swatches} · "
        f'<font color="{NOT_FOLLOWED_UP_COLOUR}">▨</font> treated, never followed up. Skin colour: not treated.',
        SMALL,
    )


def outcome_diagram(course: Course, width: float, placements: list[ViewPlacement] | None = None) -> list[Flowable]:
    """The legs painted by each treated region's latest clearance, and each region's history in words."""
    heading = Paragraph("Outcome by region", HEADING)
    if not course.outcomes:
        return [KeepTogether([heading, text("No region has been treated yet.", BODY)])]
    views = views_of(course.outcomes)
    fills = outcome_fills(course)
    drawing = LegDiagram(views, (), (), max_width=width, max_height=280, placements=placements, fills=fills)
    continued = Paragraph("Outcome by region on the legs, continued", HEADING)
    rows: list[list[object]] = [[text(h, SMALL_BOLD) for h in ("Region", "Treated", "Cleared at follow-up")]]
    for outcome in sorted(course.outcomes.values(), key=lambda outcome: region_words(outcome.region)):
        cleared = " → ".join(f"{r.percent} % ({r.examined_on:%d.%m.%Y})" for r in outcome.ratings)
        rows.append(
            [
                text(region_words(outcome.region), SMALL),
                text(outcome.treated_days(), SMALL),
                text(cleared or "never followed up", SMALL),
            ]
        )
    table = Table(rows, colWidths=[170, 140, width - 310], hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(1))
    # The table first: the diagram after it shrinks to finish the page (or breaks by rows), never leaving a
    # few lines of the table alone on a page of their own.
    pictured = Paragraph("Outcome by region on the legs", HEADING)
    return [heading, table, Spacer(1, 6), TitledDiagram(pictured, drawing, _key(), continued=continued)]


def _photo_caption(photo: PhotoImage) -> str:
    info = photo.info
    where = info.view.value.capitalize() + " view" + (f", {region_words(info.region)}" if info.region else "")
    taken = f"taken {info.taken_at:%d.%m.%Y}" if info.taken_at else f"added {info.added_at:%d.%m.%Y}"
    record = "session" if info.session_id else "follow-up"
    return f"{where} — {record} of {info.record_day:%d.%m.%Y}, {taken}"


def photo_section(photos: Sequence[PhotoImage]) -> list[Flowable]:
    """The photos two to a row, each with what it shows and when; nothing when there are none."""
    if not photos:
        return []
    cells: list[object] = []
    for photo in photos:
        reader = ImageReader(io.BytesIO(photo.data))
        width, height = reader.getSize()
        scale = PHOTO_WIDTH / max(width, 1)
        shown_height = min(height * scale, 300.0)
        shown_width = width * (shown_height / max(height, 1))
        image = Image(io.BytesIO(photo.data), width=shown_width, height=shown_height)
        cells.append([image, text(_photo_caption(photo), SMALL)])
    rows = [cells[i : i + 2] + ([""] if len(cells[i : i + 2]) == 1 else []) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[PHOTO_WIDTH + 10, PHOTO_WIDTH + 10], hAlign="LEFT")
    table.setStyle(table_style(0, zebra=False))
    return [Paragraph("Photos", HEADING), table]
