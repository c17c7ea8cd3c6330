"""Text drawn as lines where that looks exactly as the ReportLab paragraph of the same markup.

A document's tables hold hundreds of small paragraphs, and laying out each one (parsing its markup, breaking
it into lines, drawing it word by word) costs most of a report's time. `TextLines` draws runs of plain text
line by line itself, where the result is the paragraph's to the point, and leaves anything else (a line that
would break where rounding decides, a character another font draws, a space or invisible character that a
paragraph folds or drops, markup of its own) to a paragraph, so every cell keeps its look and its fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from sclerochart.reports.fonts import Paragraph, runs

MARGIN = 0.01
"""Points kept free at the end of a plain line, so that rounding never keeps on one line what a paragraph breaks."""


def simple(value: str, font: str) -> bool:
    """Whether a whole line of text is all in `font`, with nothing a paragraph folds or drops.

    A paragraph folds line breaks, tabs and doubled or edge spaces, and drops invisible characters.
    """
    return folds_nothing(value) and in_one_face(value, font)


def folds_nothing(value: str) -> bool:
    """No line break, tab, invisible character, doubled space or space at either end."""
    return value.isprintable() and value == value.strip() and "  " not in value


def in_one_face(value: str, font: str) -> bool:
    """Every character drawn by `font` itself (none by a fallback font, see `fonts.runs`)."""
    return value.isascii() or runs(value, font) == [(value, font)]


def broken(value: str, style: ParagraphStyle, width: float, font: str = "") -> list[str] | None:
    """The lines a paragraph in `style` breaks simple text into at `width` points, or None when it is not sure.

    ReportLab's rule for a run of text alone on its lines: words go on a line while they fit, where a line of
    n words may run over by about n times a share of a space (`spaceShrinkage`; a paragraph of one run and
    one of several lines count the spaces a little differently, so a word that ends within that allowance
    is left undecided). None when a word is longer than the line (the paragraph splits it between letters)
    or a word ends between the line's width and its allowance, give or take rounding.
    """
    if any(getattr(style, name, None) for name in ("hyphenationLang", "embeddedHyphenation", "uriWasteReduce")):
        return None  # words broken at hyphens or syllables: the paragraph's own rules
    font, size = font or style.fontName, style.fontSize
    space = stringWidth(" ", font, size)
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for word in value.split(" "):
        wide = stringWidth(word, font, size)
        if wide > width - MARGIN:
            return None
        if not line:
            line, used = [word], wide
            continue
        longer = used + space + wide
        if longer <= width - MARGIN:
            line.append(word)
            used = longer
        elif longer > width + style.spaceShrinkage * space * (len(line) + 1) + MARGIN:
            lines.append(line)
            line, used = [word], wide
        else:
            return None
    lines.append(line)
    return [" ".join(words) for words in lines]


@dataclass(frozen=True)
class Run:
    """A stretch of text in one colour and face: "" for the style's colour, else "#5f5f5f"; bold or italic."""

    text: str
    colour: str = ""
    bold: bool = False
    italic: bool = False

    def markup(self) -> str:
        """The run as paragraph markup."""
        words = escape(self.text)
        if self.bold:
            words = f"<b>{words}</b>"
        if self.italic:
            words = f"<i>{words}</i>"
        return f"<font color='{self.colour}'>{words}</font>" if self.colour else words

    def font(self, style: ParagraphStyle) -> str:
        """The face that draws the run in a paragraph of `style`, as <b> and <i> choose it."""
        family, bold, italic = ps2tt(style.fontName)
        return str(tt2ps(family, bold or self.bold, italic or self.italic))


Line = tuple[Run, ...]
"""One line of text as the runs it is made of."""

Face = tuple[str, float]
"""A font and its size in points."""
Pen = tuple[Face | None, Color | None]
"""A text object's font and size and its fill colour as they stand; None: not set yet."""


@cache
def _colour(hex_colour: str) -> Color:
    return HexColor(hex_colour)


def _plain_style(style: ParagraphStyle) -> bool:
    """Whether a style sets text as `TextLines` draws it: left-aligned, no indent, border or background.

    Space above and below is the style's, as for a paragraph: the frame or table cell leaves it round the lines.
    """
    return (
        style.alignment == TA_LEFT
        and not (style.leftIndent or style.rightIndent or style.firstLineIndent)
        and not (style.backColor or style.borderWidth)
        and getattr(style, "autoLeading", "") in ("", "off", None)
        and not getattr(style, "wordWrap", None)
        and not getattr(style, "textTransform", None)
    )


class TextLines(Flowable):
    """Lines of text runs in a table cell, drawn as the paragraph of their markup (lines joined by <br/>) is.

    Laying out a ReportLab paragraph (parsing its markup, breaking and drawing it word by word) costs far more
    than drawing its lines, and documents hold hundreds of small ones in their tables. This lays a line out
    itself only where the result is the paragraph's: a line of one run that fits or that breaks where the
    paragraph would (`broken`), a line of several runs that fits, each run simple text in its face (`simple`).
    Anything else is left to the paragraph, which is then made and used instead. Made for table cells: it is
    never split between pages, as a table's cell is not.
    """

    def __init__(self, lines: Sequence[Line], style: ParagraphStyle, markup: str | None = None) -> None:
        """`markup` is the paragraph's, when it is not simply the runs' markup joined by <br/>."""
        super().__init__()
        self.lines = tuple(lines)
        self.style = style
        self.markup = markup
        self._paragraph: Paragraph | None = None
        self._laid: list[list[tuple[str, str, Color, float]]] = []
        """Each line as drawn: (text, face, colour, left) of each of its runs."""
        self._laid_at: float | None = None
        self.width = self.height = 0.0
        faces = all(run.text and in_one_face(run.text, run.font(style)) for line in lines for run in line)
        whole = all(folds_nothing("".join(run.text for run in line)) for line in lines)
        # A paragraph measures the space between two words in the face of the word before it.
        whole = whole and not any(run.text.startswith(" ") for line in lines for run in line[1:])
        if not (lines and all(lines) and faces and whole and _plain_style(style)):
            self._paragraph = self._make_paragraph()

    def _make_paragraph(self) -> Paragraph:
        markup = self.markup
        if markup is None:
            markup = "<br/>".join("".join(run.markup() for run in line) for line in self.lines)
        return Paragraph(markup, self.style)

    def _lay(self, width: float) -> list[list[tuple[str, str, Color, float]]] | None:
        """Each line as drawn in `width` points, or None where only the paragraph can say."""
        style = self.style
        laid: list[list[tuple[str, str, Color, float]]] = []
        for line in self.lines:
            parts: list[tuple[str, str, Color, float]] = []
            left = 0.0
            for run in line:
                font = run.font(style)
                colour = _colour(run.colour) if run.colour else style.textColor
                parts.append((run.text, font, colour, left))
                left += stringWidth(run.text, font, style.fontSize)
            if left <= width - MARGIN:
                laid.append(parts)
            elif len(line) == 1 and (lines := broken(line[0].text, style, width, parts[0][1])):
                laid += [[(words, parts[0][1], parts[0][2], 0.0)] for words in lines]
            else:
                return None
        return laid

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._paragraph is None and self._laid_at != available_width:
            laid = self._lay(available_width)
            if laid is None:
                self._paragraph = self._make_paragraph()
            else:
                self._laid, self._laid_at = laid, available_width
        if self._paragraph is not None:
            self.width, self.height = self._paragraph.wrap(available_width, available_height)
        else:
            self.width, self.height = available_width, len(self._laid) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:  # ReportLab's name: a table sizing a column without a width asks it
        """The widest word, as the paragraph measures it (a word may run across runs)."""
        if self._paragraph is not None:
            return float(self._paragraph.minWidth())
        widest = 0.0
        for line in self.lines:
            word = 0.0
            for run in line:
                font = run.font(self.style)
                pieces = run.text.split(" ")
                for index, piece in enumerate(pieces):
                    if index:
                        widest, word = max(widest, word), 0.0
                    word += stringWidth(piece, font, self.style.fontSize)
            widest = max(widest, word)
        return widest

    @property
    def drawn_as_lines(self) -> bool:
        """Whether the lines are drawn as text lines (`draw_into`), not by a paragraph; known after `wrap`."""
        return self._paragraph is None

    def draw(self) -> None:
        if self._paragraph is not None:
            self._paragraph.drawOn(self.canv, 0, 0)
            return
        lines = self.canv.beginText()
        self.draw_into(lines, 0, 0)
        self.canv.drawText(lines)

    def draw_into(
        self, lines: PDFTextObject, x: float, y: float, face: Face | None = None, ink: Color | None = None
    ) -> Pen:
        """Add the lines, laid out by `wrap`, to an open text object, the bottom left at (x, y).

        Only when `drawn_as_lines`. `face` and `ink` are the text object's font and size and its colour as they
        stand (None: not set); returned as the lines leave them. One text object, as the paragraph draws it: on a line,
        each run starts where the one before ends by the widths written in the file, not where its measured
        width would put it.
        """
        size, leading = self.style.fontSize, self.style.leading
        baseline = y + self.height - size  # a paragraph's first baseline: one font size below its top
        for parts in self._laid:
            lines.setTextOrigin(x, baseline)
            for value, font, colour, _left in parts:
                if face != (font, size):
                    lines.setFont(font, size)
                    face = (font, size)
                if colour is not ink:  # by identity: a colour read again is the same object (`_colour`)
                    lines.setFillColor(colour)
                    ink = colour
                lines.textOut(value)
            baseline -= leading
        return face, ink


def text_cell(value: str, style: ParagraphStyle) -> TextLines:
    """Plain text in a table cell, as `styles.text` sets it (line breaks kept), drawn as lines where it can."""
    return TextLines([(Run(value),)], style, markup=escape(value).replace("\n", "<br/>"))
