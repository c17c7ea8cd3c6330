"""The leg diagram on paper: the views drawn as vectors from the domain geometry, with markers and tracings.

The same outlines, landmarks and normalised positions the screen uses, so a marker lands on the same spot of
the same leg. Where each view landed on its page is recorded in `ViewPlacement`s, so a test can look for a
marker's colour where the geometry puts it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from sclerochart.domain.diagram import VIEW_ROWS, VIEWS, landmarks, leg_outline
from sclerochart.domain.markers import marker_polygon
from sclerochart.domain.outcomes import region_shapes
from sclerochart.domain.values import View
from sclerochart.reports.fonts import BOLD, draw_text

SKIN = HexColor("#fbf3ec")
OUTLINE = HexColor("#3f3a36")
DETAIL = HexColor("#9c8f86")
TITLE_COLOUR = HexColor("#333333")
WHITE = HexColor("#ffffff")
_colour = cache(HexColor)
"""A marker's colour from its hex code, read once per colour."""
GAP = 10.0
"""Design units between two views of a row (as on screen, a little tighter)."""
TITLE_SPACE = 11.0
"""Points above each view for its title."""


@cache
def _view_art(view: View) -> tuple[tuple[PDFPathObject, ...], tuple[PDFPathObject, ...]]:
    """A view's leg outlines and its landmarks as paths in its design units, y downwards from its top left."""
    spec = VIEWS[view]
    outlines = []
    for index in range(len(spec.legs)):
        path = PDFPathObject()
        points = [(x * spec.width, y * spec.height) for x, y in leg_outline(view, index)]
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        outlines.append(path)
    details = []
    for landmark in landmarks(view):
        path = PDFPathObject()
        if landmark.kind == "ellipse":
            (cx, cy), (rx, ry) = landmark.points
            x, y, across, down = cx * spec.width, cy * spec.height, rx * spec.width, ry * spec.height
            path.ellipse(x - across, y - down, 2 * across, 2 * down)
        else:
            path.moveTo(landmark.points[0][0] * spec.width, landmark.points[0][1] * spec.height)
            for x, y in landmark.points[1:]:
                path.lineTo(x * spec.width, y * spec.height)
        details.append(path)
    return tuple(outlines), tuple(details)


@dataclass(frozen=True)
class DiagramMark:
    """A numbered marker: where it is, what it says, and how it looks."""

    view: View
    x: float
    y: float
    label: str
    colour: str
    shape: str


@dataclass(frozen=True)
class DiagramLine:
    """A freehand vein tracing."""

    view: View
    points: tuple[tuple[float, float], ...]
    colour: str


@dataclass(frozen=True)
class RegionFill:
    """A region painted by its outcome: its colour, hatched when it was treated but never followed up."""

    region: str
    colour: str
    hatched: bool = False


@dataclass(frozen=True)
class ViewPlacement:
    """Where one view was drawn: its page (from 1) and its box in points from the page's bottom left."""

    page: int
    view: View
    left: float
    bottom: float
    width: float
    height: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A normalised position of the view (y down) as page points (y up)."""
        return self.left + x * self.width, self.bottom + (1.0 - y) * self.height


def rows_for(views: Sequence[View]) -> tuple[tuple[View, ...], ...]:
    """The layout rows holding only the given views (front and back first, then the side views)."""
    wanted = set(views)
    return tuple(row for row in (tuple(v for v in r if v in wanted) for r in VIEW_ROWS) if row)


class LegDiagram(Flowable):
    """The views that hold sites or tracings, scaled alike to fit the width and a height."""

    def __init__(
        self,
        views: Sequence[View],
        marks: Sequence[DiagramMark],
        lines: Sequence[DiagramLine] = (),
        *,
        max_width: float,
        max_height: float,
        placements: list[ViewPlacement] | None = None,
        fills: Sequence[RegionFill] = (),
    ) -> None:
        super().__init__()
        self.rows = rows_for(views)
        self.marks = tuple(marks)
        self.lines = tuple(lines)
        self.fills = {fill.region: fill for fill in fills}
        self.placements = placements
        self._widths = [sum(VIEWS[v].width for v in row) + GAP * (len(row) - 1) for row in self.rows]
        self._heights = [max(VIEWS[v].height for v in row) for row in self.rows]
        self.width = max_width
        self.fit(max_height)
        self.full_height = self.height
        """The height at the size asked for; `fit` may make the diagram smaller."""
        self.full_scale = self.scale

    def part(self, rows: Sequence[tuple[View, ...]], scale: float) -> LegDiagram:
        """Some of the rows at the given scale, for a diagram split over two pages at one size."""
        views = [view for row in rows for view in row]
        piece = LegDiagram(
            views,
            self.marks,
            self.lines,
            max_width=self.width,
            max_height=1e6,
            placements=self.placements,
            fills=tuple(self.fills.values()),
        )
        piece.fit(sum(height * scale + TITLE_SPACE for height in piece._heights))
        piece.full_height, piece.full_scale = piece.height, piece.scale
        return piece

    def fit(self, max_height: float) -> None:
        """Scale the views alike to fit the width and `max_height`."""
        by_width = self.width / max(self._widths) if self._widths else 1.0
        rows_height = sum(self._heights)
        by_height = (max_height - TITLE_SPACE * len(self.rows)) / rows_height if rows_height else 1.0
        self.scale = max(0.1, min(by_width, by_height))
        self.height = sum(h * self.scale + TITLE_SPACE for h in self._heights)
        self.marker_radius = max(4.4, min(6.0, 2.6 * self.scale))

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        """A fixed size: the diagram moves to the next page rather than shrink at the bottom of one."""
        return self.width, self.height

    def draw(self) -> None:
        """Each row centred, each view with its title, outline, landmarks, tracings and markers."""
        canvas: Canvas = self.canv
        top = self.height
        for row in self.rows:
            row_width = (sum(VIEWS[v].width for v in row) + GAP * (len(row) - 1)) * self.scale
            row_height = max(VIEWS[v].height for v in row) * self.scale
            left = (self.width - row_width) / 2
            bottom = top - TITLE_SPACE - row_height
            for view in row:
                spec = VIEWS[view]
                box = (left, bottom + row_height - spec.height * self.scale, spec.width * self.scale)
                self._draw_view(canvas, view, *box, spec.height * self.scale)
                left += (spec.width + GAP) * self.scale
            top = bottom

    def _draw_view(self, canvas: Canvas, view: View, left: float, bottom: float, width: float, height: float) -> None:
        spec = VIEWS[view]

        def at(x: float, y: float) -> tuple[float, float]:
            return left + x * width, bottom + (1.0 - y) * height

        canvas.saveState()
        canvas.setFillColor(TITLE_COLOUR)
        draw_text(canvas, left + width / 2, bottom + height + 3.5, spec.title, BOLD, 7.5, "centre")
        if len(spec.legs) == 2:
            canvas.setFillColor(DETAIL)
            for index, leg in enumerate(spec.legs):
                x = left + (0.09 if index == 0 else 0.91) * width
                side = "R" if leg.side.value == "right" else "L"
                draw_text(canvas, x, bottom + height - 7, side, BOLD, 6.5, "centre")
        canvas.setLineJoin(1)
        canvas.setLineCap(1)
        outlines, details = _view_art(view)
        # The outlines and landmarks are drawn in the view's design units (their paths made once for every
        # document), scaled to the page here: lines as wide as on any scale.
        canvas.saveState()
        canvas.transform(self.scale, 0, 0, -self.scale, left, bottom + height)
        canvas.setStrokeColor(OUTLINE)
        canvas.setFillColor(SKIN)
        canvas.setLineWidth(0.8 / self.scale)
        for outline in outlines:
            canvas.drawPath(outline, stroke=1, fill=1)
        canvas.restoreState()
        if self.fills:
            self._draw_fills(canvas, view, at, width)
        canvas.saveState()
        canvas.transform(self.scale, 0, 0, -self.scale, left, bottom + height)
        canvas.setStrokeColor(DETAIL)
        canvas.setLineWidth(0.5 / self.scale)
        for detail in details:
            canvas.drawPath(detail, stroke=1, fill=0)
        canvas.restoreState()
        for line in self.lines:
            if line.view is view and len(line.points) >= 2:
                canvas.setStrokeColor(HexColor(line.colour))
                canvas.setLineWidth(1.4)
                path = canvas.beginPath()
                path.moveTo(*at(*line.points[0]))
                for point in line.points[1:]:
                    path.lineTo(*at(*point))
                canvas.drawPath(path, stroke=1, fill=0)
        self._draw_markers(canvas, view, at)
        canvas.restoreState()
        if self.placements is not None:
            page_left, page_bottom = canvas.absolutePosition(left, bottom)
            self.placements.append(ViewPlacement(canvas.getPageNumber(), view, page_left, page_bottom, width, height))

    def _draw_fills(
        self, canvas: Canvas, view: View, at: Callable[[float, float], tuple[float, float]], width: float
    ) -> None:
        """The regions painted by outcome, from the same shapes the screen paints; hatched: never followed up."""
        for code, shape in region_shapes(view):
            fill = self.fills.get(code)
            if fill is None:
                continue
            points = [at(x, y) for x, y in shape]
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            path.close()
            canvas.saveState()
            canvas.setFillColor(HexColor(fill.colour))
            canvas.setStrokeColor(OUTLINE)
            canvas.setLineWidth(0.3)
            canvas.drawPath(path, stroke=1, fill=1)
            if fill.hatched:
                canvas.clipPath(path, stroke=0, fill=0)
                canvas.setStrokeColor(HexColor("#ffffff"))
                canvas.setLineWidth(0.7)
                xs = [x for x, _ in points]
                ys = [y for _, y in points]
                step = max(2.5, width / 14)
                start = min(xs) - (max(ys) - min(ys))
                x = start
                while x < max(xs):
                    canvas.line(x, min(ys), x + (max(ys) - min(ys)), max(ys))
                    x += step
            canvas.restoreState()

    def _draw_markers(self, canvas: Canvas, view: View, at: Callable[[float, float], tuple[float, float]]) -> None:
        """The view's markers in order: each its shape in its agent's colour, its number in white on it.

        Each is drawn round its own centre from a shape made once per shape and size (`_marker_path`).
        """
        radius = self.marker_radius
        canvas.setStrokeColor(WHITE)
        canvas.setLineWidth(0.5)
        for mark in self.marks:
            if mark.view is not view:
                continue
            x, y = at(mark.x, mark.y)
            canvas.saveState()
            canvas.translate(x, y)
            canvas.setFillColor(_colour(mark.colour))
            canvas.drawPath(_marker_path(mark.shape, radius), stroke=1, fill=1)
            size = radius * (1.15 if len(mark.label) < 3 else 0.85)
            canvas.setFillColor(WHITE)
            if mark.label.isascii():  # a site's number: in the bold face itself, no fallback font to look for
                canvas.setFont(BOLD, size)
                canvas.drawCentredString(0, -size * 0.36, mark.label)
            else:
                draw_text(canvas, 0, -size * 0.36, mark.label, BOLD, size, "centre")
            canvas.restoreState()


@cache
def _marker_path(shape: str, radius: float) -> PDFPathObject:
    """A marker's shape round (0, 0): its polygon, or ReportLab's circle."""
    path = PDFPathObject()
    corners = marker_polygon(shape, radius)
    if corners:
        path.moveTo(corners[0][0], -corners[0][1])
        for x, y in corners[1:]:
            path.lineTo(x, -y)
        path.close()
    else:
        path.circle(0, 0, radius)
    return path


class TitledDiagram(Flowable):
    """A heading, the diagram and its legend: never a heading without the diagram under it.

    Where the page it starts on has less room than the diagram's full size, the diagram is drawn smaller to
    fill that page, down to `least` of its size. With less room still, it breaks between its rows of views
    (front and back, then the sides): the first rows stay on this page under the heading, the others follow
    on the next under the `continued` heading, at the same size, with the legend. Else all of it moves on.
    """

    GAP = 4.0
    """Points between the diagram and its legend."""

    def __init__(
        self,
        heading: Flowable | None,
        diagram: LegDiagram,
        legend: Flowable | None,
        *,
        continued: Flowable | None = None,
        least: float = 0.65,
    ) -> None:
        super().__init__()
        self.heading, self.diagram, self.legend, self.continued = heading, diagram, legend, continued
        self.least = least
        self.width = diagram.width
        self.height = 0.0

    def getSpaceBefore(self) -> float:
        """The heading's space above."""
        return float(self.heading.getSpaceBefore()) if self.heading is not None else 0.0

    def _parts(self, width: float) -> tuple[float, float]:
        heading = self.heading.wrap(width, 1e6)[1] + self.heading.getSpaceAfter() if self.heading else 0.0
        legend = self.legend.wrap(width, 1e6)[1] + self.GAP if self.legend else 0.0
        return heading, legend

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Full size when it fits; smaller to fill the rest of the page; full size again (to move on) when not."""
        heading, legend = self._parts(available_width)
        room = available_height - heading - legend
        full = self.diagram.full_height
        self.diagram.fit(room if self.least * full <= room < full else full)
        self.height = heading + self.diagram.height + legend
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Between rows of views, when this page has room for the heading and at least the first row."""
        rows = self.diagram.rows
        heading, _legend = self._parts(available_width)
        room = available_height - heading
        for count in range(len(rows) - 1, 0, -1):
            first = self.diagram.part(rows[:count], self.diagram.full_scale)
            if first.height > room:
                if first.height * self.least > room:
                    continue
                first.fit(room)
                first.full_height, first.full_scale = first.height, first.scale
            rest = self.diagram.part(rows[count:], first.scale)
            return [
                TitledDiagram(self.heading, first, None, least=1.0),
                TitledDiagram(self.continued, rest, self.legend, least=1.0),
            ]
        return []

    def draw(self) -> None:
        """The heading at the top, the diagram under it, the legend at the bottom."""
        heading, legend = self._parts(self.width)
        top = self.height - heading
        if self.heading is not None:
            self.heading.drawOn(self.canv, 0, top + self.heading.getSpaceAfter())
        top -= self.diagram.height
        self.diagram.wrap(self.width, self.diagram.height)
        self.diagram.drawOn(self.canv, 0, top)
        if self.legend is not None:
            self.legend.drawOn(self.canv, 0, top - legend)
