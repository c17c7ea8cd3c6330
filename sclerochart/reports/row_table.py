"""A table of rows in columns of set widths, drawn as `styles.table_style` has ReportLab's `Table` draw it.

ReportLab's table looks up a style for every cell and draws every string as a text object of its own, and in
a session report of 60 sites that costs more than all the rest of the table's work. The report's tables are
simple: set column widths, one or more heading rows, a line under every row, every other row shaded, some
columns of numbers set right-aligned, and no cell spanning others. `RowTable` draws such a table itself: one
text object for the strings and the text lines of a run of cells, the shading row by row (as the table fills
it: filled as one shape, the edges would be smoothed differently) and one path for the lines, in the same
places, fonts and colours as the `Table` with `table_style(header_rows, plain=right)`.
Anything else (a paragraph in a cell) is drawn by the cell itself where the table would draw it. It splits
between rows, with the heading rows again on the next page, as the table does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypeAlias

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from sclerochart.reports.fonts import BOLD, REGULAR
from sclerochart.reports.lines import Face, TextLines
from sclerochart.reports.styles import CELL_PADDING, GRID, HEADER_FILL, INK, SMALL, ZEBRA

Cell: TypeAlias = str | Flowable
"""A string (its lines separated by line breaks, as `styles.cell` gives them) or a flowable."""

PAD_TOP = PAD_BOTTOM = 2
"""Points between a row's top or bottom and its cells' text, as in `styles.table_style`."""
LINE_WIDTH = 0.3
LINE_CAP = LINE_JOIN = 1
"""Round, as ReportLab's table draws its lines."""


class RowTable(Flowable):
    """Rows of cells in columns `widths` points wide; the first `header_rows` rows head it on every page.

    Args:
        rows: The cells, row by row; every row as long as `widths`.
        widths: Points per column.
        header_rows: How many rows at the top are headings, in bold on a shaded ground, repeated after a split.
        right: The columns whose cells below the headings are set right-aligned.
        zebra: Shade every other row below the headings, starting with the second.
    """

    def __init__(
        self,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        *,
        header_rows: int = 1,
        right: Collection[int] = (),
        zebra: bool = True,
    ) -> None:
        super().__init__()
        if any(len(row) != len(widths) for row in rows):
            raise ValueError("every row needs one cell per column")
        self.rows = [tuple(row) for row in rows]
        self.widths = tuple(widths)
        self.header_rows = header_rows
        self.right = frozenset(right)
        self.zebra = zebra
        self.hAlign = "CENTER"  # as a table is placed in a frame wider than itself
        self._heights: list[float] = []
        self._ruled_above = False
        """A part after a split: ruled above its first row below the headings as well, as ReportLab's table is."""
        self.width = float(sum(self.widths))
        self.height = 0.0

    def _row_heights(self) -> list[float]:
        if not self._heights:
            leading = SMALL.leading
            heights = []
            for row in self.rows:
                tallest = 0.0
                for value, width in zip(row, self.widths, strict=True):
                    if isinstance(value, str):
                        high = leading * (value.count("\n") + 1)
                    else:  # a cell's only flowable: its space above and below is not the cell's (as in a table)
                        high = value.wrap(width - 2 * CELL_PADDING, 72000)[1]
                    tallest = max(tallest, high)
                heights.append(tallest + PAD_TOP + PAD_BOTTOM)
            self._heights = heights
        return self._heights

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = sum(self._row_heights())
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """The rows that fit and the rest under the heading rows again; none when not one row fits."""
        heights = self._row_heights()
        used, fits = 0.0, 0
        for height in heights:
            if used + height > available_height:
                break
            used += height
            fits += 1
        if fits <= self.header_rows:
            return []
        if fits == len(self.rows):
            return [self]
        heading = slice(0, self.header_rows)
        first, rest = self._part(slice(0, fits)), self._part(heading, slice(fits, None))
        first._ruled_above, rest._ruled_above = self._ruled_above, True
        return [first, rest]

    def _part(self, *rows: slice) -> RowTable:
        """A table of some of the rows, as they are (their heights already known)."""
        part = RowTable(
            [row for chosen in rows for row in self.rows[chosen]],
            self.widths,
            header_rows=self.header_rows,
            right=self.right,
            zebra=self.zebra,
        )
        part._heights = [height for chosen in rows for height in self._heights[chosen]]
        return part

    def draw(self) -> None:
        canvas = self.canv
        heights = self._row_heights()
        tops = [self.height]
        for height in heights:
            tops.append(tops[-1] - height)
        canvas.saveState()
        self._draw_grounds(tops)
        self._draw_cells(tops)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(LINE_WIDTH)
        canvas.setLineCap(LINE_CAP)
        canvas.setLineJoin(LINE_JOIN)
        if self._ruled_above:  # a line of its own, over the headings' (drawn twice there, as by ReportLab)
            canvas.line(0, tops[self.header_rows], self.width, tops[self.header_rows])
        canvas.lines([(0, y, self.width, y) for y in tops[1:]])
        canvas.restoreState()

    def _draw_grounds(self, tops: list[float]) -> None:
        canvas = self.canv
        if self.header_rows:
            canvas.setFillColor(HEADER_FILL)
            canvas.rect(0, tops[0], self.width, tops[self.header_rows] - tops[0], stroke=0, fill=1)
        if self.zebra:
            shaded = range(self.header_rows + 1, len(self.rows), 2)
            if shaded:
                canvas.setFillColor(ZEBRA)
                for row in shaded:
                    canvas.rect(0, tops[row], self.width, tops[row + 1] - tops[row], stroke=0, fill=1)

    def _draw_cells(self, tops: list[float]) -> None:
        """Row by row, cell by cell, in the order the table draws them (text is read out of the file so)."""
        canvas = self.canv
        size, leading = SMALL.fontSize, SMALL.leading
        lefts = [0.0]
        for width in self.widths:
            lefts.append(lefts[-1] + width)
        text: PDFTextObject | None = None
        face: Face | None = None  # the text object's font and size, and its colour, as they stand
        ink: Color | None = None
        for index, row in enumerate(self.rows):
            heading = index < self.header_rows
            font = BOLD if heading else REGULAR
            top = tops[index] - PAD_TOP
            for column, value in enumerate(row):
                left, width = lefts[column], self.widths[column]
                right = not heading and column in self.right
                if isinstance(value, str):
                    if text is None:
                        text, face, ink = canvas.beginText(), None, None
                    if ink is not INK:
                        text.setFillColor(INK)
                        ink = INK
                    if face != (font, size):
                        text.setFont(font, size, leading)
                        face = (font, size)
                    y = top - size
                    for line in value.split("\n"):
                        x = left + CELL_PADDING
                        if right:
                            x = left + width - CELL_PADDING - stringWidth(line, font, size)
                        text.setTextOrigin(x, y)
                        text.textOut(line)
                        y -= leading
                    continue
                wide, high = value.wrap(width - 2 * CELL_PADDING, 72000)
                x = left + width - CELL_PADDING - wide if right else left + CELL_PADDING
                y = top - high
                if isinstance(value, TextLines) and value.drawn_as_lines:
                    if text is None:
                        text, face, ink = canvas.beginText(), None, None
                    face, ink = value.draw_into(text, x, y, face, ink)
                    continue
                if text is not None:
                    canvas.drawText(text)
                    text = None
                value.drawOn(canvas, x, y)
        if text is not None:
            canvas.drawText(text)
