"""The items on the leg diagram: a site's numbered marker and a vein tracing, and the keyboard cross."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyle, QStyleOptionGraphicsItem, QWidget

from sclerochart.domain.values import Site, VeinTracing
from sclerochart.ui.diagram_artwork import to_scene, tracing_path
from sclerochart.ui.marker_style import MarkerStyle, marker_path

MARKER_RADIUS = 9.0
"""On-screen radius in pixels: markers keep this size at any zoom, big enough to hit with a gloved finger."""
TRACING_WIDTH = 3.0
"""On-screen width of a vein tracing in pixels."""

_MARKER_BOUNDS = QRectF(-MARKER_RADIUS * 2.2, -MARKER_RADIUS * 2.2, MARKER_RADIUS * 4.4, MARKER_RADIUS * 4.4)
_MARKER_HIT_AREA = QPainterPath()
_MARKER_HIT_AREA.addEllipse(QPointF(0, 0), MARKER_RADIUS * 1.6, MARKER_RADIUS * 1.6)


class SiteMarker(QGraphicsItem):
    """A numbered marker of one site; faint and fixed when it belongs to an earlier session."""

    def __init__(self, site: Site, style: MarkerStyle, *, faint: bool = False) -> None:
        super().__init__()
        self.site = site
        self.style = style
        self.faint = faint
        self._path = marker_path(style.shape, MARKER_RADIUS)
        self.setPos(to_scene(site.view, site.x, site.y))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # drawn once, then blitted
        self.setZValue(5 if faint else 10)
        if faint:
            self.setOpacity(0.28)
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        else:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
            self.set_movable(True)
        self.setToolTip(f"Site {site.number}: {site.region_label}")

    def set_movable(self, movable: bool) -> None:
        """Let the marker be dragged (an open hand over it) or not (a signed session, the pen)."""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)
        if movable:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def boundingRect(self) -> QRectF:
        """The marker with room for its selection ring and number (asked for thousands of times a click)."""
        return _MARKER_BOUNDS

    def shape(self) -> QPainterPath:
        """Hit area: a little larger than the marker, for a gloved hand on a touch screen."""
        return _MARKER_HIT_AREA

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        """Shape in the agent's colour, the site number in white, a ring when selected."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.isSelected():
            painter.setPen(QPen(QColor("#111111"), 2.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), MARKER_RADIUS * 1.9, MARKER_RADIUS * 1.9)
        painter.setPen(QPen(QColor("#ffffff"), 1.2))
        painter.setBrush(QBrush(self.style.colour))
        painter.drawPath(self._path)
        font = QFont()
        font.setPixelSize(int(MARKER_RADIUS * 1.25))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter, str(self.site.number))


class TracingItem(QGraphicsPathItem):
    """A stored vein tracing; selectable so Delete or the right-click menu can remove it."""

    def __init__(self, tracing: VeinTracing) -> None:
        super().__init__(tracing_path(tracing.view, tracing.points))
        self.tracing = tracing
        pen = QPen(QColor(tracing.colour), TRACING_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setCosmetic(True)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(3)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(f"Vein tracing{': ' + tracing.label if tracing.label else ''} (right-click to delete)")

    def shape(self) -> QPainterPath:
        """Hit area: a band around the line, wide enough to catch with a finger."""
        stroker = QPainterPathStroker()
        stroker.setWidth(10.0 / max(0.05, self.scene_scale()))
        return stroker.createStroke(self.path())

    def scene_scale(self) -> float:
        """How many screen pixels one scene unit takes in the first view showing the item."""
        views = self.scene().views() if self.scene() is not None else []
        return views[0].transform().m11() if views else 1.0

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """The line; when selected, a dashed dark line over it."""
        option.state &= ~QStyle.StateFlag.State_Selected  # no dotted box around the whole path
        super().paint(painter, option, widget)
        if self.isSelected():
            pen = QPen(QColor("#111111"), 1.5, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(self.path())


class KeyboardCross(QGraphicsPathItem):
    """Where Space places a site when the canvas is worked from the keyboard; the arrow keys move it."""

    def __init__(self) -> None:
        path = QPainterPath()
        for start, end in (((-14, 0), (-4, 0)), ((4, 0), (14, 0)), ((0, -14), (0, -4)), ((0, 4), (0, 14))):
            path.moveTo(*start)
            path.lineTo(*end)
        path.addEllipse(QPointF(0, 0), 9, 9)
        super().__init__(path)
        pen = QPen(QColor("#c2185b"), 2.5)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(20)
        self.setVisible(False)
