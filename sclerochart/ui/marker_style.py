"""How each sclerosant's markers look: a shape and a colour per agent, told apart without colour too."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainterPath, QPolygonF


@dataclass(frozen=True)
class MarkerStyle:
    """A marker's shape name and fill colour."""

    shape: str
    colour: QColor


_BY_CODE = {
    "polidocanol": MarkerStyle("circle", QColor("#1c5fb8")),
    "sts": MarkerStyle("square", QColor("#c2410c")),
    "saline": MarkerStyle("triangle", QColor("#2b8a3e")),
    "glycerin": MarkerStyle("diamond", QColor("#7c3aed")),
}
_SPARE = (
    MarkerStyle("circle", QColor("#0f766e")),
    MarkerStyle("square", QColor("#a16207")),
    MarkerStyle("triangle", QColor("#be185d")),
    MarkerStyle("diamond", QColor("#475569")),
)


_ABBREVIATIONS = {"polidocanol": "POL", "sts": "STS", "saline": "HS", "glycerin": "GLY"}


def abbreviation(code: str) -> str:
    """A short name for buttons and tight table cells: POL, STS, HS, GLY, else the code's first letters."""
    return _ABBREVIATIONS.get(code) or code[:4].upper()


def style_for(code: str, agent_id: int) -> MarkerStyle:
    """The style of an agent: fixed for the four seeded agents, from a spare palette for others."""
    return _BY_CODE.get(code) or _SPARE[agent_id % len(_SPARE)]


def marker_path(shape: str, radius: float) -> QPainterPath:
    """The outline of a marker centred on (0, 0)."""
    path = QPainterPath()
    r = radius
    if shape == "square":
        path.addRect(QRectF(-r * 0.9, -r * 0.9, r * 1.8, r * 1.8))
    elif shape == "triangle":
        path.addPolygon(QPolygonF([QPointF(0, -r * 1.1), QPointF(r * 1.05, r * 0.8), QPointF(-r * 1.05, r * 0.8)]))
        path.closeSubpath()
    elif shape == "diamond":
        path.addPolygon(
            QPolygonF([QPointF(0, -r * 1.2), QPointF(r * 1.2, 0), QPointF(0, r * 1.2), QPointF(-r * 1.2, 0)])
        )
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path
