"""A realistic demo clinic, also the data generator for the benchmarks.

Varied patients (names in several scripts), sessions across all six views and all four agents with a lot
and its expiry per session, VCSS at baseline, and follow-up visits rating each treated region;
written in bulk, in chunks, so 100,000 patients fit in minutes and little memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher

from sclerochart.domain.errors import ConflictError
from sclerochart.domain.values import View
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo_chunks import CHUNK_PATIENTS, Chunk, Plan, made_aside, made_here
from sclerochart.services.demo_rows import SITE_COLUMNS, TERM_COLUMNS, Agent, position_pool
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import (
    FollowUpVisitRow,
    InjectionSiteRow,
    PatientRow,
    PatientSearchTermRow,
    PhotoRow,
    PractitionerRow,
    RegionClearanceRow,
    SessionLotRow,
    TreatmentSessionRow,
    VisitComplicationRow,
)
from sclerochart.store.repositories import bulk
from sclerochart.store.repositories import catalogue as catalogue_repo
from sclerochart.store.repositories import patients as patient_repo

# Names from several languages and scripts, grouped so a patient's names belong together, so that every
# screen and printout meets Ł, Ø, Cyrillic, Greek, Vietnamese and Turkish letters from the start.
# Each group: (weight, family names, female given names, male given names).
NAME_GROUPS: tuple[tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (6, ("Müller", "Schmidt", "Schäfer", "Weiß", "Krüger"), ("Anna", "Jana", "Gudrun", "Lena"), ("Thomas", "Jürgen")),
    (
        4,
        ("Łukasiewicz", "Nowak", "Wiśniewska", "Kowalczyk", "Zoë-Łukasiewicz"),
        ("Zoë", "Małgorzata", "Agnieszka"),
        ("Łukasz", "Paweł"),
    ),
    (3, ("Ødegård", "Bjørnstad", "Åberg", "Nielsen", "Ólafsdóttir"), ("Ingrid", "Sigrún", "Åse"), ("Søren", "Bjørn")),
    (3, ("Иванова", "Смирнова", "Кузнецова", "Петрова"), ("Мария", "Елена", "Ольга"), ()),
    (2, ("Иванов", "Смирнов", "Кузнецов"), (), ("Дмитрий", "Иван", "Сергей")),
    (2, ("Παπαδοπούλου", "Γεωργίου", "Νικολάου"), ("Ελένη", "Μαρία", "Σοφία"), ("Γιώργος", "Νίκος")),
    (3, ("Nguyễn", "Trần", "Lê", "Phạm"), ("Thị Hồng", "Ngọc Lan", "Thị Mai"), ("Văn Minh", "Đức Anh")),
    (2, ("Yılmaz", "Çelik", "Kaya", "Şahin"), ("Ayşe", "Elif", "Zeynep"), ("Mehmet", "Çağrı")),
    (4, ("García", "Fernández", "Martínez", "Núñez"), ("Lucía", "Carmen", "Sofía"), ("José", "Íñigo")),
    (3, ("Dubois", "Lefèvre", "Moreau", "Bérénger"), ("Élodie", "Chloé", "Amélie", "Hélène"), ("François", "Jérôme")),
    (3, ("Rossi", "Bianchi", "Esposito"), ("Giulia", "Chiara", "Francesca"), ("Marco", "Luca")),
    (
        5,
        ("O'Brien", "Murphy", "Smith", "Johnson", "Williams", "Brown"),
        ("Siobhán", "Emma", "Olivia", "Grace"),
        ("Seán", "James"),
    ),
    (
        2,
        ("Novák", "Dvořáková", "Horváth", "Kovačević", "Jovanović"),
        ("Eszter", "Milena", "Kateřina"),
        ("Jiří", "Dávid", "Miloš"),
    ),
    (2, ("Virtanen", "Mäkinen", "Korhonen"), ("Aino", "Sanna"), ("Mikko", "Jyrki")),
    (2, ("Silva", "Pereira", "Ferreira", "Gonçalves"), ("Beatriz", "Inês"), ("João", "Tomás")),
    (
        2,
        ("Adeyemi", "Okafor", "Haddad", "Popescu", "Van der Berg", "De Vries"),
        ("Chiamaka", "Leila", "Ioana", "Femke"),
        ("Olumide", "Karim", "Andrei", "Sven"),
    ),
)

PRACTITIONERS = (
    ("Dr. Ana Müller", "MD, phlebologist", "ana", "administrator"),
    ("Dr. Olumide Adeyemi", "MD, dermatologist", "olumide", "physician"),
    ("Hélène Dubois", "RN, aesthetic nurse", "helene", "nurse"),
)
"""The demo clinic's people: name, credentials, sign-in name, role."""

DEMO_PASSWORD = "demo-password"
"""Every demo account's password (a demo clinic holds no real patient; the demo command says so)."""


@dataclass(frozen=True)
class DemoSummary:
    """What the generator wrote."""

    patients: int
    sessions: int
    sites: int
    visits: int


def leg_spots(seed: int, count: int) -> list[tuple[View, float, float]]:
    """`count` spots on the legs, spread over all six views (for scripted charting in screenshots and benchmarks)."""
    return [(View(view), x, y) for view, x, y, _ in position_pool(random.Random(seed), count)]


_SET_ASIDE = (
    "injection_sites_signed_no_insert",
    "injection_sites_outcome_insert",
    "region_clearances_signed_no_insert",
    "region_clearances_outcome_insert",
    "session_lots_signed_no_insert",
    "visit_complications_signed_no_insert",
)
"""SQLite triggers that check or mark each part of a session or visit, set aside while a run is written."""

_WRITING_CACHE_KIB = 32 * 1024
"""SQLite's page cache while the demo is written: the pages every run adds to stay in memory (measured at 30,000
patients: the same time as 128 MiB, with 115 MB less memory); the usual size comes back after."""

CLEARANCE_COLUMNS = ("visit_id", "region", "clearance_percent")


def _write_chunk(tx: UnitOfWork, chunk: Chunk, sqlite: bool) -> None:
    bulk.insert_rows(tx, PatientRow, chunk.patients)
    bulk.insert_tuples(tx, PatientSearchTermRow, TERM_COLUMNS, chunk.terms)
    if sqlite:
        # Millions of parts: on SQLite their per-row triggers are set aside for this transaction, and the
        # sessions and visits go in signed as they are. What the triggers do is done already: every part
        # belongs to a session or visit of this run, written just before it (the check that no part is
        # added to a record signed earlier), and the insert of that session or visit has marked its
        # patient for the outcome sums (the mark a site or a rating would make).
        with bulk.sqlite_triggers_set_aside(tx, _SET_ASIDE):
            bulk.insert_rows(tx, TreatmentSessionRow, chunk.sessions)
            bulk.insert_rows(tx, FollowUpVisitRow, [{**visit.header, "state": "signed"} for visit in chunk.visits])
            _write_parts(tx, chunk)
    else:
        # The parts go into drafts, which are then signed: a signed record takes no more parts.
        unsigned = {"state": "draft", "signed_at": None, "signed_by": "", "signer_id": None, "signature_meaning": ""}
        bulk.insert_rows(tx, TreatmentSessionRow, [{**row, **unsigned} for row in chunk.sessions])
        bulk.insert_rows(tx, FollowUpVisitRow, [visit.header for visit in chunk.visits])
        _write_parts(tx, chunk)
        signed = [row for row in chunk.sessions if row["state"] == "signed"]
        if signed:
            bulk.sign_sessions(tx, signed)
        if chunk.visits:
            bulk.sign_visits(tx, [visit.header for visit in chunk.visits])
    if chunk.photos:
        bulk.insert_rows(tx, PhotoRow, chunk.photos)


def _write_parts(tx: UnitOfWork, chunk: Chunk) -> None:
    bulk.insert_tuples(tx, InjectionSiteRow, SITE_COLUMNS, chunk.sites)
    if chunk.lots:
        bulk.insert_rows(tx, SessionLotRow, chunk.lots)
    bulk.insert_tuples(tx, RegionClearanceRow, CLEARANCE_COLUMNS, [row for v in chunk.visits for row in v.clearances])
    complications = [row for visit in chunk.visits for row in visit.complications]
    if complications:
        bulk.insert_rows(tx, VisitComplicationRow, complications)


def generate_demo(
    ctx: ServiceContext,
    patients: int,
    *,
    seed: int = 1,
    mean_sessions: float = 2.5,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Write a demo clinic of `patients` patients (about `mean_sessions` sessions each) into an empty database."""
    now = ctx.clock()
    with ctx.db.write() as tx:
        existing = patient_repo.patient_count(tx)
        if existing:
            raise ConflictError(
                f"The database {ctx.db.display} already holds {existing} patients.",
                "The demo clinic is written only into a new, empty database: name one with --db.",
            )
        if tuple(catalogue_repo.practitioner_rows(tx, include_inactive=True)):
            raise ConflictError(
                f"The database {ctx.db.display} already holds practitioners.",
                "The demo clinic is written only into a new, empty database: name one with --db.",
            )
        practitioners: list[tuple[int, str]] = []
        password_hash = PasswordHasher().hash(DEMO_PASSWORD)
        for name, credentials, login, role in PRACTITIONERS:
            row = PractitionerRow(
                name=name, credentials=credentials, active=True, login=login, role=role, password_hash=password_hash,
                version=1, failed_sign_ins=0,
            )  # fmt: skip
            tx.add(row)
            tx.flush()
            practitioners.append((row.id, f"{name}, {credentials}"))
        agents = {
            row.code: Agent(row.id, row.code, tuple(row.concentrations)) for row in catalogue_repo.sclerosant_rows(tx)
        }
        audit.record(tx, ctx, "demo", "clinic", "demo", None, {"patients": patients, "seed": seed})
    max_sessions = max(1, round(mean_sessions * 2) - 1)
    plan = Plan(seed, patients, now, agents, practitioners, max_sessions, NAME_GROUPS)
    totals = [0, 0, 0, 0]
    runs = made_aside(plan) if patients > CHUNK_PATIENTS else made_here(plan)
    sqlite = ctx.db.is_sqlite
    usual_cache = None
    for chunk in runs:
        with ctx.db.write() as tx:
            if sqlite:
                connection = tx.connection()
                if usual_cache is None:
                    usual_cache = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
                connection.exec_driver_sql(f"PRAGMA cache_size = -{_WRITING_CACHE_KIB}")
            _write_chunk(tx, chunk, sqlite)
        totals[0] += len(chunk.patients)
        totals[1] += len(chunk.sessions)
        totals[2] += len(chunk.sites)
        totals[3] += len(chunk.visits)
        if progress is not None:
            progress(totals[0], patients)
    if usual_cache is not None:
        with ctx.db.write() as tx:
            tx.connection().exec_driver_sql(f"PRAGMA cache_size = {usual_cache}")
    return DemoSummary(*totals)
