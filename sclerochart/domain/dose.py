"""Dose arithmetic and limit checks (DOMAIN.md §3): mg from % and mL, foam liquid share, totals, findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeAlias

from sclerochart.domain.errors import UserError
from sclerochart.domain.values import Form, Sclerosant, Severity, Site

MG_PER_ML_PER_PERCENT = 10.0
"""A w/v percentage times 10 gives mg/mL (1 % = 10 mg/mL)."""

CAUTION_SHARE = 0.8
"""From this share of a limit on, the finding and the gauge say "caution"."""

_EPSILON = 1e-9


def mg_from_percent(percent: float, ml: float) -> float:
    """Milligrams of active substance in `ml` of a `percent` w/v solution."""
    return percent * MG_PER_ML_PER_PERCENT * ml


def ml_for_mg(mg: float, percent: float) -> float:
    """Millilitres of a `percent` w/v solution that hold `mg` of active substance."""
    return mg / (percent * MG_PER_ML_PER_PERCENT)


def liquid_fraction(liquid_parts: int, gas_parts: int) -> float:
    """The share of a foam's volume that is liquid: 1:4 liquid:gas holds one fifth liquid."""
    if liquid_parts <= 0 or gas_parts < 0:
        raise ValueError("foam ratio parts must be positive")
    return liquid_parts / (liquid_parts + gas_parts)


def liquid_ml(form: Form, volume_ml: float, liquid_parts: int | None, gas_parts: int | None) -> float:
    """Millilitres of liquid sclerosant in an injection (all of it for liquid; the liquid share for foam)."""
    if form is Form.LIQUID:
        return volume_ml
    if liquid_parts is None or gas_parts is None:
        raise ValueError("a foam injection needs its liquid:gas ratio")
    return volume_ml * liquid_fraction(liquid_parts, gas_parts)


def site_mg(site: Site) -> float:
    """Milligrams of active substance given at one site."""
    return mg_from_percent(
        site.concentration, liquid_ml(site.form, site.volume_ml, site.foam_liquid_parts, site.foam_gas_parts)
    )


def daily_mg_limit(max_mg_per_kg: float, weight_kg: float) -> float:
    """The day's mg limit for a weight: 2 mg/kg at 70 kg is 140 mg."""
    return max_mg_per_kg * weight_kg


@dataclass(frozen=True)
class AgentTotals:
    """What one agent added up to in a session."""

    agent_id: int
    agent_name: str
    site_count: int
    liquid_ml: float
    foam_ml: float
    foam_liquid_ml: float
    mg: float

    @property
    def total_ml(self) -> float:
        """All injected volume, liquid and foam."""
        return self.liquid_ml + self.foam_ml


Sums: TypeAlias = tuple[int, float, float, float, float]
"""Of one agent's sites: how many, liquid mL, foam mL, liquid mL in the foam, mg (as added up, not rounded)."""

_NO_SUMS: Sums = (0, 0.0, 0.0, 0.0, 0.0)


def _with_site(sums: Sums, site: Site) -> Sums:
    """`sums` with one more site added: the same additions, in the same order, wherever a site is added up."""
    count, liquid, foam, foam_liquid, mg = sums
    if site.form is Form.LIQUID:
        liquid += site.volume_ml
    else:
        foam += site.volume_ml
        foam_liquid += liquid_ml(site.form, site.volume_ml, site.foam_liquid_parts, site.foam_gas_parts)
    return count + 1, liquid, foam, foam_liquid, mg + site_mg(site)


def _per_injection(site: Site, agents: Mapping[int, Sclerosant]) -> Finding | None:
    """The finding of a site holding more than its agent's volume per injection, or None."""
    agent = agents.get(site.agent_id)
    if agent is None or agent.max_ml_per_injection is None:
        return None
    if site.volume_ml <= agent.max_ml_per_injection + _EPSILON:
        return None
    return Finding(
        Severity.EXCEEDED,
        "volume_per_injection",
        f"Site {site.number}: {_fmt(site.volume_ml)} mL in one injection is more than the "
        f"{_fmt(agent.max_ml_per_injection)} mL per injection given for {agent.name}.",
        agent.limit_source,
        agent.id,
        site.number,
    )


def _dose_of(site: Site) -> tuple[object, ...]:
    """What a site's tally is made of: its number and dose fields."""
    return (
        site.number,
        site.agent_id,
        site.form,
        site.concentration,
        site.volume_ml,
        site.foam_liquid_parts,
        site.foam_gas_parts,
    )


@dataclass(frozen=True, eq=False)
class DoseTally:
    """A session's sites added up per agent, in number order, with the findings of single injections.

    What the totals and the limit check are worked out from. `tally_with` adds one site numbered after the
    others and gives the very numbers a new pass over all the sites gives (the same additions in the same
    order), so a site placed among 3,000 costs one site's arithmetic.
    """

    sites: tuple[Site, ...]
    """The sites added up, in number order."""
    agents: Mapping[int, Sclerosant]
    """The catalogue they were checked against."""
    sums: Mapping[int, Sums]
    per_injection: tuple[Finding, ...]
    """Sites over their agent's volume per injection, in number order."""
    foam_sites: int

    def for_sites(self, sites: tuple[Site, ...]) -> DoseTally:
        """This tally for `sites`: the tallied ones as stored (a checked draft is stored with the same doses)."""
        if len(sites) != len(self.sites) or (sites and _dose_of(sites[-1]) != _dose_of(self.sites[-1])):
            raise ValueError("for_sites takes the tallied sites as stored")
        return replace(self, sites=sites)

    def holds(self, sites: tuple[Site, ...], agents: Mapping[int, Sclerosant]) -> bool:
        """Whether this is the tally of exactly these sites against this catalogue."""
        return self.sites is sites and (self.agents is agents or self.agents == agents)


def tally(sites: Iterable[Site], agents: Mapping[int, Sclerosant]) -> DoseTally:
    """The tally of the sites (in number order) against the catalogue."""
    site_tuple = tuple(sites)
    sums: dict[int, Sums] = {}
    per_injection: list[Finding] = []
    foam_sites = 0
    for site in site_tuple:
        sums[site.agent_id] = _with_site(sums.get(site.agent_id, _NO_SUMS), site)
        finding = _per_injection(site, agents)
        if finding is not None:
            per_injection.append(finding)
        foam_sites += site.form is Form.FOAM
    return DoseTally(site_tuple, agents, sums, tuple(per_injection), foam_sites)


def tally_with(before: DoseTally, site: Site, sites: tuple[Site, ...]) -> DoseTally:
    """The tally of `sites`: those of `before` and then `site`, numbered after all of them."""
    if len(sites) != len(before.sites) + 1 or sites[-1] is not site:
        raise ValueError("tally_with adds one site after the tallied ones")
    if before.sites and before.sites[-1].number >= site.number:
        raise ValueError("tally_with adds a site numbered after the tallied ones")
    sums = dict(before.sums)
    sums[site.agent_id] = _with_site(sums.get(site.agent_id, _NO_SUMS), site)
    finding = _per_injection(site, before.agents)
    per_injection = before.per_injection if finding is None else (*before.per_injection, finding)
    foam_sites = before.foam_sites + (site.form is Form.FOAM)
    return DoseTally(sites, before.agents, sums, per_injection, foam_sites)


def tallied_totals(tallied: DoseTally) -> tuple[AgentTotals, ...]:
    """Totals per agent of a tally, in catalogue order of the agents used."""
    agents = tallied.agents
    return tuple(
        AgentTotals(
            agent_id=agent_id,
            agent_name=agents[agent_id].name if agent_id in agents else f"Agent {agent_id}",
            site_count=count,
            liquid_ml=round(liquid, 6),
            foam_ml=round(foam, 6),
            foam_liquid_ml=round(foam_liquid, 6),
            mg=round(mg, 6),
        )
        for agent_id, (count, liquid, foam, foam_liquid, mg) in sorted(tallied.sums.items())
    )


def session_totals(sites: Iterable[Site], agents: Mapping[int, Sclerosant]) -> tuple[AgentTotals, ...]:
    """Totals per agent, in catalogue order of the agents used."""
    return tallied_totals(tally(sites, agents))


@dataclass(frozen=True)
class LimitUse:
    """How much of one limit a session has used: what a gauge shows."""

    agent_id: int
    agent_name: str
    kind: str
    used: float
    limit: float
    unit: str
    source: str

    @property
    def share(self) -> float:
        """Used divided by the limit (1.0 = at the limit)."""
        return self.used / self.limit

    @property
    def severity(self) -> Severity:
        """Exceeded past the limit, caution from 80 % of it, otherwise info."""
        if self.used > self.limit + _EPSILON:
            return Severity.EXCEEDED
        if self.used >= CAUTION_SHARE * self.limit - _EPSILON:
            return Severity.CAUTION
        return Severity.INFO


@dataclass(frozen=True)
class Finding:
    """Something the practitioner should know about the session, with the source it rests on."""

    severity: Severity
    code: str
    message: str
    source: str
    agent_id: int | None = None
    site_number: int | None = None


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def check_limits(
    sites: Iterable[Site],
    agents: Mapping[int, Sclerosant],
    weight_kg: float | None,
    earlier_mg_same_day: Mapping[int, float] | None = None,
    totals_per_agent: Iterable[AgentTotals] | None = None,
    tallied: DoseTally | None = None,
) -> tuple[tuple[LimitUse, ...], tuple[Finding, ...]]:
    """Every limit in use with its share, and the findings a practitioner must see.

    Args:
        sites: the session's sites.
        agents: the catalogue by id.
        weight_kg: the weight recorded for the session, or None when it is missing.
        earlier_mg_same_day: mg per agent already given to the patient the same day in other sessions,
            counted against a per-day limit.
        totals_per_agent: `session_totals` of the same sites, when the caller has them already.
        tallied: the `tally` of the same sites against the same catalogue, when the caller has it already.
    """
    if tallied is None:
        tallied = tally(sites, agents)
    earlier = earlier_mg_same_day or {}
    uses: list[LimitUse] = []
    findings: list[Finding] = []
    for totals in tallied_totals(tallied) if totals_per_agent is None else totals_per_agent:
        agent = agents.get(totals.agent_id)
        if agent is None:
            continue
        if agent.max_mg_per_kg_day is not None:
            day_mg = totals.mg + earlier.get(agent.id, 0.0)
            if weight_kg is None or weight_kg <= 0:
                findings.append(
                    Finding(
                        Severity.CAUTION,
                        "weight_missing",
                        f"No weight recorded: the {_fmt(agent.max_mg_per_kg_day)} mg/kg limit for {agent.name} "
                        f"cannot be checked ({_fmt(day_mg)} mg given today). Enter the patient's weight.",
                        agent.limit_source,
                        agent.id,
                    )
                )
            else:
                limit = daily_mg_limit(agent.max_mg_per_kg_day, weight_kg)
                uses.append(LimitUse(agent.id, agent.name, "mg per day", day_mg, limit, "mg", agent.limit_source))
        if agent.max_foam_ml_session is not None and totals.foam_ml > 0:
            uses.append(
                LimitUse(
                    agent.id,
                    agent.name,
                    "foam per session",
                    totals.foam_ml,
                    agent.max_foam_ml_session,
                    "mL",
                    agent.limit_source,
                )
            )
        if agent.max_ml_session is not None:
            uses.append(
                LimitUse(
                    agent.id,
                    agent.name,
                    "volume per session",
                    totals.total_ml,
                    agent.max_ml_session,
                    "mL",
                    agent.limit_source,
                )
            )
        if agent.max_mg_per_kg_day is None and agent.max_ml_session is None and agent.max_foam_ml_session is None:
            findings.append(
                Finding(
                    Severity.INFO,
                    "limit_not_set",
                    f"No dose limit is set for {agent.name} (none verified in the sources). "
                    "The clinic can set one in the catalogue.",
                    agent.limit_source,
                    agent.id,
                )
            )
    for use in uses:
        if use.severity is Severity.EXCEEDED:
            message = (
                f"{use.agent_name}: {_fmt(use.used)} {use.unit} exceeds the limit of {_fmt(use.limit)} {use.unit} "
                f"({use.kind})."
            )
        elif use.severity is Severity.CAUTION:
            message = (
                f"{use.agent_name}: {_fmt(use.used)} {use.unit} is {use.share:.0%} of the limit of "
                f"{_fmt(use.limit)} {use.unit} ({use.kind})."
            )
        else:
            continue
        findings.append(Finding(use.severity, f"limit_{use.kind.replace(' ', '_')}", message, use.source, use.agent_id))
    findings.extend(tallied.per_injection)
    return tuple(uses), tuple(findings)


def ml_allowed_for_weight(agent: Sclerosant, weight_kg: float) -> dict[float, float]:
    """For each concentration of the agent, how many mL make up its daily mg/kg limit.

    The worked example of DOMAIN.md §3: 70 kg of polidocanol allows 140 mg = 56 mL of 0.25 %,
    28 mL of 0.5 %, 14 mL of 1 %, 7 mL of 2 %.
    """
    if agent.max_mg_per_kg_day is None:
        return {}
    limit = daily_mg_limit(agent.max_mg_per_kg_day, weight_kg)
    return {percent: ml_for_mg(limit, percent) for percent in agent.concentrations}


class ReasonNeeded(UserError):
    """A change would take the session over a limit: it is stored only with the practitioner's reason."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        super().__init__(
            " ".join(finding.message for finding in findings),
            "Record a reason to go over the limit, or change the site. Nothing was saved.",
        )
        self.findings = findings
