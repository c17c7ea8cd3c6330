"""The leg diagram's geometry: six views, their leg outlines and the anatomical region of any point.

Everything is in each view's own normalised box (x to the right, y downwards, both 0–1), so a stored
position stays valid whatever size the diagram is drawn at. The outlines are smooth curves (Catmull–Rom
through the profile points below), sampled into polygons: the screen and the PDF draw those polygons and
hit-testing uses the same ones, so a marker means the same spot everywhere.

A leg is described by its profile: at each height (0 = groin, 100 = sole, in design units) the distance
of its two edges from the leg's centre line. Front views use (lateral edge, medial edge); side views use
(back edge, front edge), the foot reaching forward at the bottom.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sclerochart.domain.values import View

DIAGRAM_VERSION = 1
"""Bumped when the artwork changes; stored with every site so old positions keep their meaning."""

LEG_TOP = 2.0
LEG_LENGTH = 100.0
VIEW_HEIGHT = 104.0
FRONT_VIEW_WIDTH = 64.0
SIDE_VIEW_WIDTH = 46.0
SAMPLES_PER_SEGMENT = 6

# (height, lateral edge, medial edge) from the centre line, for the anterior and posterior views.
FRONT_PROFILE: tuple[tuple[float, float, float], ...] = (
    (0, 10.0, 8.6),
    (8, 10.4, 8.0),
    (20, 9.8, 7.2),
    (32, 8.6, 6.0),
    (40, 7.4, 5.4),
    (46, 7.0, 5.6),
    (51, 6.8, 5.2),
    (57, 7.2, 6.0),
    (64, 7.3, 6.6),
    (72, 6.2, 5.6),
    (80, 4.8, 4.2),
    (87, 3.8, 3.4),
    (90, 4.4, 4.1),
    (93, 4.1, 3.9),
    (97, 5.0, 4.4),
    (100, 5.2, 4.6),
)

# (height, back edge, front edge) from the centre line, for the lateral and medial views.
SIDE_PROFILE: tuple[tuple[float, float, float], ...] = (
    (0, 11.0, 9.6),
    (8, 10.6, 9.6),
    (20, 9.6, 8.8),
    (32, 8.4, 7.8),
    (40, 7.4, 7.0),
    (45, 6.8, 7.6),
    (49, 6.2, 7.8),
    (53, 6.8, 6.6),
    (60, 8.4, 5.8),
    (67, 8.2, 5.4),
    (76, 6.0, 4.6),
    (85, 4.0, 3.8),
    (90, 4.4, 4.4),
    (94, 4.8, 7.5),
    (97, 4.6, 13.0),
    (100, 3.8, 17.0),
)


class Side(StrEnum):
    """The patient's right or left."""

    RIGHT = "right"
    LEFT = "left"


class Surface(StrEnum):
    """The face of the leg a view shows."""

    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    LATERAL = "lateral"
    MEDIAL = "medial"


class Level(StrEnum):
    """Height bands of the leg."""

    THIGH_PROXIMAL = "thigh proximal"
    THIGH_MIDDLE = "thigh middle"
    THIGH_DISTAL = "thigh distal"
    KNEE = "knee"
    LOWER_LEG_PROXIMAL = "lower leg proximal"
    LOWER_LEG_MIDDLE = "lower leg middle"
    LOWER_LEG_DISTAL = "lower leg distal"
    ANKLE = "ankle"
    FOOT = "foot"


# Lower bound of each level in design units (the first starts at the groin).
LEVEL_STARTS: tuple[tuple[float, Level], ...] = (
    (0, Level.THIGH_PROXIMAL),
    (14, Level.THIGH_MIDDLE),
    (28, Level.THIGH_DISTAL),
    (42, Level.KNEE),
    (53, Level.LOWER_LEG_PROXIMAL),
    (64, Level.LOWER_LEG_MIDDLE),
    (75, Level.LOWER_LEG_DISTAL),
    (86, Level.ANKLE),
    (93, Level.FOOT),
)

_THIRDS = {
    Level.THIGH_PROXIMAL: "proximal",
    Level.THIGH_MIDDLE: "middle",
    Level.THIGH_DISTAL: "distal",
    Level.LOWER_LEG_PROXIMAL: "proximal",
    Level.LOWER_LEG_MIDDLE: "middle",
    Level.LOWER_LEG_DISTAL: "distal",
}


@dataclass(frozen=True)
class Region:
    """A named anatomical region: side, surface and level."""

    code: str
    side: Side
    surface: Surface
    level: Level
    label: str


def region_label(side: Side, surface: Surface, level: Level) -> str:
    """The practitioner's name for a region, e.g. "Right lateral thigh, distal third"."""
    s = side.value.capitalize()
    third = _THIRDS.get(level)
    if level in (Level.THIGH_PROXIMAL, Level.THIGH_MIDDLE, Level.THIGH_DISTAL):
        return f"{s} {surface.value} thigh, {third} third"
    if third is not None:
        part = "calf" if surface is Surface.POSTERIOR else f"{surface.value} lower leg"
        return f"{s} {part}, {third} third"
    names = {
        Level.KNEE: {
            Surface.ANTERIOR: "knee (patella)",
            Surface.POSTERIOR: "popliteal fossa",
            Surface.LATERAL: "lateral knee",
            Surface.MEDIAL: "medial knee",
        },
        Level.ANKLE: {
            Surface.ANTERIOR: "anterior ankle",
            Surface.POSTERIOR: "posterior ankle (Achilles)",
            Surface.LATERAL: "lateral ankle (malleolus)",
            Surface.MEDIAL: "medial ankle (malleolus)",
        },
        Level.FOOT: {
            Surface.ANTERIOR: "dorsum of foot",
            Surface.POSTERIOR: "heel",
            Surface.LATERAL: "lateral foot",
            Surface.MEDIAL: "medial foot",
        },
    }
    return f"{s} {names[level][surface]}"


def region_code(side: Side, surface: Surface, level: Level) -> str:
    """A stable machine code for a region, e.g. "right.lateral.thigh-distal"."""
    return f"{side.value}.{surface.value}.{level.value.replace(' ', '-')}"


ALL_REGIONS: dict[str, Region] = {
    region_code(side, surface, level): Region(
        region_code(side, surface, level), side, surface, level, region_label(side, surface, level)
    )
    for side in Side
    for surface in Surface
    for _, level in LEVEL_STARTS
}


def label_of(code: str) -> str:
    """The label of a stored region code (the code itself if this version does not know it)."""
    region = ALL_REGIONS.get(code)
    return region.label if region is not None else code


@dataclass(frozen=True)
class LegPlacement:
    """Where one leg sits in a view, in design units, and which way it faces."""

    side: Side
    surface: Surface
    centre_x: float
    side_view: bool
    # +1 when the profile's first edge (lateral, or back) lies to the viewer's left of the centre line.
    first_edge_left: bool


@dataclass(frozen=True)
class ViewSpec:
    """One of the six views: its title, its box in design units and the legs in it."""

    view: View
    title: str
    width: float
    height: float
    legs: tuple[LegPlacement, ...]


VIEWS: dict[View, ViewSpec] = {
    # Anterior: the patient faces the viewer, so the right leg is on the viewer's left, lateral edge outward.
    View.ANTERIOR: ViewSpec(
        View.ANTERIOR,
        "Anterior",
        FRONT_VIEW_WIDTH,
        VIEW_HEIGHT,
        (
            LegPlacement(Side.RIGHT, Surface.ANTERIOR, 20.0, False, True),
            LegPlacement(Side.LEFT, Surface.ANTERIOR, 44.0, False, False),
        ),
    ),
    # Posterior: the patient's back to the viewer, so the left leg is on the viewer's left.
    View.POSTERIOR: ViewSpec(
        View.POSTERIOR,
        "Posterior",
        FRONT_VIEW_WIDTH,
        VIEW_HEIGHT,
        (
            LegPlacement(Side.LEFT, Surface.POSTERIOR, 20.0, False, True),
            LegPlacement(Side.RIGHT, Surface.POSTERIOR, 44.0, False, False),
        ),
    ),
    # Looking at the right leg's outer side the patient's front is on the viewer's right: back edge left.
    View.RIGHT_LATERAL: ViewSpec(
        View.RIGHT_LATERAL,
        "Right lateral",
        SIDE_VIEW_WIDTH,
        VIEW_HEIGHT,
        (LegPlacement(Side.RIGHT, Surface.LATERAL, 17.0, True, True),),
    ),
    View.RIGHT_MEDIAL: ViewSpec(
        View.RIGHT_MEDIAL,
        "Right medial",
        SIDE_VIEW_WIDTH,
        VIEW_HEIGHT,
        (LegPlacement(Side.RIGHT, Surface.MEDIAL, 29.0, True, False),),
    ),
    View.LEFT_LATERAL: ViewSpec(
        View.LEFT_LATERAL,
        "Left lateral",
        SIDE_VIEW_WIDTH,
        VIEW_HEIGHT,
        (LegPlacement(Side.LEFT, Surface.LATERAL, 29.0, True, False),),
    ),
    View.LEFT_MEDIAL: ViewSpec(
        View.LEFT_MEDIAL,
        "Left medial",
        SIDE_VIEW_WIDTH,
        VIEW_HEIGHT,
        (LegPlacement(Side.LEFT, Surface.MEDIAL, 17.0, True, True),),
    ),
}


VIEW_ROWS: tuple[tuple[View, ...], ...] = (
    (View.ANTERIOR, View.POSTERIOR),
    (View.RIGHT_LATERAL, View.RIGHT_MEDIAL, View.LEFT_LATERAL, View.LEFT_MEDIAL),
)
"""How the views are laid out, on screen and on paper: the front and back views, then the four side views."""


def _catmull_rom(points: list[tuple[float, float]], samples: int) -> list[tuple[float, float]]:
    """A smooth curve through `points` (open, ends clamped), `samples` points per segment."""
    if len(points) < 3:
        return list(points)
    padded = [points[0], *points, points[-1]]
    out: list[tuple[float, float]] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(samples):
            t = step / samples
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[k]
                        + (-p0[k] + p2[k]) * t
                        + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                        + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3
                    )
                    for k in (0, 1)
                )
            )
    out.append(points[-1])
    return out


def _profile(leg: LegPlacement) -> tuple[tuple[float, float, float], ...]:
    return SIDE_PROFILE if leg.side_view else FRONT_PROFILE


@cache
def leg_outline(view: View, leg_index: int) -> tuple[tuple[float, float], ...]:
    """The closed outline of one leg in a view, as normalised (x, y) points, clockwise from the top left."""
    spec = VIEWS[view]
    leg = spec.legs[leg_index]
    left_edge: list[tuple[float, float]] = []
    right_edge: list[tuple[float, float]] = []
    for height, first, second in _profile(leg):
        y = LEG_TOP + height
        left_offset, right_offset = (first, second) if leg.first_edge_left else (second, first)
        left_edge.append((leg.centre_x - left_offset, y))
        right_edge.append((leg.centre_x + right_offset, y))
    left_curve = _catmull_rom(left_edge, SAMPLES_PER_SEGMENT)
    right_curve = _catmull_rom(right_edge, SAMPLES_PER_SEGMENT)
    outline = [*right_curve, *reversed(left_curve)]
    return tuple((x / spec.width, y / spec.height) for x, y in outline)


def _inside(point: tuple[float, float], polygon: tuple[tuple[float, float], ...]) -> bool:
    x, y = point
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


_LEVEL_BOUNDS = [start for start, _ in LEVEL_STARTS]


def level_at(height: float) -> Level:
    """The level band holding a height in design units (0 = groin, 100 = sole)."""
    index = max(0, bisect.bisect_right(_LEVEL_BOUNDS, height) - 1)
    return LEVEL_STARTS[index][1]


def region_at(view: View, x: float, y: float) -> Region | None:
    """The region under a normalised point of a view, or None when the point is outside both legs."""
    spec = VIEWS[view]
    for index, leg in enumerate(spec.legs):
        if _inside((x, y), leg_outline(view, index)):
            height = y * spec.height - LEG_TOP
            return ALL_REGIONS[region_code(leg.side, leg.surface, level_at(min(max(height, 0.0), LEG_LENGTH)))]
    return None


def point_for(view: View, leg_index: int, height: float, across: float) -> tuple[float, float]:
    """A normalised point inside a leg: `height` in design units, `across` from -1 (left edge) to 1 (right).

    Used to place demo and test sites at a known spot; the result is guaranteed inside only for |across| < 1
    at heights the outline covers.
    """
    spec = VIEWS[view]
    leg = spec.legs[leg_index]
    profile = _profile(leg)
    heights = [row[0] for row in profile]
    i = min(max(bisect.bisect_right(heights, height) - 1, 0), len(profile) - 2)
    (h0, a0, b0), (h1, a1, b1) = profile[i], profile[i + 1]
    t = (height - h0) / (h1 - h0)
    first, second = a0 + (a1 - a0) * t, b0 + (b1 - b0) * t
    left_offset, right_offset = (first, second) if leg.first_edge_left else (second, first)
    half = (left_offset + right_offset) / 2
    centre = leg.centre_x + (right_offset - left_offset) / 2
    return (centre + across * half) / spec.width, (LEG_TOP + height) / spec.height


@dataclass(frozen=True)
class Landmark:
    """A detail drawn inside a leg so the view is recognised at a glance: a line or an ellipse."""

    kind: str  # "line" (an open polyline through `points`) or "ellipse" (centre points[0], radii points[1])
    points: tuple[tuple[float, float], ...]


def _leg_point(view: View, leg_index: int, height: float, across: float) -> tuple[float, float]:
    return point_for(view, leg_index, height, across)


def _leg_ellipse(view: View, leg_index: int, height: float, across: float, rx: float, ry: float) -> Landmark:
    spec = VIEWS[view]
    centre = _leg_point(view, leg_index, height, across)
    return Landmark("ellipse", (centre, (rx / spec.width, ry / spec.height)))


def _leg_line(view: View, leg_index: int, pairs: tuple[tuple[float, float], ...]) -> Landmark:
    return Landmark("line", tuple(_leg_point(view, leg_index, h, a) for h, a in pairs))


@cache
def landmarks(view: View) -> tuple[Landmark, ...]:
    """The knee, patella or popliteal crease, calf or shin line, malleoli and toes of each leg in a view."""
    spec = VIEWS[view]
    marks: list[Landmark] = []
    for index, leg in enumerate(spec.legs):
        # +1 points towards the leg's first profile edge on screen (lateral, or back in a side view).
        outward = -1.0 if leg.first_edge_left else 1.0
        if not leg.side_view and leg.surface is Surface.ANTERIOR:
            marks.append(_leg_ellipse(view, index, 46.5, 0.0, 3.0, 3.6))  # patella
            marks.append(_leg_line(view, index, ((55, 0.05), (66, 0.12), (80, 0.1))))  # shin
            marks.append(_leg_ellipse(view, index, 89.5, outward * 0.82, 0.9, 1.1))  # lateral malleolus
            marks.append(_leg_ellipse(view, index, 88.5, -outward * 0.82, 0.9, 1.1))  # medial malleolus
            marks.append(_leg_line(view, index, ((97.5, -0.6), (99.3, -0.55))))  # toes
            marks.append(_leg_line(view, index, ((97.5, 0.0), (99.5, 0.0))))
            marks.append(_leg_line(view, index, ((97.5, 0.55), (99.3, 0.5))))
        elif not leg.side_view:
            marks.append(_leg_line(view, index, ((47.5, -0.7), (48.2, 0.0), (47.5, 0.7))))  # popliteal crease
            marks.append(_leg_line(view, index, ((56, 0.0), (66, 0.05), (76, 0.0))))  # calf midline
            marks.append(_leg_line(view, index, ((86, 0.0), (93, 0.0))))  # Achilles tendon
            marks.append(_leg_line(view, index, ((2, -0.9), (3.5, 0.0), (2.5, 0.9))))  # gluteal fold
        else:
            front = -outward  # across towards the front edge
            marks.append(_leg_ellipse(view, index, 47.0, front * 0.72, 1.6, 3.4))  # patella in profile
            marks.append(_leg_line(view, index, ((46, -front * 0.9), (48, -front * 0.55))))  # knee crease
            marks.append(_leg_line(view, index, ((56, -front * 0.35), (66, -front * 0.45), (76, -front * 0.3))))
            marks.append(_leg_ellipse(view, index, 89.0, 0.0, 1.3, 1.5))  # malleolus
            marks.append(_leg_line(view, index, ((96.5, front * 0.55), (99.5, front * 0.62))))  # toe line
    return tuple(marks)
