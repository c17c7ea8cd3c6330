"""Dose arithmetic and limit checks against DOMAIN.md §3."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.catalogue import (
    GLYCERIN,
    HYPERTONIC_SALINE,
    POLIDOCANOL,
    SODIUM_TETRADECYL_SULFATE,
    CatalogueSeed,
)
from sclerochart.domain.dose import (
    check_limits,
    liquid_fraction,
    liquid_ml,
    mg_from_percent,
    ml_allowed_for_weight,
    session_totals,
    tallied_totals,
    tally,
    tally_with,
)
from sclerochart.domain.values import (
    Delivery,
    Form,
    Gas,
    Reaction,
    Sclerosant,
    Severity,
    Site,
    VesselType,
    View,
)


def agent_from_seed(agent_id: int, seed: CatalogueSeed) -> Sclerosant:
    return Sclerosant(
        id=agent_id,
        code=seed.code,
        name=seed.name,
        atc_code=seed.atc_code,
        concentrations=seed.concentrations,
        forms=seed.forms,
        max_mg_per_kg_day=seed.max_mg_per_kg_day,
        max_ml_session=seed.max_ml_session,
        max_foam_ml_session=seed.max_foam_ml_session,
        max_ml_per_injection=seed.max_ml_per_injection,
        limit_source=seed.limit_source,
        notes=seed.notes,
    )


POL = agent_from_seed(1, POLIDOCANOL)
STS = agent_from_seed(2, SODIUM_TETRADECYL_SULFATE)
SALINE = agent_from_seed(3, HYPERTONIC_SALINE)
GLY = agent_from_seed(4, GLYCERIN)
AGENTS = {a.id: a for a in (POL, STS, SALINE, GLY)}


def site(number: int = 1, agent: Sclerosant = POL, percent: float = 0.5, ml: float = 0.2, foam: bool = False) -> Site:
    return Site(
        id=number,
        session_id="s",
        number=number,
        view=View.ANTERIOR,
        x=0.3,
        y=0.3,
        region="right.anterior.thigh-middle",
        region_label="",
        diagram_version=1,
        agent_id=agent.id,
        concentration=percent,
        form=Form.FOAM if foam else Form.LIQUID,
        volume_ml=ml,
        vessel_type=VesselType.TELANGIECTASIA,
        foam_liquid_parts=1 if foam else None,
        foam_gas_parts=4 if foam else None,
        gas=Gas.ROOM_AIR if foam else None,
        vessel_diameter_mm=None,
        delivery=Delivery.NEEDLE,
        lot_number="",
        reaction=Reaction.NONE,
        notes="",
        override_reason="",
    )


def test_one_percent_is_ten_mg_per_ml() -> None:
    assert mg_from_percent(1.0, 1.0) == 10.0
    assert mg_from_percent(0.5, 0.2) == pytest.approx(1.0)


def test_worked_example_of_domain_md_is_reproduced_exactly() -> None:
    allowed = ml_allowed_for_weight(POL, 70.0)
    assert allowed[0.25] == 56.0
    assert allowed[0.5] == 28.0
    assert allowed[1.0] == 14.0
    assert allowed[2.0] == 7.0


def test_foam_at_one_to_four_holds_one_fifth_liquid() -> None:
    assert liquid_fraction(1, 4) == 0.2
    assert liquid_ml(Form.FOAM, 5.0, 1, 4) == 1.0
    assert liquid_ml(Form.LIQUID, 5.0, None, None) == 5.0
    with pytest.raises(ValueError):
        liquid_ml(Form.FOAM, 1.0, None, None)


def test_totals_per_agent_separate_liquid_foam_and_mg() -> None:
    sites = [site(1, ml=0.2), site(2, ml=0.3), site(3, percent=1.0, ml=2.0, foam=True), site(4, agent=STS, percent=0.3)]
    totals = {t.agent_id: t for t in session_totals(sites, AGENTS)}
    pol = totals[POL.id]
    assert pol.site_count == 3
    assert pol.liquid_ml == pytest.approx(0.5)
    assert pol.foam_ml == pytest.approx(2.0)
    assert pol.foam_liquid_ml == pytest.approx(0.4)
    assert pol.mg == pytest.approx(0.5 * 10 * 0.5 + 1.0 * 10 * 0.4)
    assert totals[STS.id].mg == pytest.approx(0.6)


def test_daily_mg_limit_at_exactly_the_limit_is_caution_and_above_is_exceeded() -> None:
    at_limit = [site(i, percent=1.0, ml=1.0) for i in range(1, 15)]  # 14 mL of 1 % = 140 mg at 70 kg
    uses, findings = check_limits(at_limit, AGENTS, 70.0)
    mg_use = next(u for u in uses if u.unit == "mg")
    assert mg_use.limit == 140.0
    assert mg_use.used == pytest.approx(140.0)
    assert mg_use.severity is Severity.CAUTION
    assert not any(f.severity is Severity.EXCEEDED for f in findings if f.code.startswith("limit_"))
    uses, findings = check_limits([*at_limit, site(15, percent=1.0, ml=0.1)], AGENTS, 70.0)
    exceeded = [f for f in findings if f.severity is Severity.EXCEEDED and f.code.startswith("limit_")]
    assert len(exceeded) == 1
    assert "141 mg exceeds the limit of 140 mg" in exceeded[0].message
    assert "Aethoxysklerol" in exceeded[0].source


def test_missing_weight_says_the_check_cannot_be_made_instead_of_guessing() -> None:
    uses, findings = check_limits([site()], AGENTS, None)
    assert not [u for u in uses if u.unit == "mg"]
    assert [f.code for f in findings] == ["weight_missing"]
    assert "Enter the patient's weight" in findings[0].message


def test_foam_over_ten_ml_is_exceeded_whatever_the_weight() -> None:
    sites = [site(i, ml=1.0, foam=True) for i in range(1, 12)]
    _, findings = check_limits(sites, AGENTS, 200.0)
    assert any(f.code == "limit_foam_per_session" and f.severity is Severity.EXCEEDED for f in findings)


def test_sts_total_volume_limit_and_per_injection_maximum() -> None:
    sites = [site(i, agent=STS, percent=0.1, ml=2.0) for i in range(1, 6)] + [site(6, agent=STS, percent=0.1, ml=2.5)]
    _, findings = check_limits(sites, AGENTS, 70.0)
    codes = {(f.code, f.severity) for f in findings}
    assert ("limit_volume_per_session", Severity.EXCEEDED) in codes
    per_injection = [f for f in findings if f.code == "volume_per_injection"]
    assert [f.site_number for f in per_injection] == [6]
    assert per_injection[0].severity is Severity.EXCEEDED  # asks for a reason, like a session limit
    assert "2.5 mL in one injection is more than the 2 mL per injection" in per_injection[0].message


def test_unverified_agents_have_no_limit_and_say_so() -> None:
    uses, findings = check_limits([site(agent=SALINE, percent=23.4), site(2, agent=GLY, percent=72.0)], AGENTS, 70.0)
    assert uses == ()
    assert {f.code for f in findings} == {"limit_not_set"}
    assert all(f.severity is Severity.INFO for f in findings)


def test_earlier_sessions_the_same_day_count_against_the_daily_limit() -> None:
    uses, findings = check_limits([site(percent=1.0, ml=1.0)], AGENTS, 70.0, {POL.id: 135.0})
    assert next(u for u in uses if u.unit == "mg").used == pytest.approx(145.0)
    assert any(f.severity is Severity.EXCEEDED for f in findings)


volumes = st.floats(min_value=0.01, max_value=20.0, allow_nan=False)
percents = st.sampled_from(POL.concentrations)


@given(percent=percents, ml=volumes, factor=st.floats(min_value=0.1, max_value=10.0))
def test_mg_is_linear_in_volume(percent: float, ml: float, factor: float) -> None:
    assert math.isclose(mg_from_percent(percent, ml * factor), mg_from_percent(percent, ml) * factor, rel_tol=1e-9)


@given(liquid=st.integers(1, 4), gas=st.integers(1, 8), ml=volumes)
def test_foam_liquid_is_a_fraction_of_its_volume(liquid: int, gas: int, ml: float) -> None:
    inside = liquid_ml(Form.FOAM, ml, liquid, gas)
    assert 0 < inside < ml
    assert math.isclose(inside * (liquid + gas) / liquid, ml, rel_tol=1e-9)


@given(st.lists(st.tuples(percents, volumes, st.booleans()), min_size=1, max_size=40))
def test_session_totals_add_up_to_the_sum_of_sites(rows: list[tuple[float, float, bool]]) -> None:
    sites = [site(i, percent=p, ml=ml, foam=foam) for i, (p, ml, foam) in enumerate(rows, start=1)]
    (totals,) = session_totals(sites, AGENTS)
    assert totals.site_count == len(rows)
    assert totals.total_ml == pytest.approx(sum(ml for _, ml, _ in rows), abs=1e-5)
    expected_mg = sum(p * 10 * (ml / 5 if foam else ml) for p, ml, foam in rows)
    assert totals.mg == pytest.approx(expected_mg, abs=1e-5)


@given(weight=st.floats(min_value=20, max_value=350), mg=st.floats(min_value=0, max_value=2000))
def test_daily_limit_severity_follows_the_share(weight: float, mg: float) -> None:
    ml = mg / 10.0
    sites = [site(1, percent=1.0, ml=ml)] if ml > 0 else []
    uses, _ = check_limits(sites, AGENTS, weight)
    if not sites:
        return
    use = next(u for u in uses if u.unit == "mg")
    assert use.limit == pytest.approx(2 * weight)
    if use.used > use.limit * 1.000001:
        assert use.severity is Severity.EXCEEDED
    elif use.used < use.limit * 0.79:
        assert use.severity is Severity.INFO


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(AGENTS)), percents, st.floats(min_value=0.01, max_value=12.0), st.booleans()),
        max_size=40,
    )
)
def test_a_tally_added_to_site_by_site_is_the_tally_of_all_the_sites(
    rows: list[tuple[int, float, float, bool]],
) -> None:
    """A click adds one site to the session's tally: totals, limits and findings must be the very same numbers."""
    sites = [site(i, AGENTS[a], p, ml, foam) for i, (a, p, ml, foam) in enumerate(rows, start=1)]
    running = tally((), AGENTS)
    for count in range(1, len(sites) + 1):
        running = tally_with(running, sites[count - 1], tuple(sites[:count]))
        whole = tally(running.sites, AGENTS)
        assert (running.sums, running.per_injection, running.foam_sites) == (
            whole.sums,
            whole.per_injection,
            whole.foam_sites,
        )
        assert tallied_totals(running) == session_totals(running.sites, AGENTS)
        assert check_limits(running.sites, AGENTS, 61.5, {1: 3.25}, tallied=running) == check_limits(
            running.sites, AGENTS, 61.5, {1: 3.25}
        )


def test_a_tally_takes_only_a_site_numbered_after_its_own() -> None:
    first = tally((site(2),), AGENTS)
    earlier = site(1)
    with pytest.raises(ValueError, match="numbered after"):
        tally_with(first, earlier, (*first.sites, earlier))
    lone = site(3)
    with pytest.raises(ValueError, match="one site after"):
        tally_with(first, lone, (lone,))
    after = tally_with(first, lone, (*first.sites, lone))
    assert after.for_sites((site(2), site(3))).sites[-1].number == 3
    with pytest.raises(ValueError, match="as stored"):
        after.for_sites((site(2), site(3, ml=0.3)))
    assert first.holds(first.sites, AGENTS)
    assert not first.holds((site(2),), AGENTS), "another tuple of sites, even of equal ones"
    assert not first.holds(first.sites, {**AGENTS, 1: replace(POL, max_ml_per_injection=0.1)})
