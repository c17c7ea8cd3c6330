"""The paths a click or a keystroke takes (adding a site, the type-ahead search) keep every rule of the slower ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import event

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.errors import ConflictError, StaleError
from sclerochart.domain.values import SessionDraft, View
from sclerochart.readmodels import SessionDetail
from sclerochart.services import (
    accounts,
    audit,
    catalogue,
    clinic,
    lots,
    patients,
    session_detail,
    sessions,
    signatures,
    sites,
)
from sclerochart.services.context import ServiceContext, SignInNeeded
from sclerochart.store.integrity import verify_audit_chain
from sclerochart.store.repositories import sessions as session_repo
from tests.conftest import patient_draft
from tests.integration.test_services import site_draft
from tests.signing import PASSWORD, sign, signed_in


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    patient = patients.create_patient(ctx, patient_draft())
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def test_a_session_version_moved_meanwhile_refuses_the_change(ctx: ServiceContext, session_id: str) -> None:
    stored = session_detail.get_session(ctx, session_id).session.version
    with pytest.raises(StaleError), ctx.db.write() as tx:
        session_repo.bump_version(tx, session_id, stored - 1, ctx.clock())
    with ctx.db.write() as tx:
        assert session_repo.bump_version(tx, session_id, stored, ctx.clock()) == stored + 1
    assert session_detail.get_session(ctx, session_id).session.version == stored + 1


def test_an_added_site_moves_the_version_and_joins_the_audit_chain(ctx: ServiceContext, session_id: str) -> None:
    before = session_detail.get_session(ctx, session_id)
    change = sites.add_site(ctx, session_id, site_draft(), shown=before)
    assert change.detail.session.version == before.session.version + 1
    assert change.detail == session_detail.get_session(ctx, session_id)
    (event,) = audit.history(ctx, "site", change.sites[0].id)
    assert (event.action, event.before) == ("create", None)
    assert event.after is not None and event.after["number"] == 1 and event.after["id"] == change.sites[0].id
    again = sites.add_site(ctx, session_id, site_draft(View.POSTERIOR), shown=change.detail)
    assert [site.number for site in again.detail.sites] == [1, 2]
    assert verify_audit_chain(ctx.db).ok


def test_a_site_is_refused_on_a_signed_session_and_nothing_is_stored(ctx: ServiceContext, session_id: str) -> None:
    sites.add_site(ctx, session_id, site_draft())
    sign(ctx, session_id)  # signed in as a practitioner: each change also checks they are still active
    shown = session_detail.get_session(ctx, session_id)
    with pytest.raises(ConflictError):
        sites.add_site(ctx, session_id, site_draft(View.POSTERIOR), shown=shown)
    assert len(session_detail.get_session(ctx, session_id).sites) == 1


def test_the_search_finds_the_same_after_it_is_prepared(ctx: ServiceContext) -> None:
    for number, (family, given) in enumerate(
        [("Berg", "Anna"), ("Bergström", "Karl"), ("Nowak", "Anna"), ("Kowalski", "Jan"), ("Berger", "Ann")]
    ):
        patients.create_patient(ctx, patient_draft(chart_number=f"Q-{number}", family_name=family, given_name=given))
    queries = ["", "ber", "ann ber", "berg karl anna x", "29.02.1980", "q-3", "zz"]
    found = [patients.search_patients(ctx, query) for query in queries]
    patients.prepare_search(ctx)
    assert [patients.search_patients(ctx, query) for query in queries] == found
    assert [hit.family_name for hit in found[2]] == ["Berg", "Berger"]
    assert found[3] == () and found[6] == ()
    assert len(found[4]) == 5 and [hit.chart_number for hit in found[5]] == ["Q-3"]
    assert [hit.family_name for hit in patients.search_patients(ctx, "ber", limit=2)] == ["Berg", "Berger"]


def test_the_search_reads_further_when_patients_match_through_many_words(ctx: ServiceContext) -> None:
    for number, family in enumerate(["Abel-Abbot-Abner", "Abram-Absalon-Abt", "Abeling", "Nowak"]):
        patients.create_patient(
            ctx, patient_draft(chart_number=f"AB-{number}", family_name=family, given_name="Abby Abe")
        )
    found = patients.search_patients(ctx, "ab", limit=3)  # the first two patients fill a window of 12 terms
    assert [hit.family_name for hit in found] == ["Abel-Abbot-Abner", "Abeling", "Abram-Absalon-Abt"]
    assert [hit.family_name for hit in patients.search_patients(ctx, "abe ab", limit=3)][:2] == [
        "Abel-Abbot-Abner",
        "Abeling",
    ]


def test_what_a_click_reads_in_one_statement_is_what_the_slower_reads_give(ctx: ServiceContext) -> None:
    """The practitioner, the session before, the agent's lot and the clinic's interval, read beside the session."""
    person = signed_in(ctx)
    clinic.change_setting(ctx, "interval_weeks", 9)
    patient = patients.create_patient(ctx, patient_draft())
    earlier = ctx.clock() - dt.timedelta(weeks=3)
    sessions.start_session(ctx, patient.id, SessionDraft(None, earlier - dt.timedelta(weeks=5), weight_kg=70.0))
    sessions.start_session(ctx, patient.id, SessionDraft(None, earlier, weight_kg=70.0))
    voided = sessions.start_session(ctx, patient.id, SessionDraft(None, earlier + dt.timedelta(weeks=1))).id
    signatures.void_session(ctx, voided, "started by mistake", session_detail.get_session(ctx, voided).session.version)
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(person.id, ctx.clock(), weight_kg=70.0)).id
    version = session_detail.get_session(ctx, session_id).session.version
    lots.set_session_lot(ctx, session_id, 1, "PX-31", (ctx.clock() + dt.timedelta(days=90)).date(), version)
    shown = session_detail.get_session(ctx, session_id)
    change = sites.add_site(ctx, session_id, site_draft(), shown=shown)
    detail = change.detail
    assert (detail.session.practitioner_name, detail.previous_started_at, detail.interval_weeks) == (
        person.name,
        earlier,
        9,
    )
    assert change.sites[0].lot_number == "PX-31"
    assert "interval" in {finding.code for finding in detail.findings}
    assert detail == replace(session_detail.get_session(ctx, session_id), lots=())  # lots: read for documents


def _as_read_afresh(ctx: ServiceContext, session_id: str, shown: SessionDetail) -> None:
    fresh = session_detail.get_session(ctx, session_id)
    assert (shown.totals, shown.limits, shown.findings) == (fresh.totals, fresh.limits, fresh.findings)
    assert shown == fresh


def test_a_click_after_a_catalogue_change_adds_up_the_sites_against_the_new_catalogue(
    ctx: ServiceContext, session_id: str
) -> None:
    shown = sites.add_site(ctx, session_id, site_draft(volume_ml=0.25)).detail
    shown = sites.add_site(ctx, session_id, site_draft(height=40.0, volume_ml=0.25), shown=shown).detail
    polidocanol = catalogue.sclerosants_by_id(ctx)[1]
    catalogue.set_sclerosant_limit(ctx, 1, "max_ml_per_injection", 0.2, polidocanol.version)  # another room's
    change = sites.add_site(ctx, session_id, site_draft(height=50.0, volume_ml=0.1), shown=shown)
    _as_read_afresh(ctx, session_id, change.detail)
    assert sum(finding.code == "volume_per_injection" for finding in change.detail.findings) == 2


def test_clicks_after_removals_undos_and_edits_give_what_a_fresh_read_gives(
    ctx: ServiceContext, session_id: str
) -> None:
    shown: SessionDetail | None = None
    for height in (20.0, 30.0, 40.0):
        shown = sites.add_site(ctx, session_id, site_draft(height=height), shown=shown).detail
    assert shown is not None
    two = shown.sites[1]
    shown = sites.remove_sites(ctx, [(two.id, two.version)], shown=shown).detail
    _as_read_afresh(ctx, session_id, shown)
    shown = sites.add_site(ctx, session_id, two.draft(), number=2, shown=shown).detail  # an undo: number 2 again
    _as_read_afresh(ctx, session_id, shown)
    shown = sites.add_site(ctx, session_id, site_draft(height=50.0, volume_ml=0.3), shown=shown).detail
    _as_read_afresh(ctx, session_id, shown)
    first = shown.sites[0]
    shown = sites.edit_site(ctx, first.id, replace(first.draft(), volume_ml=0.1), first.version, shown=shown).detail
    _as_read_afresh(ctx, session_id, shown)
    shown = sites.add_site(ctx, session_id, site_draft(height=60.0), shown=shown).detail
    _as_read_afresh(ctx, session_id, shown)
    last = shown.sites[-1]  # undo of the last click, then its redo under its own number
    shown = sites.remove_sites(ctx, [(last.id, last.version)], shown=shown).detail
    shown = sites.add_site(ctx, session_id, last.draft(), number=last.number, shown=shown).detail
    _as_read_afresh(ctx, session_id, shown)
    assert shown.tallied is not None and shown.tallied.sites is shown.sites


def test_a_click_by_someone_deactivated_or_renamed_in_another_room_is_checked_as_any_change(
    ctx: ServiceContext, session_id: str
) -> None:
    """The click reads the signed-in account with the session: deactivated, nothing is stored; renamed, followed."""
    me = signed_in(ctx)
    shown = sites.add_site(ctx, session_id, site_draft()).detail
    room = ServiceContext(ctx.db, actor="", clock=ctx.clock, room="Room 2")
    accounts.add_account(ctx, AccountDraft("Dr. Bo Lind", "bo", Role.ADMINISTRATOR), PASSWORD)
    accounts.sign_in(room, "bo", PASSWORD)
    accounts.edit_account(room, me.id, AccountDraft("Dr. Ana Müller-Berg", me.login, Role(me.role)), me.version)
    change = sites.add_site(ctx, session_id, site_draft(height=40.0), shown=shown)
    assert ctx.person is not None and ctx.person.name == "Dr. Ana Müller-Berg"
    (entry,) = audit.history(ctx, "site", change.sites[0].id)
    assert "Müller-Berg" in entry.actor
    renamed = ctx.signed_in()
    accounts.set_active(room, renamed.id, False, renamed.version)
    with pytest.raises(SignInNeeded, match="was deactivated"):
        sites.add_site(ctx, session_id, site_draft(height=50.0), shown=change.detail)
    acting: object = ctx.person
    assert acting is None, "the deactivated person is no longer the one acting here"
    assert len(session_detail.get_session(room, session_id).sites) == 2
    assert verify_audit_chain(ctx.db).ok


@contextmanager
def statements_run(ctx: ServiceContext) -> Iterator[list[str]]:
    """Every statement the database is given meanwhile, as it is given it (on SQLite past SQLAlchemy too)."""
    ran: list[str] = []
    if ctx.db.is_sqlite:  # the driver's own trace: a click's statements go straight to it
        with ctx.db.engine.connect() as connection:  # one connection per thread: the one the click uses
            driver = connection.connection.driver_connection
        assert driver is not None

        def traced(statement: str) -> None:
            statement = " ".join(statement.split())
            if statement.startswith("--"):  # what a statement runs inside it (a pragma read as a table)
                return
            if not ran or ran[-1] != statement:  # each trigger it fires traces the statement again
                ran.append(statement)

        driver.set_trace_callback(traced)
        try:
            yield ran
        finally:
            driver.set_trace_callback(None)
        return

    def note(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        ran.append(" ".join(statement.split()))

    event.listen(ctx.db.engine, "before_cursor_execute", note)
    try:
        yield ran
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", note)


def test_a_click_reads_the_session_its_author_and_the_audit_chain_in_one_statement(
    ctx: ServiceContext, session_id: str
) -> None:
    """What a click runs: one statement reads what it needs of the session, its author and (SQLite) the chain."""
    signed_in(ctx)
    shown = sites.add_site(ctx, session_id, site_draft()).detail
    with statements_run(ctx) as ran:
        sites.add_site(ctx, session_id, site_draft(height=40.0), shown=shown)
    alone = [s for s in ran if s.startswith("SELECT") and "FROM practitioners" in s and "treatment_sessions" not in s]
    assert alone == [], "the author's account is read with the session"
    heads = [s for s in ran if "FROM audit_events ORDER BY" in s and "treatment_sessions" not in s]
    assert not [s for s in ran if "FROM sclerosants" in s], "the catalogue is read again though its stamp is the same"
    if ctx.db.is_sqlite:
        assert heads == [], "on SQLite the chain's head is read with the session"
        # BEGIN, the session and the rest (no other session that day: no more to read), site, version, event, COMMIT
        assert [s.split()[0] for s in ran] == ["BEGIN", "SELECT", "INSERT", "UPDATE", "INSERT", "COMMIT"], ran
    else:
        assert len(heads) == 1  # PostgreSQL locks the chain on its own first
