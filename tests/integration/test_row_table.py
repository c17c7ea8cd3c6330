"""The reports' row tables look as ReportLab's table with the reports' table style, page for page.

`RowTable` draws the session report's tables itself, far more cheaply than ReportLab's `Table`. Each case is
drawn both ways and must give the same pages: as many, with the same words in the same order, and the same
pixels. Only where a cell's lines are drawn from the table's corner rather than the cell's own (ReportLab
moves the origin to each cell) may a position round differently in the file: a few pixels along a letter's
edge then differ by a level or two of grey. A row shaded or not (8 levels over thousands of pixels), a cell
moved by a hundredth of a point or a line drawn elsewhere all differ by far more.
"""

from __future__ import annotations

import io
import itertools

import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Table

from sclerochart.reports.fonts import register_fonts
from sclerochart.reports.lines import Run, TextLines, text_cell
from sclerochart.reports.row_table import RowTable
from sclerochart.reports.styles import (
    FACT_LABEL_WIDTH,
    HEADING,
    MUTED_HEX,
    SMALL,
    SMALL_BOLD,
    SMALL_RIGHT,
    cell,
    fact_cells,
    table_style,
    text,
)

SCALES = (2, 3)
"""Pages are compared drawn at 144 and 216 dots per inch: a thin line may fall between pixels at one of them."""
ROUNDING = 2
"""Levels of grey (of 255) a pixel may differ by where a position in the file is rounded differently."""
STRAY = 20
"""Pixels per page that may differ by more than `ROUNDING` (where two letters' roundings meet)."""

WIDTHS = [20.0, 139.0, 62.0, 34.0, 26.0, 58.0]
TITLES = ["#", "View and region", "Vessel", "Agent", "%", "Form"]
RIGHT = (0, 4)


@pytest.fixture(autouse=True)
def _fonts() -> None:
    register_fonts()


def _site_rows(count: int) -> list[list[str | Flowable]]:
    rows: list[list[str | Flowable]] = [[cell(t, SMALL_BOLD, w) for t, w in zip(TITLES, WIDTHS, strict=True)]]
    for number in range(1, count + 1):
        region = [(Run("Right anterior lower leg, proximal third" if number % 3 else "Left heel"),)]
        region.append((Run("Anterior view", MUTED_HEX),))
        if number % 7 == 0:
            region.append((Run("corrected by amendment 2", "#b26a00"),))
        rows.append(
            [
                cell(str(number), SMALL_RIGHT, WIDTHS[0]),
                TextLines(region, SMALL),
                cell("telangiectasia 0.5 mm" if number % 2 else "reticular vein", SMALL, WIDTHS[2]),
                cell("POL" if number % 4 else "Иванов", SMALL, WIDTHS[3]),  # a name in a fallback font
                cell("0.25", SMALL_RIGHT, WIDTHS[4]),
                cell("foam 1:4 room air" if number % 5 == 0 else "two  spaces", SMALL, WIDTHS[5]),
            ]
        )
    return rows


def _pdf(flowable: Flowable) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build([flowable])
    return out.getvalue()


def _reportlab(
    rows: list[list[str | Flowable]], widths: list[float], header_rows: int, right: tuple[int, ...]
) -> bytes:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(table_style(header_rows, plain=right))
    return _pdf(table)


def _assert_same_pages(made: bytes, expected: bytes, *, exact: bool = False) -> None:
    ours, theirs = pdfium.PdfDocument(made), pdfium.PdfDocument(expected)
    assert len(ours) == len(theirs)
    for index, scale in itertools.product(range(len(ours)), SCALES):
        difference = ImageChops.difference(
            ours[index].render(scale=scale).to_pil().convert("L"),
            theirs[index].render(scale=scale).to_pil().convert("L"),
        ).histogram()
        if exact:
            assert sum(difference[1:]) == 0, f"page {index + 1} at {scale}x: {sum(difference[1:])} pixels differ"
        else:
            assert sum(difference[ROUNDING + 1 :]) <= STRAY, (
                f"page {index + 1} at {scale}x: {sum(difference[ROUNDING + 1 :])} pixels differ"
            )
    words = [
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
        for pdf in (made, expected)
    ]
    assert words[0] == words[1]


def test_a_table_of_strings_draws_pixel_for_pixel_as_reportlabs() -> None:
    rows = [[value if isinstance(value, str) else "—" for value in row] for row in _site_rows(30)]
    _assert_same_pages(_pdf(RowTable(rows, WIDTHS, right=RIGHT)), _reportlab(rows, WIDTHS, 1, RIGHT), exact=True)


def test_a_site_table_draws_as_reportlabs_table() -> None:
    rows = _site_rows(12)
    assert any(isinstance(value, str) and "\n" in value for row in rows for value in row)  # a wrapped string cell
    assert any(not isinstance(value, (str, TextLines)) for row in rows for value in row)  # a paragraph cell
    _assert_same_pages(_pdf(RowTable(rows, WIDTHS, right=RIGHT)), _reportlab(rows, WIDTHS, 1, RIGHT))


def test_a_long_table_breaks_between_rows_with_its_heading_on_every_page_as_reportlabs() -> None:
    rows = _site_rows(150)
    made = _pdf(RowTable(rows, WIDTHS, right=RIGHT))
    assert len(pdfium.PdfDocument(made)) > 3
    for page in pypdf.PdfReader(io.BytesIO(made)).pages:
        assert page.extract_text().startswith("# View and region")
    _assert_same_pages(made, _reportlab(rows, WIDTHS, 1, RIGHT))


def test_a_table_without_headings_shades_and_rules_as_reportlabs() -> None:
    items = [
        [TextLines([(Run(f"Item {n} "), Run("(relative)", MUTED_HEX), Run(": "), Run("yes", bold=True))], SMALL), ""]
        for n in range(9)
    ]
    items[4][1] = TextLines([(Run("Known allergy or previous anaphylaxis to the sclerosant (absolute): no"),)], SMALL)
    made = _pdf(RowTable(items, [257.0, 257.0], header_rows=0))
    _assert_same_pages(made, _reportlab(items, [257.0, 257.0], 0, ()))


def test_a_row_that_does_not_fit_its_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        RowTable([["1", "2"]], [10.0, 10.0, 10.0])


def test_a_page_too_short_for_a_row_under_the_heading_takes_none() -> None:
    table = RowTable(_site_rows(3), WIDTHS, right=RIGHT)
    table.wrap(sum(WIDTHS), 1000)
    assert table.split(sum(WIDTHS), 20) == []
    whole = table.split(sum(WIDTHS), 1000)
    assert whole == [table]


def test_cells_in_type_of_different_sizes_keep_their_sizes() -> None:
    facts = [("Patient", "Łukasiewicz-Ødegård, Zoë"), ("Chart number", "R-0042"), ("Allergies", "none recorded")]
    widths = [FACT_LABEL_WIDTH, 164.0]
    made = _pdf(RowTable(fact_cells(facts), widths, header_rows=0, zebra=False))
    table = Table(fact_cells(facts), colWidths=widths)
    table.setStyle(table_style(0, zebra=False))
    _assert_same_pages(made, _pdf(table))


@pytest.mark.parametrize("header_rows", [0, 1, 2])
def test_each_page_a_table_runs_onto_is_ruled_as_reportlabs(header_rows: int) -> None:
    headings = [["Known allergy", "Asthma"], ["(absolute)", "(relative)"]][:header_rows]
    rows: list[list[str | Flowable]] = [*headings, *([f"Item {n}", "yes"] for n in range(160))]
    made = _pdf(RowTable(rows, [257.0, 257.0], header_rows=header_rows))
    assert len(pdfium.PdfDocument(made)) >= 3  # split twice: the middle part is split again
    _assert_same_pages(made, _reportlab(rows, [257.0, 257.0], header_rows, ()), exact=True)


def test_a_cells_space_above_and_below_is_left_out_as_reportlab_leaves_it() -> None:
    spaced: list[list[str | Flowable]] = [
        [text_cell("Totals and limits", HEADING), text("Notes", HEADING)] for _ in range(5)
    ]
    assert all(isinstance(value, Flowable) and value.getSpaceBefore() for row in spaced for value in row)
    _assert_same_pages(_pdf(RowTable(spaced, [200.0, 200.0], header_rows=0)), _reportlab(spaced, [200.0, 200.0], 0, ()))
