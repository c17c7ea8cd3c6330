"""The fonts of every PDF, embedded, and the choice of a font for each character, so that any name prints.

DejaVu Sans draws Latin, Greek, Cyrillic, Vietnamese and most symbols; Droid Sans Fallback draws Chinese and
Japanese; NanumGothic draws Korean. Text is split into runs by the first font that has each character (DejaVu
first, so Latin text keeps it), in one place for paragraphs (`Paragraph`) and one for text drawn straight on
the page (`draw_text`). A character that no shipped font has is refused before anything is made
(`UnprintableTextError`), never printed as an empty box.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping, ps2tt, tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as _Paragraph

from sclerochart import paths
from sclerochart.domain.errors import UserError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
CJK = "DroidSansFallbackFull"
"""Chinese and Japanese (no bold face: bold text in these scripts prints in the regular weight)."""
KOREAN = "NanumGothic"
"""Hangul: Droid Sans Fallback holds only a handful of Hangul syllables."""

FALLBACKS = (CJK, KOREAN)
"""The fonts tried, in this order, for a character DejaVu Sans does not have."""

NAME_HINT = "Correct the name in the patient's details, or type it in Latin letters."
TEXT_HINT = "Correct the text where it was typed, or type it in Latin letters."


class FontsMissingError(UserError):
    """The font files are not where the program expects them (a broken installation)."""


class UnprintableTextError(UserError):
    """A text to print holds a character that none of the shipped fonts has: nothing is made."""

    def __init__(self, character: str, where: str, value: str, hint: str) -> None:
        self.character = character
        self.where = where
        super().__init__(
            f"{where} “{_shortened(value, character)}” holds the character {character_in_words(character)}, which "
            "none of the program's fonts can print, so the document was not made.",
            hint,
        )


@cache
def register_fonts() -> None:
    """Register the fonts with ReportLab once per process; <b> and <i> in paragraphs use bold and oblique."""
    folder = paths.fonts_dir()
    for name in (REGULAR, BOLD, ITALIC, *FALLBACKS):
        path = folder / f"{name}.ttf"
        if not path.is_file():
            raise FontsMissingError(
                f"The font file {path} is missing, so no PDF can be made.", "Reinstall ScleroChart."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    for name in FALLBACKS:  # one face for every style: <font name="..."> inside <b> keeps the face
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)


@cache
def coverage(font: str) -> frozenset[int]:
    """The code points a registered font has a glyph for (from its character map)."""
    register_fonts()
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return frozenset(getattr(face, "charToGlyph", {}))


_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))


def _is_hangul(code: int) -> bool:
    return any(low <= code <= high for low, high in _HANGUL)


def _invisible(char: str) -> bool:
    """A control or format character (a zero-width joiner, a direction mark): nothing to draw."""
    return unicodedata.category(char) in ("Cc", "Cf")


def font_for(char: str, font: str = REGULAR) -> str | None:
    """The font that draws a character in text set in `font`: that font when it has it, else a fallback.

    Bold or oblique DejaVu falls back to regular DejaVu first, then to the CJK fonts (Hangul to NanumGothic
    first). None when no shipped font has the character.
    """
    code = ord(char)
    if code in coverage(font):
        return font
    order = (KOREAN, CJK) if _is_hangul(code) else FALLBACKS
    for candidate in (REGULAR, *order):
        if candidate != font and code in coverage(candidate):
            return candidate
    return None


def printable(char: str) -> bool:
    """Whether a character prints: a font has it, or it is blank or invisible and needs no glyph."""
    return char.isspace() or _invisible(char) or font_for(char) is not None


def character_in_words(char: str) -> str:
    """A character as a person can find it: “𐒀” (Osmanya letter alef, code U+10480)."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    category = unicodedata.category(char)
    if name:
        words = name[0] + name[1:].lower()
    elif category == "Co":
        words = "a private-use character, which has no agreed meaning"
    elif category == "Cn":
        words = "a code that is not a character of any script"
    else:
        words = "a character without a name"
    return f"“{char}” ({words}, code {code})"


def _shortened(value: str, character: str, most: int = 60) -> str:
    """The value, or the part of it around the character when it is long."""
    value = " ".join(value.split())
    if len(value) <= most:
        return value
    at = max(0, value.find(character) - most // 2)
    return ("…" if at else "") + value[at : at + most].strip() + "…"


def check_printable(texts: Iterable[tuple[str, str, str]]) -> None:
    """Refuse, before anything is made, a text holding a character that no shipped font has.

    Args:
        texts: (what it is, the text, what to do) for each text the document prints: ("The patient's family
            name", "张", NAME_HINT).

    Raises:
        UnprintableTextError: Naming the first such character, the text it is in, and what to do.
    """
    for where, value, hint in texts:
        if value.isascii():
            continue
        for char in value:
            if not printable(char):
                raise UnprintableTextError(char, where, value, hint)


Run = tuple[str, str]
"""A stretch of text and the font that draws it."""


def runs(value: str, font: str = REGULAR) -> list[Run]:
    """The text split where the font that draws it changes; invisible characters no font has are left out.

    Raises:
        UnprintableTextError: A character no shipped font has.
    """
    if value.isascii():
        return [(value, font)] if value else []
    found: list[Run] = []
    for char in value:
        chosen = font_for(char, font)
        if chosen is None:
            if _invisible(char):
                continue
            if not char.isspace():
                raise UnprintableTextError(char, "The text", value, TEXT_HINT)
            chosen = font
        if found and found[-1][1] == chosen:
            found[-1] = (found[-1][0] + char, chosen)
        else:
            found.append((char, chosen))
    return found


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z]+)")
_FACE = re.compile(r"""\b(?:name|face|fontName)\s*=\s*["']([^"']+)["']""")


def fallback_markup(markup: str | None, font: str = REGULAR) -> str | None:
    """Paragraph markup with each run that `font` (or the bold or oblique face in force) lacks in <font name>.

    The markup's own tags (<b>, <i>, <font color=…>, <br/>) are kept; entities are read and written again.
    """
    if markup is None or markup.isascii():
        return markup
    family, bold, italic = ps2tt(font)
    state: list[tuple[str, str, int, int]] = [("", family, bold, italic)]
    out: list[str] = []
    for piece in _TAG.split(markup):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            match = _TAG_NAME.match(piece)
            if match is None or piece.rstrip().endswith("/>"):
                continue
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                while len(state) > 1 and state.pop()[0] != name:
                    pass
                continue
            _tag, family, bold, italic = state[-1]
            if name in ("b", "strong"):
                bold = 1
            elif name in ("i", "em"):
                italic = 1
            elif name in ("font", "span") and (face := _FACE.search(piece)):
                family, bold, italic = ps2tt(face.group(1))
            state.append((name, family, bold, italic))
            continue
        _tag, family, bold, italic = state[-1]
        face = tt2ps(family, bold, italic)
        for text, chosen in runs(html.unescape(piece), face):
            out.append(escape(text) if chosen == face else f'<font name="{chosen}">{escape(text)}</font>')
    return "".join(out)


class Paragraph(_Paragraph):
    """ReportLab's paragraph, with each character in a font that has it (the only paragraph the reports use)."""

    def __init__(self, text: str | None, style: Any = None, *args: Any, **kwargs: Any) -> None:
        register_fonts()
        font = getattr(style, "fontName", REGULAR)
        super().__init__(fallback_markup(text, font), style, *args, **kwargs)


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    value: str,
    font: str,
    size: float,
    anchor: Literal["left", "right", "centre"] = "left",
) -> None:
    """Draw a line of text straight on the page, run by run in fonts that have its characters."""
    parts = runs(value, font)
    width = sum(pdfmetrics.stringWidth(part, chosen, size) for part, chosen in parts)
    left = x - (width if anchor == "right" else width / 2 if anchor == "centre" else 0.0)
    for part, chosen in parts:
        canvas.setFont(chosen, size)
        canvas.drawString(left, y, part)
        left += pdfmetrics.stringWidth(part, chosen, size)
    canvas.setFont(font, size)  # the canvas left in the font asked for, whatever the last run was
