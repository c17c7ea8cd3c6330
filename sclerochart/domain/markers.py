"""How a site's marker looks on screen and on paper: shape and colour per agent, short name, where its number goes.

The shapes tell the agents apart without colour too (a black-and-white printout, colour-blind readers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MarkerLook:
    """A marker's shape name (circle, square, triangle, diamond) and fill colour as #rrggbb."""

    shape: str
    colour: str


_BY_CODE = {
    "polidocanol": MarkerLook("circle", "#1c5fb8"),
    "sts": MarkerLook("square", "#c2410c"),
    "saline": MarkerLook("triangle", "#2b8a3e"),
    "glycerin": MarkerLook("diamond", "#7c3aed"),
}
_SPARE = (
    MarkerLook("circle", "#0f766e"),
    MarkerLook("square", "#a16207"),
    MarkerLook("triangle", "#be185d"),
    MarkerLook("diamond", "#475569"),
)
_ABBREVIATIONS = {"polidocanol": "POL", "sts": "STS", "saline": "HS", "glycerin": "GLY"}


def abbreviation(code: str) -> str:
    """A short name for buttons and tight table cells: POL, STS, HS, GLY, else the code's first letters."""
    return _ABBREVIATIONS.get(code) or code[:4].upper()


def marker_look(code: str, agent_id: int) -> MarkerLook:
    """The look of an agent's markers: fixed for the four seeded agents, from a spare palette for others."""
    return _BY_CODE.get(code) or _SPARE[agent_id % len(_SPARE)]


def marker_polygon(shape: str, radius: float) -> tuple[tuple[float, float], ...]:
    """The corners of a marker centred on (0, 0), y pointing down; empty for a circle of `radius`."""
    r = radius
    if shape == "square":
        return ((-r * 0.9, -r * 0.9), (r * 0.9, -r * 0.9), (r * 0.9, r * 0.9), (-r * 0.9, r * 0.9))
    if shape == "triangle":
        return ((0.0, -r * 1.1), (r * 1.05, r * 0.8), (-r * 1.05, r * 0.8))
    if shape == "diamond":
        return ((0.0, -r * 1.2), (r * 1.2, 0.0), (0.0, r * 1.2), (-r * 1.2, 0.0))
    return ()


EARLIER_SESSION_COLOURS = ("#00838f", "#8d5a2b", "#5b6770", "#b8860b", "#ad1457")
"""Outline colours of earlier sessions' markers, most recent session first; none is an agent's colour."""
OLDER_SESSIONS_COLOUR = "#9aa0a6"
"""The outline colour shared by the sessions older than those EARLIER_SESSION_COLOURS covers."""


def earlier_session_colour(rank: int) -> str:
    """The outline colour of an earlier session's markers: `rank` 0 is the most recent earlier session."""
    return EARLIER_SESSION_COLOURS[rank] if 0 <= rank < len(EARLIER_SESSION_COLOURS) else OLDER_SESSIONS_COLOUR


Point = tuple[float, float]
Box = tuple[float, float, float, float]
"""left, top, right, bottom."""

CROWDED = 0.9
"""Two markers hide each other's numbers when their centres are closer than this share of their radii added."""
_GAP = 2.0
_CELL = 40.0


def _box(centre: Point, size: Point) -> Box:
    (x, y), (w, h) = centre, size
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _clear_of_circle(box: Box, centre: Point, radius: float) -> bool:
    dx = max(box[0] - centre[0], 0.0, centre[0] - box[2])
    dy = max(box[1] - centre[1], 0.0, centre[1] - box[3])
    return math.hypot(dx, dy) >= radius + _GAP / 2


def _apart(one: Box, other: Box) -> bool:
    return (
        one[2] + _GAP <= other[0] or other[2] + _GAP <= one[0] or one[3] + _GAP <= other[1] or other[3] + _GAP <= one[1]
    )


class _Grid:
    """Things on the screen by square cells, so each check looks only at what is near."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Box, Point | None, float]]] = {}

    def add(self, box: Box, centre: Point | None = None, radius: float = 0.0) -> None:
        entry = (box, centre, radius)
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(entry)

    def near(self, box: Box) -> list[tuple[Box, Point | None, float]]:
        """What lies in the cells the box touches (a thing across two cells comes twice: counted twice, as close)."""
        left, top = int(box[0] // _CELL), int(box[1] // _CELL)
        right, bottom = int(box[2] // _CELL), int(box[3] // _CELL)
        cells = self.cells
        if left == right and top == bottom:
            return cells.get((left, top), [])
        found: list[tuple[Box, Point | None, float]] = []
        for cx in range(left, right + 1):
            for cy in range(top, bottom + 1):
                found.extend(cells.get((cx, cy), ()))
        return found

    @staticmethod
    def _cells(box: Box) -> list[tuple[int, int]]:
        left, top = int(box[0] // _CELL), int(box[1] // _CELL)
        right, bottom = int(box[2] // _CELL), int(box[3] // _CELL)
        return [(cx, cy) for cx in range(left, right + 1) for cy in range(top, bottom + 1)]


def label_offsets(
    points: Sequence[Point],
    radius: float,
    sizes: Sequence[Point],
    *,
    obstacles: Sequence[Point] = (),
    obstacle_radius: float | None = None,
    taken: Sequence[Box] = (),
    bounds: Box | None = None,
    reach: float = 1.0,
) -> list[Point | None]:
    """Where to write each marker's number so that no other marker hides it.

    Args:
        points: the markers' centres as drawn (screen pixels, y down).
        radius: the markers' radius in the same units.
        sizes: per marker, the width and height of its number when set off beside it (its tag).
        obstacles: centres of other markers drawn there, which do not move their own numbers for these.
        obstacle_radius: their radius (by default `radius`).
        taken: boxes already written there (other markers' set-off numbers), to keep clear of.
        bounds: the box the numbers must stay inside (the visible area), if any.
        reach: how far a marker's shape reaches from its centre, in radii (a square's corners reach further than
            a circle): set-off numbers keep clear of that.

    Returns:
        Per marker, None when its number fits inside it (no marker near enough to cover it), else the offset from
        its centre to the centre of its number: set away from its neighbours, on the nearest spot clear of every
        marker, of `taken` and of the numbers set off before it (or, when there is none, the least crowded one).
    """
    other_radius = radius if obstacle_radius is None else obstacle_radius
    markers = [(point, radius) for point in points] + [(point, other_radius) for point in obstacles]
    grid = _Grid()
    for (x, y), r in markers:
        grid.add((x - r * reach, y - r * reach, x + r * reach, y + r * reach), (x, y), r * reach)
    for box in taken:
        grid.add(box)
    within = CROWDED * 2 * max(radius, other_radius)
    same_spot: dict[Point, list[int]] = {}
    for index, point in enumerate(points):
        same_spot.setdefault(point, []).append(index)
    offsets: list[Point | None] = [None] * len(points)
    for index, (x, y) in enumerate(points):
        neighbours = [
            centre
            for _box_, centre, r in grid.near((x - within, y - within, x + within, y + within))
            if centre is not None
            and centre != (x, y)
            and math.hypot(centre[0] - x, centre[1] - y) < CROWDED * (radius + r / reach)
        ]
        twins = same_spot[(x, y)]
        if not neighbours and len(twins) == 1:
            continue
        dx = sum(x - px for px, _ in neighbours)
        dy = sum(y - py for _, py in neighbours)
        if math.hypot(dx, dy) < 1e-6 * radius:  # on top of each other: spread the numbers round by their order
            base = -math.pi / 4 + 2 * math.pi * twins.index(index) / max(len(twins), 2)
        else:
            base = math.atan2(dy, dx)
        width, height = sizes[index]
        first = radius * reach + max(width, height) / 2 + _GAP
        best: tuple[int, Point] | None = None
        for distance in (first, first + radius, first + 2 * radius):  # nearest first, then a little further out
            for step in (0, 1, -1, 2, -2, 3, -3, 4):
                angle = base + step * math.pi / 4
                centre = (x + distance * math.cos(angle), y + distance * math.sin(angle))
                box = _box(centre, (width, height))
                enough = best[0] if best is not None else len(markers) + len(points) + 1  # no better past this
                clashes = 0
                if bounds is not None and not (
                    bounds[0] <= box[0] and bounds[1] <= box[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
                ):
                    clashes = 1
                for other, mark, r in grid.near(box):
                    if clashes >= enough:
                        break
                    if not _clear_of_circle(box, mark, r) if mark is not None else not _apart(box, other):
                        clashes += 1
                if best is None or clashes < best[0]:
                    best = (clashes, centre)
                if clashes == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        chosen = best[1]
        grid.add(_box(chosen, (width, height)))
        offsets[index] = (chosen[0] - x, chosen[1] - y)
    return offsets
