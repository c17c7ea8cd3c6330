"""The outcome diagram on screen: each treated region painted by its latest clearance, its history on hover.

The regions' shapes come from the same geometry as the treatment summary's outcome diagram and as the
region a click is placed in (sclerochart.domain.outcomes); a region treated but never followed up is
painted grey-blue and hatched.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPainterPath, QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView, QWidget

from sclerochart.domain.outcomes import RegionOutcome, region_shapes
from sclerochart.domain.values import View
from sclerochart.readmodels import Course
from sclerochart.ui.diagram_artwork import draw_views, to_scene

OUTLINE = QColor("#3f3a36")


class RegionItem(QGraphicsPathItem):
    """One treated region in one view, painted by its outcome; its tooltip tells its history."""

    def __init__(
        self, view: View, code: str, shape: tuple[tuple[float, float], ...], outcome: RegionOutcome, year: int
    ):
        path = QPainterPath()
        points = [to_scene(view, x, y) for x, y in shape]
        path.moveTo(points[0])
        for point in points[1:]:
            path.lineTo(point)
        path.closeSubpath()
        super().__init__(path)
        self.region = code
        self.outcome = outcome
        colour = QColor(outcome.colour)
        colour.setAlpha(215)
        self.setBrush(QBrush(colour))
        pen = QPen(OUTLINE, 1.0)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setZValue(1)
        self.setToolTip(outcome.history(year))
        self.setAcceptHoverEvents(True)
        if not outcome.followed_up:
            hatch = QGraphicsPathItem(path, self)
            hatch.setBrush(QBrush(QColor("#ffffff"), Qt.BrushStyle.BDiagPattern))
            hatch.setPen(Qt.PenStyle.NoPen)


class OutcomeView(QGraphicsView):
    """The six views with the treated regions painted; `hovered` gives the history of the region under the mouse."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)
        self.items_by_region: dict[str, list[RegionItem]] = {}
        self._year = 0
        self._bounds = draw_views(self.scene())
        self.setMinimumSize(360, 300)

    def show_course(self, course: Course, year: int) -> None:
        """Paint every treated region of the course (earlier paint removed)."""
        for items in self.items_by_region.values():
            for item in items:
                self.scene().removeItem(item)
        self.items_by_region = {}
        self._year = year
        for view in View:
            for code, shape in region_shapes(view):
                outcome = course.outcomes.get(code)
                if outcome is None:
                    continue
                item = RegionItem(view, code, shape, outcome, year)
                self.scene().addItem(item)
                self.items_by_region.setdefault(code, []).append(item)
        self.fitInView(self._bounds, Qt.AspectRatioMode.KeepAspectRatio)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Say the history of the region under the mouse (also in the status line)."""
        super().mouseMoveEvent(event)
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, RegionItem):
            item = item.parentItem()
        self.hovered.emit(item.outcome.history(self._year) if isinstance(item, RegionItem) else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep all six views in sight."""
        super().resizeEvent(event)
        self.fitInView(self._bounds, Qt.AspectRatioMode.KeepAspectRatio)
