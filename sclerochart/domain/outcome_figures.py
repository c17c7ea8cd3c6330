"""The clinic's outcome figures: clearance at the last follow-up and complication rates, by what was injected.

Counted per injection site of the sessions started in the period (voided sessions left out):

- followed up: the patient had a follow-up visit on or after the day of the session;
- rated: a visit on or after the session rated the site's region; cleared: that region's latest rating
  (the cleared fraction at the last follow-up);
- with a complication: a complication recorded at a visit is attributed to the latest session before the
  visit that treated its region (then to that session's sites in the region); failing that, or when only
  a side was given, to the latest session that treated that leg (its sites on the leg); failing that, or
  with neither side nor region (a headache, a visual disturbance), to every site of the latest session
  before the visit. Only sessions with sites count.

The mean cleared fraction is over the rated sites; the rate of complications per site followed up. Figures
are exact sums, so any grouping of the cells gives the same totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

DEFINITION = (
    "Per injection site of the sessions in the period (voided sessions left out). Followed up: the patient "
    "came to a follow-up visit after the session. Rated: a later visit rated the site's region; cleared: that "
    "region's cleared fraction at the last follow-up (mean over rated sites). Complication: one recorded at a "
    "later visit, counted for the sites of the last session before that visit in its region (or on its leg, "
    "or the whole session when neither was treated or given); the rate is per site followed up."
)


class Grouping(StrEnum):
    """What the figures are grouped by."""

    AGENT = "agent"
    CONCENTRATION = "concentration"
    FORM = "form"
    VESSEL = "vessel"


GROUPING_WORDS = {
    Grouping.AGENT: "Sclerosant",
    Grouping.CONCENTRATION: "Sclerosant and concentration",
    Grouping.FORM: "Liquid or foam",
    Grouping.VESSEL: "Vessel type",
}


@dataclass(frozen=True)
class Cell:
    """The sums of one combination of agent, concentration, form and vessel type."""

    agent: str
    concentration: float
    form: str
    vessel: str
    sites: int
    followed_up: int
    rated: int
    cleared_sum: int
    """The sum of the rated sites' cleared percentages (the mean is this over `rated`)."""
    cleared_75: int
    """Rated sites whose region was 75 % or more cleared."""
    with_complication: int

    def label(self, grouping: Grouping) -> str:
        """The cell's group under a grouping."""
        if grouping is Grouping.AGENT:
            return self.agent
        if grouping is Grouping.CONCENTRATION:
            strength = f"{self.concentration:g} %"
            return self.agent if strength in self.agent else f"{self.agent} {strength}"
        if grouping is Grouping.FORM:
            return self.form.capitalize()
        return self.vessel[:1].upper() + self.vessel[1:]


@dataclass(frozen=True)
class OutcomeRow:
    """One group's figures."""

    group: str
    sites: int
    followed_up: int
    rated: int
    cleared_sum: int
    cleared_75: int
    with_complication: int

    @property
    def mean_cleared(self) -> float | None:
        """The mean cleared percentage at the last follow-up, None when no site was rated."""
        return self.cleared_sum / self.rated if self.rated else None

    @property
    def share_75(self) -> float | None:
        """The share (0–1) of rated sites 75 % or more cleared."""
        return self.cleared_75 / self.rated if self.rated else None

    @property
    def complication_rate(self) -> float | None:
        """Complications per followed-up site (0–1)."""
        return self.with_complication / self.followed_up if self.followed_up else None


@dataclass(frozen=True)
class OutcomeFigures:
    """The period and its cells; `rows(grouping)` sums them."""

    start: dt.date | None
    end: dt.date | None
    cells: tuple[Cell, ...]

    def rows(self, grouping: Grouping) -> tuple[OutcomeRow, ...]:
        """One row per group, most sites first."""
        sums: dict[str, list[int]] = {}
        for cell in self.cells:
            row = sums.setdefault(cell.label(grouping), [0] * len(_SUMMED))
            for index, name in enumerate(_SUMMED):
                row[index] += getattr(cell, name)
        rows = [OutcomeRow(group, *values) for group, values in sums.items()]
        return tuple(sorted(rows, key=lambda row: (-row.sites, row.group)))

    def total(self) -> OutcomeRow:
        """All sites of the period."""
        values = [sum(getattr(cell, name) for cell in self.cells) for name in _SUMMED]
        return OutcomeRow("All", *values)

    def period_words(self) -> str:
        """E.g. "01.01.2026 to 30.06.2026", "all sessions"."""
        if self.start is None and self.end is None:
            return "all sessions"
        start = f"{self.start:%d.%m.%Y}" if self.start else "the first session"
        end = f"{self.end:%d.%m.%Y}" if self.end else "today"
        return f"{start} to {end}"


_SUMMED = ("sites", "followed_up", "rated", "cleared_sum", "cleared_75", "with_complication")


def cells_of(
    counted: Iterable[tuple[str, float, str, str, int, int, int, int, int]],
    complicated: Mapping[tuple[str, float, str, str], int],
) -> tuple[Cell, ...]:
    """Cells from the counted sums and the complication counts.

    Args:
        counted: (agent, concentration, form, vessel, sites, followed up, rated, cleared sum, cleared 75) rows.
        complicated: Sites with a complication per (agent, concentration, form, vessel).
    """
    return tuple(
        Cell(agent, concentration, form, vessel, sites, followed, rated, cleared, cleared_75, complicated.get(key, 0))
        for agent, concentration, form, vessel, sites, followed, rated, cleared, cleared_75 in counted
        for key in [(agent, concentration, form, vessel)]
    )


@dataclass(frozen=True)
class SiteFact:
    """What the figures need of one site of a session that is not voided."""

    session_id: str
    session_day: dt.date
    region: str
    agent_id: int
    concentration: float
    form: str
    vessel: str


@dataclass(frozen=True)
class VisitFact:
    """What the figures need of one follow-up visit: its day, its ratings and where its complications were."""

    day: dt.date
    order: str
    """Sorts visits of one day (the time they were recorded)."""
    clearances: tuple[tuple[str, int], ...]
    complications: tuple[tuple[str, str], ...]
    """One entry per complication: (region or "", side: "right", "left", "both" or "")."""


CellKey = tuple[str, int, float, str, str]
"""(session, agent, concentration, form, vessel)."""


def patient_cells(sites: Iterable[SiteFact], visits: Iterable[VisitFact]) -> dict[CellKey, list[int]]:
    """One patient's sums per session and combination, under the rules of this module.

    Each value is [sites, followed up, rated, cleared sum, cleared 75 % or more, with a complication].
    """
    facts = list(sites)
    ordered = sorted(visits, key=lambda visit: (visit.day, visit.order))
    latest: dict[str, tuple[dt.date, int]] = {}
    for visit in ordered:
        for region, percent in visit.clearances:
            latest[region] = (visit.day, percent)
    last_visit = ordered[-1].day if ordered else None
    sessions = sorted({(fact.session_day, fact.session_id) for fact in facts})
    treated: dict[str, set[str]] = {}
    for fact in facts:
        treated.setdefault(fact.session_id, set()).add(fact.region)
    flagged = attributed(sessions, treated, ((visit.day, *each) for visit in ordered for each in visit.complications))
    cells: dict[CellKey, list[int]] = {}
    for fact in facts:
        cell = cells.setdefault(
            (fact.session_id, fact.agent_id, fact.concentration, fact.form, fact.vessel), [0, 0, 0, 0, 0, 0]
        )
        cell[0] += 1
        if last_visit is not None and last_visit >= fact.session_day:
            cell[1] += 1
        rating = latest.get(fact.region)
        if rating is not None and rating[0] >= fact.session_day:
            cell[2] += 1
            cell[3] += rating[1]
            cell[4] += rating[1] >= 75
        if site_flagged(flagged, fact.session_id, fact.region):
            cell[5] += 1
    return cells


def leg_of(region: str) -> str:
    """The side of a region code ("right" of "right.anterior.knee"), or ""."""
    side = region.split(".", 1)[0]
    return side if side in ("right", "left") else ""


def attributed(
    sessions: list[tuple[dt.date, str]],
    treated: Mapping[str, set[str]],
    complications: Iterable[tuple[dt.date, str, str]],
) -> set[tuple[str, str]]:
    """Where each complication (day, region, side) counts, under the rules of this module.

    Gives (session, region), (session, "leg:right") or (session, "") for every site of the session. Only
    sessions with sites (in `treated`) count.
    """
    flagged: set[tuple[str, str]] = set()
    with_sites = [(day, sid) for day, sid in sessions if treated.get(sid)]
    for day, region, side in complications:
        before = [sid for started, sid in with_sites if started <= day]
        if not before:
            continue
        leg = leg_of(region) or (side if side in ("right", "left") else "")
        in_region = [sid for sid in before if region and region in treated[sid]]
        on_leg = [sid for sid in before if leg and any(leg_of(r) == leg for r in treated[sid])]
        if in_region:
            flagged.add((in_region[-1], region))
        elif on_leg:
            flagged.add((on_leg[-1], f"leg:{leg}"))
        else:
            flagged.add((before[-1], ""))
    return flagged


def site_flagged(flagged: set[tuple[str, str]], session_id: str, region: str) -> bool:
    """Whether a site of the session in the region has a complication attributed to it."""
    return (
        (session_id, "") in flagged
        or (session_id, region) in flagged
        or (session_id, f"leg:{leg_of(region)}") in flagged
    )
