"""The demo clinic's generator: its random draws, its ids, its helper process, and the outcome sums it leaves."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from sclerochart.domain.catalogue import GLYCERIN, HYPERTONIC_SALINE, POLIDOCANOL, SODIUM_TETRADECYL_SULFATE
from sclerochart.services import demo
from sclerochart.services import outcome_figures as figures
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo_chunks import Plan, made_aside, made_here
from sclerochart.services.demo_rows import Agent, OrderedIds, _Draws
from tests.conftest import NOW


def test_the_site_draws_are_those_of_random() -> None:
    """The fast draws give what random.Random's own methods give, in the same order, so a seed keeps its clinic."""
    ours, theirs = random.Random(5), random.Random(5)
    draws = _Draws(ours)
    sequences = ((0.25, 0.5, 0.5, 1.0), (0.1, 0.2, 0.3), tuple(range(4000)), (0.5, 1.0), tuple(range(7)))
    for turn in range(20_000):
        seq = sequences[turn % len(sequences)]
        assert draws.choice(seq) == theirs.choice(seq)
        assert draws.randint(10000, 99999) == theirs.randint(10000, 99999)
        assert round(0.2 + (0.9 - 0.2) * draws.random(), 1) == round(theirs.uniform(0.2, 0.9), 1)
    assert ours.getstate() == theirs.getstate()


def test_ids_are_ordered_uuids_drawn_from_the_seed_that_differ_in_their_first_characters() -> None:
    made = [OrderedIds(1000)(random.Random(3)) for _ in range(2)]
    assert made[0] == made[1], "the same seed gives the same id"
    ids, rng = OrderedIds(1000), random.Random(3)
    values = [ids(rng) for _ in range(1000)]
    assert values == sorted(values) and len({value[:8] for value in values}) == 1000
    assert {uuid.UUID(value).version for value in values} == {8}
    assert {uuid.UUID(value).variant for value in values} == {uuid.RFC_4122}


def test_the_helper_process_makes_the_same_rows_as_this_one() -> None:
    codes = (POLIDOCANOL.code, SODIUM_TETRADECYL_SULFATE.code, HYPERTONIC_SALINE.code, GLYCERIN.code)
    agents = {code: Agent(number, code, (0.5, 1.0)) for number, code in enumerate(codes, start=1)}
    plan = Plan(4, 1100, NOW, agents, [(1, "Dr. A"), (2, "Dr. B")], 4, demo.NAME_GROUPS)
    here, aside = list(made_here(plan)), list(made_aside(plan))
    assert len(here) == 2 and here == aside


def test_the_helper_process_failing_is_said() -> None:
    plan = Plan(4, 10, NOW, {}, [(1, "Dr. A")], 4, demo.NAME_GROUPS)  # no agents: making a session fails
    with pytest.raises(RuntimeError, match="helper process failed"):
        list(made_aside(plan))


def test_a_demo_leaves_every_treated_patient_marked_and_the_kept_sums_agree_with_every_site(
    ctx: ServiceContext,
) -> None:
    summary = demo.generate_demo(ctx, 1100, seed=3)  # more than one run of patients, through the helper process
    with ctx.db.read() as tx:
        marked = set(tx.execute(text("SELECT patient_id FROM outcome_dirty")).scalars())
        treated = set(
            tx.execute(
                text("SELECT patient_id FROM treatment_sessions UNION SELECT patient_id FROM follow_up_visits")
            ).scalars()
        )
        sites = tx.execute(text("SELECT count(*) FROM injection_sites")).scalar_one()
    assert marked == treated and len(treated) > 1000
    assert sites == summary.sites
    kept = figures.outcome_figures(ctx)
    direct = figures._worked_out_from_every_site(ctx, None, None)
    assert sorted(kept.cells, key=repr) == sorted(direct.cells, key=repr)
    assert kept.total().sites == summary.sites
    period = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    kept_2025 = figures.outcome_figures(ctx, *period)
    assert sorted(kept_2025.cells, key=repr) == sorted(
        figures._worked_out_from_every_site(ctx, *period).cells, key=repr
    )


@pytest.mark.sqlite_only
def test_the_triggers_set_aside_are_back_and_still_guard_signed_sessions(ctx: ServiceContext, db_path: Path) -> None:
    before = _triggers(ctx)
    demo.generate_demo(ctx, 30, seed=3)
    assert _triggers(ctx) == before
    with ctx.db.read() as tx:
        signed, number = tx.execute(
            text(
                "SELECT s.id, max(i.number) FROM treatment_sessions s JOIN injection_sites i ON i.session_id = s.id "
                "WHERE s.state = 'signed' GROUP BY s.id LIMIT 1"
            )
        ).one()
        cache = tx.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()
    assert cache == -2000, "the page cache is back to its usual size"
    with sqlite3.connect(db_path) as connection, pytest.raises(sqlite3.IntegrityError, match="signed session"):
        connection.execute(
            "INSERT INTO injection_sites (session_id, number, view, x, y, region, diagram_version, agent_id,"
            " concentration, form, volume_ml, vessel_type, delivery, lot_number, reaction, notes,"
            " override_reason) VALUES (?, ?, 'anterior', 0.5, 0.5, 'R1', 1, 1, 0.5, 'liquid', 0.1,"
            " 'telangiectasia', 'needle', 'L1', 'none', '', '')",
            (signed, number + 1),
        )


def _triggers(ctx: ServiceContext) -> list[tuple[str, str]]:
    with ctx.db.read() as tx:
        return list(tx.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")))
