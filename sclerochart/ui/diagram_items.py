"""The items on the leg diagram: a site's numbered marker, a vein tracing, the keyboard cross.

Where markers crowd, NumberLayout writes their numbers beside them (domain.markers decides where).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from sclerochart.domain.markers import Box, Point
from sclerochart.domain.values import Site, VeinTracing
from sclerochart.ui.diagram_artwork import to_scene, tracing_path
from sclerochart.ui.marker_style import MarkerStyle, marker_path
from sclerochart.ui.number_placement import NumberPlacer

MARKER_RADIUS = 9.0
"""On-screen radius in pixels: markers keep this size at any zoom, big enough to hit with a gloved finger."""
TRACING_WIDTH = 3.0
"""On-screen width of a vein tracing in pixels."""
CROSS_CLEAR_RADIUS = 15.0
"""The keyboard cross leaves a hole this wide (pixels) round its centre: it frames a marker, never covers its number."""

EARLIER_RADIUS = 7.0
"""On-screen radius of an earlier session's (hollow) marker: smaller than today's, which stay on top."""

_MARKER_BOUNDS = QRectF(-MARKER_RADIUS * 2.2, -MARKER_RADIUS * 2.2, MARKER_RADIUS * 4.4, MARKER_RADIUS * 4.4)
_MARKER_HIT_AREA = QPainterPath()
_MARKER_HIT_AREA.addEllipse(QPointF(0, 0), MARKER_RADIUS * 1.6, MARKER_RADIUS * 1.6)
NUMBER_INK = QColor("#111827")
"""The colour of a number written on white: a set-off number, or an earlier session's marker."""


def _number_font(pixels: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(True)
    return font


class SiteMarker(QGraphicsRectItem):
    """A numbered marker of one site; smaller, hollow in its session's colour and fixed when an earlier session's.

    Where markers crowd, the canvas sets the number off beside the marker (`set_label_offset`), joined to it by a
    short line: on a white tag in the agent's colour for today's sites, as dark figures with a white halo for an
    earlier session's, so no marker hides another's number.
    """

    def __init__(
        self, site: Site, style: MarkerStyle, *, faint: bool = False, outline: QColor | None = None, when: str = ""
    ) -> None:
        super().__init__()
        self.site = site
        self.style = style
        self.faint = faint
        """An earlier session's site: drawn hollow in `outline` (the session's colour) and never moved or chosen."""
        self.outline = outline if outline is not None else QColor("#5b6770")
        self.radius = EARLIER_RADIUS if faint else MARKER_RADIUS
        self.label_offset: QPointF | None = None
        self._font = _number_font(10 if faint else int(MARKER_RADIUS * 1.25))
        self._text = str(site.number)
        self._path = marker_path(style.shape, self.radius)
        # The marker's bounds, with room for its selection ring and number, are the rectangle of the QGraphicsRectItem
        # it is (drawn without its pen or brush): Qt asks for them for every marker at every paint, and asks C++.
        self.setRect(_MARKER_BOUNDS)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self._tag_size: tuple[float, float] | None = None
        self.scene_spot = (0.0, 0.0)
        """Where the marker is in the scene, kept by itemChange (the number layout reads it without asking Qt)."""
        home = to_scene(site.view, site.x, site.y)
        self.home = (home.x(), home.y())
        """Where the site is stored, in the scene."""
        self.on_away: Callable[[SiteMarker], object] | None = None
        """Told when the marker is moved off `home` (the canvas then puts it back unless the store takes it)."""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setPos(home)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # drawn once, then blitted
        self.setZValue(5 if faint else 10)
        if faint:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            session = f"the session of {when}" if when else "an earlier session"
            self.setToolTip(f"Site {site.number} of {session}: {site.region_label}")
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

    def set_label_offset(self, offset: QPointF | None) -> None:
        """Write the number inside the marker (None) or this far (pixels) from its centre."""
        if offset == self.label_offset:
            return
        self.label_offset = offset
        tag = self.number_rect().adjusted(-4, -4, 4, 4)
        self.setRect(_MARKER_BOUNDS if offset is None else _MARKER_BOUNDS.united(tag))  # its bounds; redrawn

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        """Keep `scene_spot` where the marker is."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.scene_spot = (value.x(), value.y())
            if self.scene_spot != self.home and self.on_away is not None:
                self.on_away(self)
        return super().itemChange(change, value)

    def tag_size(self) -> tuple[float, float]:
        """Width and height of the number when set off beside the marker: its white tag, or its haloed figures."""
        if self._tag_size is None:
            metrics = QFontMetricsF(self._font)
            width, height = metrics.horizontalAdvance(self._text), metrics.capHeight()
            self._tag_size = (width + 3, height + 3) if self.faint else (max(width + 8, height + 8), height + 7)
        return self._tag_size

    def number_rect(self) -> QRectF:
        """Where the number is written, in the marker's own pixels: inside it, or (on its tag) beside it."""
        if self.label_offset is None:
            metrics = QFontMetricsF(self._font)
            width, height = metrics.horizontalAdvance(self._text), metrics.capHeight()
            return QRectF(-width / 2, -height / 2, width, height)
        (width, height), centre = self.tag_size(), self.label_offset
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)

    def fill_colour(self) -> QColor:
        """The marker's fill: the agent's colour, or near-white for an earlier session's."""
        return QColor(255, 255, 255, 235) if self.faint else self.style.colour

    def number_colour(self) -> QColor:
        """The ink of the number: white on the agent's colour, dark on white (a tag, a halo, an earlier session)."""
        return NUMBER_INK if self.faint or self.label_offset is not None else QColor("#ffffff")

    def shape(self) -> QPainterPath:
        """Hit area: a little larger than the marker, for a gloved hand on a touch screen."""
        return _MARKER_HIT_AREA

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        """Shape in the agent's colour (or hollow), the number inside or set off beside it, a ring when selected."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.isSelected():
            painter.setPen(QPen(QColor("#111111"), 2.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), MARKER_RADIUS * 1.9, MARKER_RADIUS * 1.9)
        edge = self.outline if self.faint else self.style.colour
        painter.setPen(QPen(self.outline, 2.0) if self.faint else QPen(QColor("#ffffff"), 1.2))
        painter.setBrush(QBrush(self.fill_colour()))
        painter.drawPath(self._path)
        box = self.number_rect()
        offset = self.label_offset
        if offset is not None:
            length = max(1.0, (offset.x() ** 2 + offset.y() ** 2) ** 0.5)
            painter.setPen(QPen(edge, 1.5))
            painter.drawLine(offset * (self.radius * 0.9 / length), offset * (1 - box.height() / 2 / length))
            if not self.faint:
                painter.setBrush(QColor("#ffffff"))
                painter.drawRoundedRect(box, 4, 4)
        if offset is not None and self.faint:  # dark figures with a white halo: readable over legs and lines
            figures = QPainterPath()
            figures.addText(box.left() + 1.5, box.bottom() - 1.5, self._font, self._text)
            painter.strokePath(figures, QPen(QColor("#ffffff"), 3.5))
            painter.fillPath(figures, self.number_colour())
            return
        painter.setFont(self._font)
        painter.setPen(self.number_colour())
        painter.drawText(box.adjusted(-4, -4, 4, 4), Qt.AlignmentFlag.AlignCenter, self._text)


SHAPE_REACH = 1.3
"""How far a marker's shape reaches from its centre, in radii: a square's corners, 0.9 × √2."""


class NumberLayout:
    """Sets crowded markers' numbers off beside them, so no marker hides another's number as now drawn.

    Where the numbers go is `domain.markers.label_offsets`'s answer; the layout keeps it between calls, so after a
    click only the numbers near the new marker are placed again (ui.number_placement); another zoom, scroll or
    visible area places them all afresh.
    """

    def __init__(self) -> None:
        self._today: NumberPlacer[SiteMarker] = NumberPlacer()
        self._earlier: NumberPlacer[SiteMarker] = NumberPlacer()
        self._view: tuple[float, ...] = ()
        self._on_screen: dict[SiteMarker, tuple[tuple[float, float], Point]] = {}
        """Per marker, its spot in the scene and on the screen as last mapped (at the zoom of `_view`)."""
        self._tags: dict[SiteMarker, Box] = {}
        """Today's set-off numbers on the screen, which earlier sessions' numbers keep clear of."""
        self._remapped: set[SiteMarker] = set()
        """The markers mapped onto the screen again in this call (new, moved, or at another zoom)."""
        self._last_today: tuple[list[SiteMarker], list[Point], list[Point], list[Point], tuple[float, ...]] = (
            [],
            [],
            [],
            [],
            (),
        )
        """Today's markers, their scene spots, screen points and tag sizes, and the view, as the last call had them."""

    def _point(self, marker: SiteMarker, on_screen: QTransform) -> Point:
        spot = marker.scene_spot
        known = self._on_screen.get(marker)
        if known is not None and known[0] == spot:
            return known[1]
        mapped = on_screen.map(QPointF(*spot))
        point = (mapped.x(), mapped.y())
        self._on_screen[marker] = (spot, point)
        self._remapped.add(marker)
        return point

    def _today_points(
        self, today: list[SiteMarker], on_screen: QTransform, view: tuple[float, ...]
    ) -> tuple[list[Point], list[Point]]:
        """Today's markers on the screen and their tags' sizes.

        Those of the last call are reused when they are the same markers at the same spots and zoom (a click adds
        one at the end: thousands are not mapped again).
        """
        spots = [marker.scene_spot for marker in today]
        last_today, last_spots, last_points, last_sizes, last_view = self._last_today
        count = len(last_today)
        if view == last_view and today[:count] == last_today and spots[:count] == last_spots:
            added = today[count:]
            points = last_points + [self._point(marker, on_screen) for marker in added]
            sizes = last_sizes + [marker.tag_size() for marker in added]
        else:
            points = [self._point(marker, on_screen) for marker in today]
            sizes = [marker.tag_size() for marker in today]
        self._last_today = (list(today), spots, points, sizes, view)
        return points, sizes

    def set_off(self, today: list[SiteMarker], earlier: list[SiteMarker], on_screen: QTransform, area: QSizeF) -> None:
        """Place the numbers of today's markers, then of earlier sessions' markers.

        Args:
            today: the open session's markers; they make room for each other only.
            earlier: earlier sessions' markers; they make room for every marker and for today's set-off numbers.
            on_screen: scene to viewport pixels (the zoom and scroll now shown).
            area: the viewport's size: the numbers stay inside it where they can.
        """
        view = (*(getattr(on_screen, name)() for name in _TRANSFORM), area.width(), area.height())
        if view != self._view:
            self._view, self._on_screen, self._tags = view, {}, {}
        elif len(self._on_screen) > 2 * (len(today) + len(earlier)) + 64:  # markers gone for good
            shown = set(today) | set(earlier)
            self._on_screen = {marker: known for marker, known in self._on_screen.items() if marker in shown}
        bounds = (0.0, 0.0, area.width(), area.height())
        self._remapped = set()
        points, sizes = self._today_points(today, on_screen, view)
        moved = self._today.place(today, points, MARKER_RADIUS, sizes, bounds=bounds, reach=SHAPE_REACH)
        for marker, offset in moved.items():
            marker.set_label_offset(None if offset is None else QPointF(*offset))
        if not earlier:
            self._earlier = NumberPlacer[SiteMarker]()  # nothing to keep clear of today's numbers: forget
            self._tags = {}
            return
        tags = {}
        for marker, point in zip(today, points, strict=True):
            if marker.label_offset is not None:
                known = self._tags.get(marker)
                if known is None or marker in moved or marker in self._remapped:
                    tag = marker.number_rect().translated(QPointF(*point))
                    known = (tag.left(), tag.top(), tag.right(), tag.bottom())
                tags[marker] = known
        self._tags = tags
        moved = self._earlier.place(
            earlier,
            [self._point(marker, on_screen) for marker in earlier],
            EARLIER_RADIUS,
            [marker.tag_size() for marker in earlier],
            others=list(zip(today, points, strict=True)),
            other_radius=MARKER_RADIUS,
            taken=list(tags.items()),
            bounds=bounds,
            reach=SHAPE_REACH,
        )
        for marker, offset in moved.items():
            marker.set_label_offset(None if offset is None else QPointF(*offset))


_TRANSFORM = ("m11", "m12", "m13", "m21", "m22", "m23", "m31", "m32", "m33")


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
    """Where Space places a site when the canvas is worked from the keyboard; the arrow keys move it.

    A ring with four arms round a hole of CROSS_CLEAR_RADIUS: it frames the marker just placed under it and leaves
    the marker and its number in view.
    """

    def __init__(self) -> None:
        path = QPainterPath()
        inner, outer = CROSS_CLEAR_RADIUS, CROSS_CLEAR_RADIUS + 10
        for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            path.moveTo(dx * inner, dy * inner)
            path.lineTo(dx * outer, dy * outer)
        path.addEllipse(QPointF(0, 0), inner, inner)
        super().__init__(path)
        pen = QPen(QColor("#c2185b"), 2.5)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(20)
        self.setVisible(False)
