"""The spots a crowded marker's number may take, in the order they are tried, and what counts against a spot.

Shared by `number_placement`'s placing and its checks of whether a change can move a number: both must see the
same spots, to the last bit, as `domain.markers.label_offsets` tries them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from sclerochart.domain.markers import _CELL, _GAP, Box, Point

STEPS = (0, 1, -1, 2, -2, 3, -3, 4)
"""Eighths of a turn from the number's direction, in the order the spots are tried at each distance."""


def cells(box: Box) -> list[tuple[int, int]]:
    """The square cells a box lies in, column by column."""
    left, top = int(box[0] // _CELL), int(box[1] // _CELL)
    right, bottom = int(box[2] // _CELL), int(box[3] // _CELL)
    return [(cx, cy) for cx in range(left, right + 1) for cy in range(top, bottom + 1)]


def spot_centres(x: float, y: float, base: float, first: float, radius: float) -> Iterator[Point]:
    """The centres of the spots tried for a number, nearest and most in its direction first."""
    cos, sin, pi = math.cos, math.sin, math.pi
    for distance in (first, first + radius, first + 2 * radius):
        for step in STEPS:
            angle = base + step * pi / 4
            yield (x + distance * cos(angle), y + distance * sin(angle))


def touches_circle(box: Box, centre: Point, radius: float) -> bool:
    """Whether a circle counts against a number's box (the test `label_offsets` makes, on the same numbers)."""
    left, top, right, bottom = box
    mx, my = centre
    limit = radius + _GAP / 2
    dx = left - mx if mx < left else (mx - right if mx > right else 0.0)
    dy = top - my if my < top else (my - bottom if my > bottom else 0.0)
    return dx < limit and dy < limit and math.hypot(dx, dy) < limit


def touches_box(box: Box, other: Box) -> bool:
    """Whether a box (a number's, or one already written) counts against a number's box."""
    return not (
        box[2] + _GAP <= other[0] or other[2] + _GAP <= box[0] or box[3] + _GAP <= other[1] or other[3] + _GAP <= box[1]
    )
