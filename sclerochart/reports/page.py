"""The page every document shares: clinic header, footer with record id, time and "Page X of Y", draft mark.

From page 2 on, the header also names whom the document is about (`PageSetup.running_line`), so no page can be
read away from the patient's name.

`build_pdf` turns a story of flowables into PDF bytes. In deterministic mode (tests, golden files) ReportLab's
invariant mode fixes the document's internal dates and ids, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from sclerochart.reports.fonts import BOLD, REGULAR, draw_text, register_fonts
from sclerochart.settings import ClinicSettings

PAPER = {"A4": A4, "Letter": LETTER}
MARGIN = 16 * mm
HEADER_HEIGHT = 17 * mm
FOOTER_HEIGHT = 9 * mm
INK = HexColor("#222222")
MUTED = HexColor("#666666")
RULE = HexColor("#b8b8b8")
DRAFT_RED = HexColor("#c62828")


@dataclass(frozen=True)
class PageSetup:
    """What every page of one document shows around its content."""

    title: str
    """The document's name, top right: "Session report", "Aftercare", "Treatment summary"."""
    record_id: str
    """The record printed in the footer (session id, or patient id for a summary)."""
    generated_at: dt.datetime
    paper: str = "A4"
    clinic_name: str = ""
    clinic_lines: tuple[str, ...] = ()
    """Address and phone under the clinic name."""
    logo: bytes | None = None
    """A PNG or JPEG printed left of the clinic name, when the clinic has set one."""
    draft: bool = False
    """Marks every page with `mark`: under the title and, faintly, across the page."""
    mark: str = "Draft – not signed"
    """The words of the draft mark ("VOIDED" for a draft set aside)."""
    deterministic: bool = False
    author: str = ""
    running_line: str = ""
    """Whom the document is about ("Schmidt, Anna · R-0042"), in the header of every page after the first."""


def clinic_page(
    clinic: ClinicSettings,
    logo: bytes | None,
    title: str,
    record_id: str,
    generated_at: dt.datetime,
    *,
    deterministic: bool = False,
    draft: bool = False,
    mark: str = "Draft – not signed",
    running_line: str = "",
) -> PageSetup:
    """The page of a document from the clinic's settings: its name, address, phone, logo and paper size."""
    return PageSetup(
        title=title,
        record_id=record_id,
        generated_at=generated_at,
        paper=clinic.paper_size,
        clinic_name=clinic.clinic_name or "ScleroChart",
        # An address typed on several lines prints as one line of the header, its lines joined by commas.
        clinic_lines=tuple(line for line in (_one_line(clinic.clinic_address), clinic.clinic_phone) if line),
        logo=logo,
        draft=draft,
        mark=mark,
        deterministic=deterministic,
        running_line=running_line,
    )


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def page_size(paper: str) -> tuple[float, float]:
    """Width and height in points of a paper size name (A4 or Letter)."""
    width, height = PAPER.get(paper, A4)
    return float(width), float(height)


def content_width(paper: str) -> float:
    """The width a flowable may take between the margins."""
    return page_size(paper)[0] - 2 * float(MARGIN)


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say how many pages there are."""

    setup: PageSetup

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Keep the finished page's state; it is drawn out in save()."""
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw each held page's footer with the page count, then write the file."""
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            _draw_footer(self, self.setup, self._pageNumber, total)
            super().showPage()
        super().save()


def _canvas_maker(setup: PageSetup) -> type[_NumberedCanvas]:
    return type("_SetupCanvas", (_NumberedCanvas,), {"setup": setup})


def _draw_header(canvas: Canvas, setup: PageSetup) -> None:
    width, height = canvas._pagesize
    top = height - MARGIN + 4 * mm
    left = MARGIN
    if setup.logo:
        try:
            image = ImageReader(io.BytesIO(setup.logo))
            w, h = image.getSize()
            scale = min(14 * mm / h, 30 * mm / w)
            canvas.drawImage(image, left, top - h * scale, w * scale, h * scale, mask="auto")
            left += w * scale + 4 * mm
        except (OSError, ValueError):  # a damaged logo file must not stop a clinical record from printing
            left = MARGIN
    canvas.setFillColor(INK)
    draw_text(canvas, left, top - 11, setup.clinic_name or "", BOLD, 11)
    canvas.setFillColor(MUTED)
    for index, line in enumerate(setup.clinic_lines[:2]):
        draw_text(canvas, left, top - 21 - 9 * index, line, REGULAR, 8)
    canvas.setFillColor(INK)
    right = width - MARGIN
    draw_text(canvas, right, top - 11, setup.title, BOLD, 12, "right")
    below_title = top - 24
    if setup.draft:
        canvas.setFillColor(DRAFT_RED)
        draw_text(canvas, right, below_title, setup.mark, BOLD, 10, "right")
        below_title -= 11
    if setup.running_line and canvas.getPageNumber() > 1:
        canvas.setFillColor(INK)
        draw_text(canvas, right, below_title, setup.running_line, REGULAR, 9, "right")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    line_y = height - MARGIN - HEADER_HEIGHT + 4 * mm
    canvas.line(MARGIN, line_y, width - MARGIN, line_y)


def _draw_draft_mark(canvas: Canvas, mark: str) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(DRAFT_RED)
    canvas.setFillAlpha(0.08)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(40)
    draw_text(canvas, 0, -20, mark.upper(), BOLD, 48, "centre")
    canvas.restoreState()


def _draw_footer(canvas: Canvas, setup: PageSetup, number: int, total: int) -> None:
    width, _ = canvas._pagesize
    y = MARGIN - 6 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
    canvas.setFillColor(MUTED)
    footer = f"Record {setup.record_id} · generated {setup.generated_at:%d.%m.%Y %H:%M}"
    draw_text(canvas, MARGIN, y, footer, REGULAR, 7.5)
    canvas.setFillColor(INK)
    draw_text(canvas, width - MARGIN, y, f"Page {number} of {total}", BOLD, 8, "right")


def _on_page(setup: PageSetup) -> Any:
    def decorate(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        if setup.draft:
            _draw_draft_mark(canvas, setup.mark)
        _draw_header(canvas, setup)
        canvas.restoreState()

    return decorate


def build_pdf(story: Sequence[Flowable], setup: PageSetup) -> bytes:
    """Lay out the story on pages with the shared header and footer; the PDF as bytes."""
    register_fonts()
    width, height = page_size(setup.paper)
    out = io.BytesIO()
    document = BaseDocTemplate(
        out,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=setup.title,
        author=setup.author or setup.clinic_name,
        creator="ScleroChart",
        producer="ScleroChart (ReportLab)",
        subject=f"{setup.title} {setup.record_id}",
        invariant=1 if setup.deterministic else 0,
        initialFontName=REGULAR,
        lang="en",
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        width - 2 * MARGIN,
        height - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        id="content",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_on_page(setup))])
    document.build(list(story), canvasmaker=_canvas_maker(setup))
    return out.getvalue()
