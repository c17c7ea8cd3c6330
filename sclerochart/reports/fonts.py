"""The DejaVu fonts of every PDF, embedded so that any patient name prints (Ł, Ø, Cyrillic, Vietnamese)."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sclerochart import paths
from sclerochart.domain.errors import UserError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


class FontsMissingError(UserError):
    """The font files are not where the program expects them (a broken installation)."""


@cache
def register_fonts() -> None:
    """Register the fonts with ReportLab once per process; <b> and <i> in paragraphs use bold and oblique."""
    folder = paths.fonts_dir()
    for name in (REGULAR, BOLD, ITALIC):
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
