"""The catalogue's stamp: every change to the sclerosants renews it; a click reuses the catalogue read last only then.

A click reuses the catalogue it read last only while the stamp it reads is the stamp that catalogue was read at.
On both engines.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, text

from sclerochart.domain.dose import ReasonNeeded, site_mg
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.values import Form, Gas, SessionDraft, SiteDraft
from sclerochart.services import catalogue, patients, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from sclerochart.store.engine import make_engine, parse_target
from sclerochart.store.integrity import run_checks
from sclerochart.store.migrate import alembic_config, upgrade
from sclerochart.store.repositories import catalogue as catalogue_repo
from tests.conftest import FixedClock, patient_draft
from tests.integration.test_services import POL, STS, site_draft


def new_agent(agent_id: int) -> str:
    """SQL that adds a catalogue entry with the id."""
    return (
        "INSERT INTO sclerosants (id, code, name, atc_code, concentrations, forms, max_mg_per_kg_day, max_ml_session,"
        " max_foam_ml_session, max_ml_per_injection, limit_source, notes, active, sort_order, version) VALUES"
        f" ({agent_id}, 'trial{agent_id}', 'Trial agent {agent_id}', NULL, '[1.0]', '[\"liquid\"]', NULL, NULL, NULL,"
        " NULL, '', '', TRUE, 9, 1)"
    )


def stamp(db: Database) -> str:
    with db.engine.connect() as connection:
        return str(connection.execute(text("SELECT stamp FROM catalogue_stamp WHERE id = 1")).scalar_one())


def behind_the_program(db: Database, statement: str) -> None:
    """A statement run on the database by another program (a second connection, committed)."""
    with db.engine.begin() as connection:
        connection.execute(text(statement))


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft())
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def test_every_change_to_the_catalogue_gives_it_a_new_stamp(ctx: ServiceContext) -> None:
    seen = [stamp(ctx.db)]
    polidocanol = catalogue.sclerosants_by_id(ctx)[POL]
    catalogue.set_sclerosant_limit(ctx, POL, "max_ml_session", 7.0, polidocanol.version)
    seen.append(stamp(ctx.db))
    behind_the_program(ctx.db, "UPDATE sclerosants SET max_ml_per_injection = 0.1 WHERE id = 1")
    seen.append(stamp(ctx.db))
    behind_the_program(ctx.db, new_agent(77))
    seen.append(stamp(ctx.db))
    behind_the_program(ctx.db, "DELETE FROM sclerosants WHERE id = 77")
    seen.append(stamp(ctx.db))
    assert len(set(seen)) == len(seen), "a change to the catalogue left its stamp as it was"
    assert all(len(value) == 32 for value in seen)
    with ctx.db.engine.connect() as connection:  # a change taken back takes its stamp back too
        connection.execute(text("UPDATE sclerosants SET notes = 'x' WHERE id = 1"))
        assert connection.execute(text("SELECT stamp FROM catalogue_stamp")).scalar_one() != seen[-1]
        connection.rollback()
    assert stamp(ctx.db) == seen[-1]
    patients.create_patient(ctx, patient_draft())  # other records leave it alone
    assert stamp(ctx.db) == seen[-1]


def test_a_click_checks_against_a_limit_changed_behind_the_program(ctx: ServiceContext, session_id: str) -> None:
    sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))  # within 0.3 mL per injection
    sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))  # the catalogue as read at the last click
    # The version is left as it was: only the stamp tells that the catalogue changed.
    behind_the_program(ctx.db, "UPDATE sclerosants SET max_ml_per_injection = 0.1 WHERE id = 1")
    with pytest.raises(ReasonNeeded, match=r"0\.1 mL per injection"):
        sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))
    behind_the_program(ctx.db, "UPDATE sclerosants SET max_ml_per_injection = 0.3 WHERE id = 1")
    sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))


def test_a_click_finds_an_agent_added_or_removed_behind_the_program(ctx: ServiceContext, session_id: str) -> None:
    sites.add_site(ctx, session_id, site_draft())
    behind_the_program(ctx.db, new_agent(77))
    behind_the_program(ctx.db, new_agent(78))
    sites.add_site(ctx, session_id, site_draft(agent_id=77, concentration=1.0))  # the catalogue read with both
    behind_the_program(ctx.db, "DELETE FROM sclerosants WHERE id = 78")
    with pytest.raises(ValidationError, match="must be one of the catalogue"):
        sites.add_site(ctx, session_id, site_draft(agent_id=78, concentration=1.0))


@pytest.fixture
def second_clinic(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "second.sqlite3"))
    yield database
    database.close()


def test_two_databases_open_in_one_program_keep_their_own_catalogues(
    ctx: ServiceContext, session_id: str, second_clinic: Database, clock: FixedClock
) -> None:
    other = ServiceContext(second_clinic, actor="tester", clock=clock)
    other_session = session_id_in(other)
    polidocanol = catalogue.sclerosants_by_id(other)[POL]
    catalogue.set_sclerosant_limit(other, POL, "max_ml_per_injection", 0.1, polidocanol.version)
    for _ in range(2):  # in turn: each click reads its own database's stamp
        sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))
        with pytest.raises(ReasonNeeded, match=r"0\.1 mL per injection"):
            sites.add_site(other, other_session, site_draft(volume_ml=0.2))


def session_id_in(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft(chart_number="SC-0002"))
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def _triggers(connection: Connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'sclerosants'::regclass"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'sclerosants'"
    return {str(name) for name in connection.execute(text(query)).scalars()}


def test_the_stamp_comes_with_the_upgrade_and_goes_with_the_downgrade(db_url: str) -> None:
    engine = make_engine(parse_target(db_url), create=True)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0013")
            assert not _triggers(connection)
            upgrade(connection, "0014")
            assert len(connection.execute(text("SELECT stamp FROM catalogue_stamp")).scalars().all()) == 1
            assert _triggers(connection)
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0013")
            assert not _triggers(connection)
            connection.execute(text("UPDATE sclerosants SET notes = 'after the downgrade' WHERE id = 1"))
    finally:
        engine.dispose()


def disarm(db: Database) -> None:
    """One trigger of the stamp removed (SQLite) or switched off (PostgreSQL), as by hand outside the program."""
    if db.is_sqlite:
        behind_the_program(db, "DROP TRIGGER sclerosants_stamp_update")
    else:
        behind_the_program(db, "ALTER TABLE sclerosants DISABLE TRIGGER sclerosants_catalogue_stamp")


def test_the_stamps_triggers_are_there_at_the_newest_revision(db: Database) -> None:
    with db.engine.connect() as connection:
        assert _triggers(connection) >= set(catalogue_repo.STAMP_TRIGGERS[connection.dialect.name])
        assert catalogue_repo.stamp_armed(connection)
    (marked,) = [result for result in run_checks(db, quick=True) if result.name == "Catalogue changes marked"]
    assert marked.ok


def test_without_its_triggers_the_stamp_is_not_trusted_and_the_check_says_so(
    ctx: ServiceContext, session_id: str
) -> None:
    sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))
    disarm(ctx.db)
    sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))
    behind_the_program(ctx.db, "UPDATE sclerosants SET max_ml_per_injection = 0.1 WHERE id = 1")  # stamp unchanged
    with pytest.raises(ReasonNeeded, match=r"0\.1 mL per injection"):
        sites.add_site(ctx, session_id, site_draft(volume_ml=0.2))
    (marked,) = [result for result in run_checks(ctx.db, quick=True) if result.name == "Catalogue changes marked"]
    assert not marked.ok
    assert "reads the whole catalogue at every click" in marked.detail


def test_the_same_days_doses_read_grouped_add_up_to_each_sites_dose(
    ctx: ServiceContext, session_id: str, clock: FixedClock
) -> None:
    def foam(gas_parts: int) -> SiteDraft:
        return site_draft(
            volume_ml=0.3, form=Form.FOAM, gas=Gas.ROOM_AIR, foam_liquid_parts=1, foam_gas_parts=gas_parts
        )

    drafts = [
        site_draft(volume_ml=0.1),
        site_draft(volume_ml=0.3),
        site_draft(volume_ml=0.1, concentration=1.0),
        foam(4),
        foam(3),
        site_draft(agent_id=STS, volume_ml=0.2, concentration=0.5),
        site_draft(volume_ml=0.1 + 0.2),  # not 0.3: a dose of its own
    ]
    for round_ in range(3):
        for draft in drafts[round_:]:
            sites.add_site(ctx, session_id, draft)
    given = session_detail.get_session(ctx, session_id).sites
    clock.now += dt.timedelta(hours=2)
    later = sessions.start_session(ctx, patient_of(ctx, session_id), SessionDraft(None, clock()))
    by_agent: dict[int, list[float]] = {}
    for site in given:
        by_agent.setdefault(site.agent_id, []).append(site_mg(site))
    expected = {agent_id: math.fsum(mg) for agent_id, mg in by_agent.items()}
    assert session_detail.get_session(ctx, later.id).earlier_mg == expected
    assert len(given) == 18 and set(expected) == {POL, STS}


def patient_of(ctx: ServiceContext, session_id: str) -> str:
    return session_detail.get_session(ctx, session_id).session.patient_id
