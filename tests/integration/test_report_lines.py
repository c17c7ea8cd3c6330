"""Table cells drawn as lines look exactly as the ReportLab paragraphs they stand for.

The reports draw most table cells without laying out a paragraph (reports/lines.py, `styles.cell`). Each case
here is drawn twice, as those cells and as paragraphs of the same markup, and the pages must match pixel for
pixel; where a cell cannot be sure how a paragraph would break its text, it must be that paragraph. Property
tests hold the line breaks to ReportLab's for any text and width.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageChops
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, SimpleDocTemplate, Table

from sclerochart.reports.fonts import Paragraph, register_fonts
from sclerochart.reports.lines import Run, TextLines, text_cell
from sclerochart.reports.styles import (
    BODY,
    HEADING,
    LABEL,
    MUTED_HEX,
    SMALL,
    SMALL_BOLD,
    SMALL_RIGHT,
    TITLE,
    cell,
    table_style,
    text,
)

CAUTION = "#b26a00"

WORDS = st.sampled_from(
    [
        "Right",
        "anterior",
        "lower",
        "leg,",
        "proximal",
        "third",
        "foam",
        "1:4",
        "room",
        "air",
        "0.25",
        "mL",
        "Łukasiewicz-Ødegård,",
        "Zoë",
        "Müller",
        "telangiectasia",
        "(relative):",
        "—",
        "a",
        "I",
        "WWWWWW",
        "mg/kg",
        "Иванов",
        "注意",
        "한국어",
        "x",
    ]
)
TEXTS = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


def _page(cells: list[list[object]], widths: list[float], right: tuple[int, ...] = (), header_rows: int = 0) -> bytes:
    out = io.BytesIO()
    table = Table(cells, colWidths=widths)
    table.setStyle(table_style(header_rows, plain=right))
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build([table])
    return out.getvalue()


def _differing_pixels(one: bytes, other: bytes) -> int:
    """How many pixels differ between the first pages, drawn at 216 dots per inch."""
    pages = [pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil().convert("L") for pdf in (one, other)]
    difference = ImageChops.difference(*pages)
    return sum(difference.histogram()[1:])


def _markup(lines: Sequence[tuple[Run, ...]]) -> str:
    return "<br/>".join("".join(run.markup() for run in line) for line in lines)


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    """The lines a wrapped paragraph of one run set, as text."""
    return [" ".join(words) for _unused, words in paragraph.blPara.lines]


def _laid_lines(cell_lines: TextLines) -> list[str]:
    return ["".join(part[0] for part in line) for line in cell_lines._laid]


CASES = [
    ("region", [(Run("Right anterior thigh, distal third"),), (Run("Anterior view", MUTED_HEX),)], SMALL, 140),
    (
        "region that wraps, with a note and an amendment",
        [
            (Run("Right anterior lower leg, proximal third"),),
            (Run("Anterior view", MUTED_HEX),),
            (Run("a rather long note that will certainly need to wrap onto a second line", italic=True),),
            (Run("corrected by amendments 1 and 2", CAUTION),),
        ],
        SMALL,
        139,
    ),
    (
        "checklist item, bold answer",
        [(Run("Consent obtained "), Run("(check)", MUTED_HEX), Run(": "), Run("yes", bold=True))],
        SMALL,
        257,
    ),
    (
        "checklist item that wraps",
        [(Run("Known allergy or previous anaphylaxis to the sclerosant "), Run("(absolute)", MUTED_HEX), Run(": —"))],
        SMALL,
        257,
    ),
    (
        "limit lines",
        [(Run("mg per day: 48 of 144 mg (33%)", "#2e7d32"),), (Run("volume: 8 of 10 mL", CAUTION),)],
        SMALL,
        227,
    ),
    ("name in Latin letters", [(Run("Łukasiewicz-Ødegård, Zoë"),)], BODY, 164),
    ("name in Chinese", [(Run("张伟"),)], BODY, 164),
    ("name in Korean, in a label", [(Run("김민준 (한국어)"),)], LABEL, 85),
    ("doubled space", [(Run("two  spaces"),)], SMALL, 80),
    ("heading, with space above and below", [(Run("Totals and limits"),)], HEADING, 300),
    ("title", [(Run("Sclerotherapy session of 23.11.2026"),)], TITLE, 500),
    ("one long word", [(Run("AVERYLONGLOTNUMBERWITHOUTSPACES1234"),)], SMALL, 50),
]


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


@pytest.mark.parametrize(("lines", "style", "width"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_lines_draw_as_their_paragraph(lines: list[tuple[Run, ...]], style: ParagraphStyle, width: float) -> None:
    drawn = _page([[TextLines(lines, style)]], [width])
    paragraph = _page([[Paragraph(_markup(lines), style)]], [width])
    assert _differing_pixels(drawn, paragraph) == 0


def test_headings_on_the_page_take_their_space_and_draw_as_their_paragraphs() -> None:
    def page(heading: type[Flowable] | None) -> bytes:
        out = io.BytesIO()
        story: list[Flowable] = []
        for value, style in [("Sclerotherapy session of 23.11.2026", TITLE), ("Totals and limits", HEADING)] * 3:
            story.append(text_cell(value, style) if heading is TextLines else text(value, style))
            story.append(text("Nothing was injected.", BODY))
        SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
        return out.getvalue()

    assert text_cell("Totals and limits", HEADING).drawn_as_lines
    assert _differing_pixels(page(TextLines), page(None)) == 0


def test_a_cell_of_text_draws_as_the_paragraph_of_styles_text() -> None:
    values = ["Chart number", "R-0042", "none recorded", "line one\nline two", "a <b> & c", "", "draft – not signed"]
    drawn = _page([[text_cell(value, LABEL), text_cell(value, BODY)] for value in values], [85, 164])
    paragraphs = _page([[text(value, LABEL), text(value, BODY)] for value in values], [85, 164])
    assert _differing_pixels(drawn, paragraphs) == 0


def test_plain_table_cells_draw_as_their_paragraphs() -> None:
    widths = [20.0, 62.0, 34.0, 26.0, 58.0, 50.0]
    header = ["#", "Vessel", "Agent", "%", "Form", "Lot"]
    rows = [
        ["1", "telangiectasia", "POL", "0.25", "liquid", "L-2026-0042"],
        ["12", "telangiectasia 123.456 mm", "STS", "1", "foam 1:4 room air", "张三李四王五"],
        ["107", "reticular vein", "POL", "0.5", "foam 1:4 CO2/O2", "two  spaces"],
        ["8", "feeding vein", "Ø", "3", "liquid", "AVERYLONGLOTNUMBER"],
    ]
    right = (0, 3)

    def style(column: int) -> ParagraphStyle:
        return SMALL_RIGHT if column in right else SMALL

    plain: list[list[object]] = [[cell(title, SMALL_BOLD, w) for title, w in zip(header, widths, strict=True)]]
    plain += [[cell(value, style(i), widths[i]) for i, value in enumerate(row)] for row in rows]
    made: list[list[object]] = [[text(title, SMALL_BOLD) for title in header]]
    made += [[text(value, style(i)) for i, value in enumerate(row)] for row in rows]
    assert any(isinstance(value, str) and "\n" in value for row in plain for value in row)  # a wrapped plain cell
    assert _differing_pixels(_page(plain, widths, right, 1), _page(made, widths, right, 1)) == 0


@settings(max_examples=300, deadline=None)
@given(value=TEXTS, width=st.floats(min_value=15, max_value=220), style=st.sampled_from([SMALL, BODY, LABEL]))
def test_a_text_breaks_where_its_paragraph_breaks(value: str, width: float, style: ParagraphStyle) -> None:
    register_fonts()
    lines = text_cell(value, style)
    paragraph = text(value, style)
    assert lines.wrap(width, 1000) == paragraph.wrap(width, 1000)
    if lines._paragraph is None:
        assert _laid_lines(lines) == _paragraph_lines(paragraph)


@settings(max_examples=200, deadline=None)
@given(
    first=TEXTS,
    second=TEXTS,
    width=st.floats(min_value=40, max_value=220),
)
def test_several_lines_take_the_height_of_their_paragraph(first: str, second: str, width: float) -> None:
    register_fonts()
    lines = [(Run(first),), (Run(second, MUTED_HEX),), (Run(first + " ", italic=True), Run(second, bold=True))]
    made = TextLines(lines, SMALL)
    assert made.wrap(width, 1000) == Paragraph(_markup(lines), SMALL).wrap(width, 1000)


@settings(max_examples=200, deadline=None)
@given(value=TEXTS, width=st.floats(min_value=15, max_value=220))
def test_a_plain_cell_holds_the_paragraphs_lines(value: str, width: float) -> None:
    register_fonts()
    made = cell(value, SMALL, width)
    if isinstance(made, str):
        paragraph = text(value, SMALL)
        paragraph.wrap(width - 6, 1000)
        assert made.split("\n") == _paragraph_lines(paragraph)


def test_the_widest_word_is_the_paragraphs() -> None:
    lines = [(Run("Consent obtained "), Run("(check)", MUTED_HEX), Run(": "), Run("yes", bold=True))]
    made = TextLines(lines, SMALL)
    assert made.minWidth() == pytest.approx(Paragraph(_markup(lines), SMALL).minWidth())


def test_text_a_paragraph_would_fold_is_left_to_the_paragraph() -> None:
    for value in ("two  spaces", " edge", "tab\there", "soft\u00adhyphen", "no\u00a0break"):
        made = text_cell(value, SMALL)
        assert isinstance(made._paragraph, Paragraph), value
    assert isinstance(cell("two  spaces", SMALL, 100), Flowable)
