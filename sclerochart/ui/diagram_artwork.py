"""The leg diagram's artwork on screen: where each view sits in the scene, and its outlines drawn as vectors.

The same domain geometry is drawn by the reports; a position is stored normalised to its view, so the scene's
layout here can change without moving a stored mark.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsSimpleTextItem

from sclerochart.domain.diagram import VIEW_ROWS, VIEWS, Landmark, landmarks, leg_outline
from sclerochart.domain.values import View

SCALE = 4.0
"""Scene pixels per design unit of the geometry."""

GAP = 14.0
TITLE_HEIGHT = 9.0
SKIN = QColor("#fbf3ec")
OUTLINE = QColor("#3f3a36")
DETAIL = QColor("#9c8f86")


def _view_boxes() -> dict[View, QRectF]:
    widths = [sum(VIEWS[v].width for v in row) + GAP * (len(row) - 1) for row in VIEW_ROWS]
    total = max(widths)
    boxes: dict[View, QRectF] = {}
    top = TITLE_HEIGHT
    for row, width in zip(VIEW_ROWS, widths, strict=True):
        left = (total - width) / 2
        height = max(VIEWS[v].height for v in row)
        for view in row:
            spec = VIEWS[view]
            boxes[view] = QRectF(left * SCALE, top * SCALE, spec.width * SCALE, spec.height * SCALE)
            left += spec.width + GAP
        top += height + TITLE_HEIGHT + GAP / 2
    return boxes


VIEW_BOXES = _view_boxes()


def to_scene(view: View, x: float, y: float) -> QPointF:
    """A normalised position of a view as a scene point."""
    box = VIEW_BOXES[view]
    return QPointF(box.left() + x * box.width(), box.top() + y * box.height())


def from_scene(point: QPointF) -> tuple[View, float, float] | None:
    """The view and normalised position under a scene point, or None between the views."""
    for view, box in VIEW_BOXES.items():
        if box.contains(point):
            return view, (point.x() - box.left()) / box.width(), (point.y() - box.top()) / box.height()
    return None


def in_view(view: View, point: QPointF) -> tuple[float, float]:
    """A scene point as a normalised position of one view, held inside that view's box."""
    box = VIEW_BOXES[view]
    x = (point.x() - box.left()) / box.width()
    y = (point.y() - box.top()) / box.height()
    return min(1.0, max(0.0, x)), min(1.0, max(0.0, y))


def tracing_path(view: View, points: Iterable[tuple[float, float]]) -> QPainterPath:
    """A polyline through normalised points of a view, in scene coordinates."""
    path = QPainterPath()
    for index, (x, y) in enumerate(points):
        if index == 0:
            path.moveTo(to_scene(view, x, y))
        else:
            path.lineTo(to_scene(view, x, y))
    return path


def draw_views(scene: QGraphicsScene) -> QRectF:
    """Draw the six views (titles, R and L, outlines, landmarks) into a scene; returns the rectangle to show."""
    title_font = QFont()
    title_font.setPixelSize(int(4.2 * SCALE))
    title_font.setBold(True)
    outline_pen = QPen(OUTLINE, 2.0)
    outline_pen.setCosmetic(True)
    detail_pen = QPen(DETAIL, 1.3)
    detail_pen.setCosmetic(True)
    for view, box in VIEW_BOXES.items():
        spec = VIEWS[view]
        title = QGraphicsSimpleTextItem(spec.title)
        title.setFont(title_font)
        title.setBrush(QColor("#333333"))
        title.setPos(box.center().x() - title.boundingRect().width() / 2, box.top() - TITLE_HEIGHT * SCALE)
        scene.addItem(title)
        if len(spec.legs) == 2:
            for index, leg in enumerate(spec.legs):
                side = QGraphicsSimpleTextItem("R" if leg.side.value == "right" else "L")
                side.setFont(title_font)
                side.setBrush(QColor("#8a8a8a"))
                x = box.left() + (0.06 if index == 0 else 0.88) * box.width()
                side.setPos(x, box.top())
                scene.addItem(side)
        for index in range(len(spec.legs)):
            path = QPainterPath()
            points = [to_scene(view, x, y) for x, y in leg_outline(view, index)]
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
            path.closeSubpath()
            item = QGraphicsPathItem(path)
            item.setPen(outline_pen)
            item.setBrush(SKIN)
            item.setZValue(0)
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # the artwork never changes
            scene.addItem(item)
        for mark in landmarks(view):
            landmark = _landmark_item(view, mark, detail_pen)
            landmark.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            scene.addItem(landmark)
    return scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)


def _landmark_item(view: View, mark: Landmark, pen: QPen) -> QGraphicsPathItem:
    path = QPainterPath()
    if mark.kind == "ellipse":
        (cx, cy), (rx, ry) = mark.points
        centre = to_scene(view, cx, cy)
        box = VIEW_BOXES[view]
        path.addEllipse(centre, rx * box.width(), ry * box.height())
    else:
        points = [to_scene(view, x, y) for x, y in mark.points]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
    item = QGraphicsPathItem(path)
    item.setPen(pen)
    item.setZValue(1)
    return item
