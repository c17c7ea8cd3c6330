"""Markers for Qt: the domain's marker look (shape and colour per agent) as QColor and QPainterPath."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPainterPath, QPolygonF

from sclerochart.domain.markers import abbreviation, marker_look, marker_polygon

__all__ = ["MarkerStyle", "abbreviation", "marker_path", "style_for"]


@dataclass(frozen=True)
class MarkerStyle:
    """A marker's shape name and fill colour."""

    shape: str
    colour: QColor


def style_for(code: str, agent_id: int) -> MarkerStyle:
    """The style of an agent's markers (domain.markers decides; this only makes the colour a QColor)."""
    look = marker_look(code, agent_id)
    return MarkerStyle(look.shape, QColor(look.colour))


def marker_path(shape: str, radius: float) -> QPainterPath:
    """The outline of a marker centred on (0, 0)."""
    path = QPainterPath()
    corners = marker_polygon(shape, radius)
    if corners:
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), radius, radius)
    return path
