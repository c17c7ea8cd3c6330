"""The demo clinic's rows: patients, their search terms, sessions and their sites, made from one random source.

Millions of sites are made for a large clinic, so a site is a plain tuple in the order of `SITE_COLUMNS`
(ready for the driver), and a site's random draws are made straight from the source's bits: `_Draws`
gives exactly what `random.Random.choice`, `randint` and `uniform` give for the same seed (a test holds
it to that), without their layers of calls. Ids are `OrderedIds`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sclerochart.domain.catalogue import GLYCERIN, HYPERTONIC_SALINE, POLIDOCANOL, SODIUM_TETRADECYL_SULFATE
from sclerochart.domain.diagram import DIAGRAM_VERSION, VIEWS, point_for, region_at
from sclerochart.domain.names import suggested_order
from sclerochart.domain.search import name_terms, sort_key, terms
from sclerochart.domain.values import SIGNATURE_MEANING, Form, Gas, Reaction, SessionState, VesselType, View
from sclerochart.services.demo_course import CourseParts, DemoVisit

T = TypeVar("T")

SITE_COLUMNS = (
    "session_id", "number", "view", "x", "y", "region", "diagram_version", "agent_id", "concentration", "form",
    "foam_liquid_parts", "foam_gas_parts", "gas", "volume_ml", "vessel_type", "vessel_diameter_mm", "delivery",
    "reaction", "notes", "override_reason", "lot_number",
)  # fmt: skip
"""The columns of a site tuple; the lot number comes last, as it is known once the session's sites are made."""

SITE_REGION = SITE_COLUMNS.index("region")
TERM_COLUMNS = ("term", "patient_id", "sort_key", "archived")

_POLIDOCANOL, _STS = POLIDOCANOL.code, SODIUM_TETRADECYL_SULFATE.code
_FOAM, _LIQUID = Form.FOAM.value, Form.LIQUID.value
_TELANGIECTASIA, _RETICULAR = VesselType.TELANGIECTASIA.value, VesselType.RETICULAR.value
_ROOM_AIR, _CO2_O2 = Gas.ROOM_AIR.value, Gas.CO2_O2.value
_NO_REACTION = Reaction.NONE.value
_REACTIONS = tuple(r.value for r in (Reaction.BLANCHING, Reaction.LOCAL_PAIN, Reaction.URTICARIA, Reaction.BLEEDING))
_POLIDOCANOL_LIQUID = ((0.25, 0.5, 0.5, 1.0), (0.1, 0.15, 0.2, 0.2, 0.25, 0.3))
_POLIDOCANOL_FOAM = ((0.5, 1.0), (0.2, 0.3))
_STS_PERCENT = (0.1, 0.2, 0.3)
_STS_LIQUID_ML = (0.1, 0.2, 0.3, 0.5)
_OTHER_ML = (0.1, 0.2, 0.3)


@dataclass(frozen=True)
class Agent:
    """A sclerosant as the generator needs it."""

    id: int
    code: str
    concentrations: tuple[float, ...]


class _Draws:
    """Draws from a `random.Random`, the same values in the same order as its own methods give, made faster.

    `below(n)` is the source's `_randbelow(n)` (n.bit_length() bits, drawn again while ≥ n), on which its
    `choice` and `randint` are built; `uniform` is a + (b - a) × random().
    """

    def __init__(self, rng: random.Random) -> None:
        self.bits = rng.getrandbits
        self.random = rng.random

    def below(self, n: int) -> int:
        bits, k = self.bits, n.bit_length()
        r = bits(k)
        while r >= n:
            r = bits(k)
        return r

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.below(len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + self.below(b - a + 1)


class OrderedIds:
    """New ids, each greater than the last, as UUIDs of version 8 (a layout of one's own, RFC 9562).

    Written in that order, every index on them grows at its end instead of in millions of random places (for
    a large clinic, a fifth less work than random version 4 ids). Their first 32 bits step evenly through
    their range over the `expected` ids, with a random start within each step, so that the first eight
    characters still tell one record from another as a random id's do; the rest is drawn from the random source.
    """

    def __init__(self, expected: int) -> None:
        self.step = max(1, (1 << 32) // max(1, expected))
        self.count = 0

    def __call__(self, rng: random.Random) -> str:
        bits = rng.getrandbits(128)
        lead = (self.count * self.step + (bits >> 96) % self.step) & 0xFFFFFFFF
        self.count += 1
        value = lead << 96 | (bits >> 80 & 0xFFFF) << 80 | 0x8 << 76 | (bits >> 64 & 0xFFF) << 64
        return str(uuid.UUID(int=value | 0b10 << 62 | bits & _LOW_BITS))


_LOW_BITS = (1 << 62) - 1


def position_pool(rng: random.Random, size: int) -> list[tuple[str, float, float, str]]:
    """Valid (view, x, y, region) spots spread over all six views, computed once and then sampled."""
    pool: list[tuple[str, float, float, str]] = []
    views = list(View)
    while len(pool) < size:
        view = views[len(pool) % len(views)]
        leg = rng.randrange(len(VIEWS[view].legs))
        x, y = point_for(view, leg, rng.uniform(2, 97), rng.uniform(-0.85, 0.85))
        region = region_at(view, x, y)
        if region is not None:
            pool.append((view.value, round(x, 4), round(y, 4), region.code))
    return pool


@cache
def _name_parts(family: str, given: str) -> tuple[str, str, frozenset[str]]:
    """(name order, sort key, search terms of the name) of one of the few names the demo draws from."""
    return suggested_order(family, given).value, sort_key(family, given), frozenset(name_terms(family, given, ""))


class DemoRows:
    """Makes the demo's rows from one random source (so a seed gives the same clinic every time)."""

    def __init__(
        self,
        rng: random.Random,
        agents: dict[str, Agent],
        practitioners: list[tuple[int, str]],
        now: dt.datetime,
        name_groups: Sequence[tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
        ids: OrderedIds,
    ):
        self.rng = rng
        self.draws = _Draws(rng)
        self.agents = agents
        self.practitioners = practitioners
        self.today = now.date()
        self.name_groups = name_groups
        self.name_weights = [group[0] for group in name_groups]
        self.positions = position_pool(rng, 4000)
        self.new_id = ids
        self.course = CourseParts(rng, self.new_id)

    def patient(self, index: int, now: dt.datetime) -> tuple[dict[str, Any], list[tuple[str, str, str, bool]]]:
        """A patient row and their search-term rows (in the order of `TERM_COLUMNS`)."""
        rng = self.rng
        _, families, women, men = rng.choices(self.name_groups, weights=self.name_weights)[0]
        female = not men or (bool(women) and rng.random() < 0.82)
        family = rng.choice(families)
        given = rng.choice(women if female else men)
        chart = f"D{index:06d}"
        birth = self.today - dt.timedelta(days=rng.randint(19 * 365, 85 * 365))
        pid = self.new_id(rng)
        order, key, found = _name_parts(family, given)
        row: dict[str, Any] = {
            "id": pid,
            "chart_number": chart,
            "family_name": family,
            "given_name": given,
            "name_order": order,
            "sort_key": key,
            "date_of_birth": birth,
            "sex": "female" if female else "male",
            "phone": f"+41 44 {rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": "",
            "address": "",
            "allergies": "Latex" if rng.random() < 0.04 else "",
            "history": ["hormones"] if female and rng.random() < 0.2 else [],
            "notes": "",
            "archived": rng.random() < 0.01,
            "created_at": now,
            "updated_at": now,
        }
        archived = bool(row["archived"])
        term_rows = [(term, pid, key, archived) for term in sorted(found | terms(chart))]
        return row, term_rows

    def _agent_for_session(self) -> Agent:
        roll = self.rng.random()
        if roll < 0.68:
            return self.agents[POLIDOCANOL.code]
        if roll < 0.88:
            return self.agents[SODIUM_TETRADECYL_SULFATE.code]
        if roll < 0.96:
            return self.agents[HYPERTONIC_SALINE.code]
        return self.agents[GLYCERIN.code]

    def _sites(self, session_id: str, count: int, agent: Agent) -> list[tuple[Any, ...]]:
        """A session's sites, without their lot number (the last column)."""
        below, random_ = self.draws.below, self.draws.random
        positions, spots = self.positions, len(self.positions)
        code, agent_id, concentrations = agent.code, agent.id, agent.concentrations
        foamable = code in (_POLIDOCANOL, _STS)
        foam_left = 8.0
        sites = []
        for number in range(1, count + 1):
            view, x, y, region = positions[below(spots)]
            foam = foamable and foam_left >= 0.5 and random_() < 0.15
            if code == _POLIDOCANOL:
                percents, volumes = _POLIDOCANOL_FOAM if foam else _POLIDOCANOL_LIQUID
                concentration = percents[below(len(percents))]
                volume = volumes[below(len(volumes))]
            elif code == _STS:
                concentration = _STS_PERCENT[below(3)]
                volume = _STS_LIQUID_ML[below(4)] if not foam else 0.5
            else:
                concentration = concentrations[below(len(concentrations))]
                volume = _OTHER_ML[below(3)]
            telangiectasia = concentration <= 0.5 and not foam
            room_air = random_() < 0.8
            reaction = _REACTIONS[below(4)] if random_() < 0.03 else _NO_REACTION
            diameter = round(0.2 + (0.9 - 0.2) * random_(), 1) if telangiectasia else 1.5  # uniform(0.2, 0.9)
            delivery = "butterfly" if random_() < 0.1 else "needle"
            below(90000)  # the site's own lot number, drawn and then given the session's lot (as always)
            liquid_parts: int | None = None
            gas_parts: int | None = None
            gas: str | None = None
            if foam:
                foam_left -= volume
                liquid_parts, gas_parts, gas = 1, (4 if room_air else 3), (_ROOM_AIR if room_air else _CO2_O2)
            sites.append(
                (
                    session_id, number, view, x, y, region, DIAGRAM_VERSION, agent_id, concentration,
                    _FOAM if foam else _LIQUID, liquid_parts, gas_parts, gas, volume,
                    _TELANGIECTASIA if telangiectasia else _RETICULAR, diameter, delivery, reaction, "", "",
                )
            )  # fmt: skip
        return sites

    def sessions(
        self, patient_id: str, count: int, now: dt.datetime
    ) -> Iterator[tuple[dict[str, Any], list[tuple[Any, ...]], list[dict[str, Any]], DemoVisit | None]]:
        """A patient's course: each session's header, its sites (with their lot), its lots and a visit after it."""
        rng = self.rng
        start = now - dt.timedelta(days=rng.randint(count * 50, 3 * 365 + count * 50))
        weight = round(rng.uniform(48, 110), 1)
        for index in range(count):
            started = start.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)), second=0)
            last = index == count - 1
            session_id = self.new_id(rng)
            agent = self._agent_for_session()
            practitioner_id, practitioner_name = rng.choice(self.practitioners)
            state = SessionState.DRAFT if last and rng.random() < 0.3 else SessionState.SIGNED
            signed = state is SessionState.SIGNED
            header = {
                "id": session_id,
                "patient_id": patient_id,
                "practitioner_id": practitioner_id,
                "started_at": started,
                "weight_kg": None if rng.random() < 0.02 else weight,
                "ceap_right": rng.choice(("C1", "C1,A", "C1,S", "C2")),
                "ceap_left": rng.choice(("C1", "C1,A", "C0", "C2")),
                "checklist": {"weight_recorded": True, "consent_given": True, "stockings_ready": True},
                "checklist_override": "",
                "checklist_reviewed": True,
                "consent": True,
                "compression_stocking": "Graduated compression stockings",
                "compression_continuous_hours": 24,
                "compression_days": 14,
                "compression_nights_too": False,
                "notes": "",
                "state": state.value,
                "version": 1,
                "signed_at": started + dt.timedelta(minutes=40) if signed else None,
                "signed_by": practitioner_name if signed else "",
                "signer_id": practitioner_id if signed else None,
                "signature_meaning": SIGNATURE_MEANING if signed else "",
                "created_at": started,
                "updated_at": started,
                "vcss_right": None,
                "vcss_left": None,
            }
            sites = self._sites(session_id, rng.randint(10, 40), agent)
            interval = rng.choice((4, 6, 6, 7, 8, 10, 12, 26))
            if index == 0:  # the baseline score of each leg, at the first session
                header["vcss_right"], header["vcss_left"] = self.course.vcss(), self.course.vcss()
            examined = (started + dt.timedelta(weeks=interval)).date()
            visit = None
            if not last and rng.random() < 0.7 and examined <= self.today:
                regions = {site[SITE_REGION] for site in sites}
                visit = self.course.visit(
                    patient_id, examined, regions, practitioner_id, practitioner_name, index + 2 >= count
                )
            lot = self.course.lot(session_id, agent.id, agent.code, started)
            number = (lot["lot_number"],)
            yield header, [site + number for site in sites], [lot], visit
            start = started + dt.timedelta(weeks=interval)
            if start > now:
                break
