"""Outcomes by region: where each treated region stands over the course, and how it is drawn.

One source for the screen and the treatment summary: the shape of every region in every view (the leg's
outline cut at the level bands, the same geometry that names a clicked point's region), the colour of a
cleared fraction, and the sentence that tells a region's history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from sclerochart.domain.diagram import (
    ALL_REGIONS,
    LEG_LENGTH,
    LEG_TOP,
    LEVEL_STARTS,
    VIEWS,
    leg_outline,
    region_code,
)
from sclerochart.domain.follow_up import FollowUpVisit, region_words
from sclerochart.domain.values import View

Polygon = tuple[tuple[float, float], ...]

CLEARANCE_COLOURS: dict[int, str] = {
    0: "#c0392b",
    25: "#e67e22",
    50: "#f1c40f",
    75: "#9acd32",
    100: "#2e8b57",
}
"""The fill of a region by its latest cleared fraction: red (nothing cleared) through amber to green."""

NOT_FOLLOWED_UP_COLOUR = "#8fa3bf"
"""The fill of a region treated but never rated at a follow-up (drawn hatched as well)."""


@dataclass(frozen=True)
class Treatment:
    """One session's treatment of a region: the session, its day and the numbers of its sites there."""

    session_id: str
    treated_on: dt.date
    site_numbers: tuple[int, ...]


@dataclass(frozen=True)
class Rating:
    """The cleared fraction a visit found for a region."""

    visit_id: str
    examined_on: dt.date
    percent: int


@dataclass(frozen=True)
class RegionOutcome:
    """A treated region over the course: its treatments and its ratings, oldest first."""

    region: str
    treatments: tuple[Treatment, ...]
    ratings: tuple[Rating, ...]

    @property
    def latest(self) -> int | None:
        """The latest cleared fraction, or None when no visit has rated the region."""
        return self.ratings[-1].percent if self.ratings else None

    @property
    def followed_up(self) -> bool:
        """A visit has rated the region."""
        return bool(self.ratings)

    @property
    def colour(self) -> str:
        """The fill of the region on the outcome diagram."""
        latest = self.latest
        return NOT_FOLLOWED_UP_COLOUR if latest is None else CLEARANCE_COLOURS[latest]

    def treated_days(self, this_year: int | None = None) -> str:
        """The days it was treated, e.g. "12 Mar and 30 Apr" (the year written unless it is `this_year`)."""
        return _joined([_day(each.treated_on, this_year) for each in self.treatments])

    def history(self, this_year: int | None = None) -> str:
        """E.g. "Right medial calf, middle third: treated 12 Mar and 30 Apr; 50 % → 75 % cleared".

        Days of `this_year` are written without the year; others (and all, when it is None) with it.
        """
        days = self.treated_days(this_year)
        rated = (
            " → ".join(f"{each.percent} %" for each in self.ratings) + " cleared"
            if self.ratings
            else "never followed up"
        )
        return f"{region_words(self.region)}: treated {days}; {rated}"


def _day(day: dt.date, this_year: int | None) -> str:
    return f"{day.day} {day:%b}" if day.year == this_year else f"{day.day} {day:%b %Y}"


def _joined(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def region_outcomes(
    sites: Iterable[tuple[str, str, dt.date, int]], visits: Iterable[FollowUpVisit]
) -> dict[str, RegionOutcome]:
    """Every treated region's outcome.

    Args:
        sites: (region, session id, day of the session, site number) of every site that counts (voided
            sessions left out by the caller).
        visits: The patient's follow-up visits; only ratings on or after a region's first treatment count.
    """
    by_region: dict[str, dict[tuple[dt.date, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    for region, session_id, day, number in sites:
        by_region[region][(day, session_id)].append(number)
    ratings: dict[str, list[Rating]] = defaultdict(list)
    # Visits come oldest first as stored (day, then the time recorded); a stable sort by day keeps that order,
    # so the latest rating is the one the clinic's figures take too.
    for visit in sorted(visits, key=lambda each: each.examined_on):
        for clearance in visit.clearances:
            ratings[clearance.region].append(Rating(visit.id, visit.examined_on, clearance.percent))
    outcomes: dict[str, RegionOutcome] = {}
    for region, sessions in by_region.items():
        treatments = tuple(
            Treatment(session_id, day, tuple(sorted(numbers)))
            for (day, session_id), numbers in sorted(sessions.items())
        )
        first = treatments[0].treated_on
        outcomes[region] = RegionOutcome(
            region, treatments, tuple(rating for rating in ratings[region] if rating.examined_on >= first)
        )
    return outcomes


def _clip(polygon: Polygon, y_min: float, y_max: float) -> Polygon:
    """The part of a polygon between two horizontal lines (Sutherland–Hodgman against a convex band)."""

    def cut(points: list[tuple[float, float]], keep_below: bool, y_line: float) -> list[tuple[float, float]]:
        def inside(point: tuple[float, float]) -> bool:
            return point[1] >= y_line if keep_below else point[1] <= y_line

        out: list[tuple[float, float]] = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(_cross(previous, current, y_line))
                out.append(current)
            elif inside(previous):
                out.append(_cross(previous, current, y_line))
        return out

    points = cut(list(polygon), True, y_min)
    points = cut(points, False, y_max) if points else points
    return tuple(points)


def _cross(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + (b[0] - a[0]) * t, y)


@cache
def region_shapes(view: View) -> tuple[tuple[str, Polygon], ...]:
    """Each region a view shows, with its outline as normalised points (the same bands `region_at` uses)."""
    spec = VIEWS[view]
    shapes: list[tuple[str, Polygon]] = []
    bounds = [start for start, _ in LEVEL_STARTS] + [LEG_LENGTH + 4.0]
    for index, leg in enumerate(spec.legs):
        outline = leg_outline(view, index)
        for number, (_, level) in enumerate(LEVEL_STARTS):
            top = (LEG_TOP + bounds[number]) / spec.height if number else 0.0
            bottom = min((LEG_TOP + bounds[number + 1]) / spec.height, 1.0)
            shape = _clip(outline, top, bottom)
            code = region_code(leg.side, leg.surface, level)
            if len(shape) >= 3 and code in ALL_REGIONS:
                shapes.append((code, shape))
    return tuple(shapes)


def views_of(regions: Iterable[str]) -> tuple[View, ...]:
    """The views that show any of these regions, in the diagram's order."""
    wanted = set(regions)
    return tuple(view for view in VIEWS if any(code in wanted for code, _ in region_shapes(view)))
