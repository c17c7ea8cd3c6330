"""Paragraph and table styles of the documents, in the embedded fonts; a heading never ends a page."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from sclerochart.reports.fonts import BOLD, REGULAR, Paragraph
from sclerochart.reports.lines import MARGIN, TextLines, broken, simple, text_cell

INK = HexColor("#222222")
MUTED_HEX = "#5f5f5f"
"""Grey for secondary words inside a paragraph's markup."""
MUTED = HexColor(MUTED_HEX)
HEADER_FILL = HexColor("#e8edf3")
ZEBRA = HexColor("#f6f7f9")
GRID = HexColor("#c9ced6")
SEVERITY_COLOURS = {"info": "#2e7d32", "caution": "#b26a00", "exceeded": "#c62828"}
"""Text colour per finding severity, as in the screen's gauges: green, amber, red."""

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5)
SMALL_BOLD = ParagraphStyle("small-bold", parent=SMALL, fontName=BOLD)
SMALL_RIGHT = ParagraphStyle("small-right", parent=SMALL, alignment=TA_RIGHT)
SMALL_BOLD_RIGHT = ParagraphStyle("small-bold-right", parent=SMALL_BOLD, alignment=TA_RIGHT)
LABEL = ParagraphStyle("label", parent=BODY, fontSize=8, textColor=MUTED)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD, fontSize=11, leading=14, spaceBefore=9, spaceAfter=4, keepWithNext=1
)
"""A heading stays on the page of what follows it (never the last line of a page)."""

# The handout: large type a patient reads at arm's length.
HANDOUT_TITLE = ParagraphStyle("handout-title", parent=BODY, fontName=BOLD, fontSize=20, leading=25, spaceAfter=6)
HANDOUT_HEADING = ParagraphStyle(
    "handout-heading",
    parent=BODY,
    fontName=BOLD,
    fontSize=14.5,
    leading=18,
    spaceBefore=10,
    spaceAfter=3,
    keepWithNext=1,
)
HANDOUT_CALL = ParagraphStyle("handout-call", parent=HANDOUT_HEADING, keepWithNext=0)
"""The closing line with the clinic's number: as large as a heading, but the last thing on the handout."""
HANDOUT_BODY = ParagraphStyle("handout-body", parent=BODY, fontSize=12.5, leading=17, spaceAfter=3)


def heading(value: str, style: ParagraphStyle = HEADING) -> TextLines:
    """A heading or title of plain text: its style's space above and below, kept on the page of what follows."""
    return text_cell(value, style)


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped and line breaks kept."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


CELL_PADDING = 3
"""Points between a table cell's edge and its text, on the left and on the right (`table_style`)."""


def cell(value: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """Plain text in a table column `width` points wide: the string when the table draws it as a paragraph would.

    The table draws a string in the font, size, leading, colour and alignment of its style, which must match
    the paragraph style (`table_style` with `plain`: `SMALL_BOLD` in header rows, `SMALL` or `SMALL_RIGHT`
    below); a text that wraps is given with its line breaks where the paragraph would break it (`lines.broken`).
    Otherwise, or when the text is not simple (`lines.simple`), the paragraph.
    """
    plain = _plain(value, style, width)
    return text(value, style) if plain is None else plain


@lru_cache(maxsize=4096)
def _plain(value: str, style: ParagraphStyle, width: float) -> str | None:
    """The string `cell` gives, or None for a paragraph; kept, as tables hold the same words again and again.

    Kept by the style object: the documents' styles are made once, above, and never changed.
    """
    font, available = style.fontName, width - 2 * CELL_PADDING
    matches = (style.fontSize, style.leading, style.textColor) == (SMALL.fontSize, SMALL.leading, INK)
    if matches and simple(value, font):
        if stringWidth(value, font, style.fontSize) <= available - MARGIN:
            return value
        if (lines := broken(value, style, available)) is not None:
            return "\n".join(lines)
    return None


def table_style(
    header_rows: int = 1,
    *,
    zebra: bool = True,
    ruled: Sequence[int] | None = None,
    plain: Sequence[int] | None = None,
) -> TableStyle:
    """Grid lines, a shaded header row, and alternate row shading.

    Args:
        header_rows: How many rows at the top are headings.
        zebra: Shade every other row.
        ruled: The rows a line is drawn under; every row when None.
        plain: For a table with plain-text cells (`cell`): the columns set right-aligned below the header rows
            (`SMALL_RIGHT`); the strings are drawn in the ink of the paragraphs. None: no plain cells.
    """
    lines: list[tuple[object, ...]] = (
        [("LINEBELOW", (0, 0), (-1, -1), 0.3, GRID)]
        if ruled is None
        else [("LINEBELOW", (0, row), (-1, row), 0.3, GRID) for row in ruled]
    )
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), SMALL.fontSize),
        ("LEADING", (0, 0), (-1, -1), SMALL.leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *lines,
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if plain is not None:
        commands.append(("TEXTCOLOR", (0, 0), (-1, -1), INK))
        commands += [("ALIGN", (column, header_rows), (column, -1), "RIGHT") for column in plain]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
        ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, ZEBRA]))
    return TableStyle(commands)


FACT_LABEL_WIDTH = 30 * mm
"""The width of the labels' column of a table of facts."""


def fact_cells(rows: list[tuple[str, str]]) -> list[list[Flowable]]:
    """Label and value pairs as the cells of a table of facts: the label in grey, the value in the body's type."""
    return [[text_cell(label, LABEL), text_cell(value, BODY)] for label, value in rows]


def facts_table(rows: list[tuple[str, str]]) -> Table:
    """Label and value pairs, one per line: "Chart number  R-0042"."""
    table = Table(fact_cells(rows), colWidths=[FACT_LABEL_WIDTH, None])
    table.setStyle(table_style(0, zebra=False))
    return table
