"""A realistic demo clinic, also the data generator for the benchmarks.

Varied patients (names in several scripts), sessions across all six views and all four agents with a lot
and its expiry per session, VCSS at baseline, and follow-up visits rating each treated region;
written in bulk, in chunks, so 100,000 patients fit in minutes and little memory.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher

from sclerochart.domain.catalogue import GLYCERIN, HYPERTONIC_SALINE, POLIDOCANOL, SODIUM_TETRADECYL_SULFATE
from sclerochart.domain.diagram import DIAGRAM_VERSION, VIEWS, point_for, region_at
from sclerochart.domain.errors import ConflictError
from sclerochart.domain.names import suggested_order
from sclerochart.domain.search import name_terms, sort_key
from sclerochart.domain.values import (
    SIGNATURE_MEANING,
    Form,
    Gas,
    Reaction,
    SessionState,
    VesselType,
    View,
)
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo_course import PHOTO_EVERY, CourseParts, DemoVisit
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


@dataclass(frozen=True)
class _Agent:
    id: int
    code: str
    concentrations: tuple[float, ...]


def leg_spots(seed: int, count: int) -> list[tuple[View, float, float]]:
    """`count` spots on the legs, spread over all six views (for scripted charting in screenshots and benchmarks)."""
    return [(View(view), x, y) for view, x, y, _ in _position_pool(random.Random(seed), count)]


def _position_pool(rng: random.Random, size: int) -> list[tuple[str, float, float, str]]:
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


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Generator:
    def __init__(
        self, rng: random.Random, agents: dict[str, _Agent], practitioners: list[tuple[int, str]], today: dt.date
    ):
        self.rng = rng
        self.agents = agents
        self.practitioners = practitioners
        self.today = today
        self.positions = _position_pool(rng, 4000)
        self.course = CourseParts(rng, _uuid)

    def patient(self, index: int, now: dt.datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        _, families, women, men = rng.choices(NAME_GROUPS, weights=[g[0] for g in NAME_GROUPS])[0]
        female = not men or (bool(women) and rng.random() < 0.82)
        family = rng.choice(families)
        given = rng.choice(women if female else men)
        chart = f"D{index:06d}"
        birth = self.today - dt.timedelta(days=rng.randint(19 * 365, 85 * 365))
        pid = _uuid(rng)
        row = {
            "id": pid,
            "chart_number": chart,
            "family_name": family,
            "given_name": given,
            "name_order": suggested_order(family, given).value,
            "sort_key": sort_key(family, given),
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
        term_rows = [
            {"term": term, "patient_id": pid, "sort_key": row["sort_key"], "archived": row["archived"]}
            for term in sorted(name_terms(family, given, chart))
        ]
        return row, term_rows

    def _agent_for_session(self) -> _Agent:
        roll = self.rng.random()
        if roll < 0.68:
            return self.agents[POLIDOCANOL.code]
        if roll < 0.88:
            return self.agents[SODIUM_TETRADECYL_SULFATE.code]
        if roll < 0.96:
            return self.agents[HYPERTONIC_SALINE.code]
        return self.agents[GLYCERIN.code]

    def _site(self, session_id: str, number: int, agent: _Agent, foam_left: float) -> dict[str, Any]:
        rng = self.rng
        view, x, y, region = rng.choice(self.positions)
        foam = (
            agent.code in (POLIDOCANOL.code, SODIUM_TETRADECYL_SULFATE.code)
            and foam_left >= 0.5
            and rng.random() < 0.15
        )
        if agent.code == POLIDOCANOL.code:
            concentration = rng.choice((0.25, 0.5, 0.5, 1.0)) if not foam else rng.choice((0.5, 1.0))
            volume = rng.choice((0.1, 0.15, 0.2, 0.2, 0.25, 0.3)) if not foam else rng.choice((0.2, 0.3))
        elif agent.code == SODIUM_TETRADECYL_SULFATE.code:
            concentration = rng.choice((0.1, 0.2, 0.3))
            volume = rng.choice((0.1, 0.2, 0.3, 0.5)) if not foam else 0.5
        else:
            concentration = rng.choice(agent.concentrations)
            volume = rng.choice((0.1, 0.2, 0.3))
        vessel = VesselType.TELANGIECTASIA if concentration <= 0.5 and not foam else VesselType.RETICULAR
        ratio = (1, 4) if rng.random() < 0.8 else (1, 3)
        reaction = Reaction.NONE
        if rng.random() < 0.03:
            reaction = rng.choice((Reaction.BLANCHING, Reaction.LOCAL_PAIN, Reaction.URTICARIA, Reaction.BLEEDING))
        return {
            "session_id": session_id,
            "number": number,
            "view": view,
            "x": x,
            "y": y,
            "region": region,
            "diagram_version": DIAGRAM_VERSION,
            "agent_id": agent.id,
            "concentration": concentration,
            "form": Form.FOAM.value if foam else Form.LIQUID.value,
            "foam_liquid_parts": ratio[0] if foam else None,
            "foam_gas_parts": ratio[1] if foam else None,
            "gas": (Gas.ROOM_AIR.value if ratio == (1, 4) else Gas.CO2_O2.value) if foam else None,
            "volume_ml": volume,
            "vessel_type": vessel.value,
            "vessel_diameter_mm": round(rng.uniform(0.2, 0.9), 1) if vessel is VesselType.TELANGIECTASIA else 1.5,
            "delivery": "butterfly" if rng.random() < 0.1 else "needle",
            "lot_number": f"L{rng.randint(10000, 99999)}",
            "reaction": reaction.value,
            "notes": "",
            "override_reason": "",
        }

    def sessions(
        self, patient_id: str, count: int, now: dt.datetime
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], DemoVisit | None]]:
        rng = self.rng
        start = now - dt.timedelta(days=rng.randint(count * 50, 3 * 365 + count * 50))
        weight = round(rng.uniform(48, 110), 1)
        for index in range(count):
            started = start.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)), second=0)
            last = index == count - 1
            session_id = _uuid(rng)
            agent = self._agent_for_session()
            practitioner_id, practitioner_name = rng.choice(self.practitioners)
            state = SessionState.DRAFT if last and rng.random() < 0.3 else SessionState.SIGNED
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
                "signed_at": started + dt.timedelta(minutes=40) if state is SessionState.SIGNED else None,
                "signed_by": practitioner_name if state is SessionState.SIGNED else "",
                "signer_id": practitioner_id if state is SessionState.SIGNED else None,
                "signature_meaning": SIGNATURE_MEANING if state is SessionState.SIGNED else "",
                "created_at": started,
                "updated_at": started,
            }
            sites = []
            foam_left = 8.0
            for number in range(1, rng.randint(10, 40) + 1):
                site = self._site(session_id, number, agent, foam_left)
                if site["form"] == Form.FOAM.value:
                    foam_left -= site["volume_ml"]
                sites.append(site)
            interval = rng.choice((4, 6, 6, 7, 8, 10, 12, 26))
            if index == 0:  # the baseline score of each leg, at the first session
                header["vcss_right"], header["vcss_left"] = self.course.vcss(), self.course.vcss()
            examined = (started + dt.timedelta(weeks=interval)).date()
            visit = None
            if not last and rng.random() < 0.7 and examined <= self.today:
                visit = self.course.visit(
                    patient_id, examined, sites, practitioner_id, practitioner_name, index + 2 >= count
                )
            lots = [self.course.lot(session_id, agent.id, agent.code, started)]
            for site in sites:
                site["lot_number"] = lots[0]["lot_number"]
            yield header, sites, lots, visit
            start = started + dt.timedelta(weeks=interval)
            if start > now:
                break


CHUNK_PATIENTS = 500


def generate_demo(
    ctx: ServiceContext,
    patients: int,
    *,
    seed: int = 1,
    mean_sessions: float = 2.5,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Write a demo clinic of `patients` patients (about `mean_sessions` sessions each) into an empty database."""
    rng = random.Random(seed)
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
            row.code: _Agent(row.id, row.code, tuple(row.concentrations)) for row in catalogue_repo.sclerosant_rows(tx)
        }
        audit.record(tx, ctx, "demo", "clinic", "demo", None, {"patients": patients, "seed": seed})
    generator = _Generator(rng, agents, practitioners, now.date())
    totals = [0, 0, 0, 0]
    max_sessions = max(1, round(mean_sessions * 2) - 1)
    for chunk_start in range(0, patients, CHUNK_PATIENTS):
        patient_rows: list[dict[str, Any]] = []
        term_rows: list[dict[str, Any]] = []
        session_rows: list[dict[str, Any]] = []
        site_rows: list[dict[str, Any]] = []
        lot_rows: list[dict[str, Any]] = []
        visits: list[DemoVisit] = []
        photo_rows: list[dict[str, Any]] = []
        for index in range(chunk_start, min(patients, chunk_start + CHUNK_PATIENTS)):
            patient_row, patient_terms = generator.patient(index + 1, now)
            patient_rows.append(patient_row)
            term_rows.extend(patient_terms)
            count = rng.randint(1, max_sessions) if index % 10 else rng.randint(0, max_sessions)
            course = list(generator.sessions(patient_row["id"], count, now))
            for header, sites, lots, visit in course:
                session_rows.append({"vcss_right": None, "vcss_left": None, **header})
                site_rows.extend(sites)
                lot_rows.extend(lots)
                if visit is not None:
                    visits.append(visit)
            if course and index % PHOTO_EVERY == 1:  # a before photo, and an after photo at the first visit
                first = course[0][0]
                photo_rows.append(
                    generator.course.photo(patient_row["id"], first["started_at"], session_id=first["id"])
                )
                after = next((visit for *_rest, visit in course if visit is not None), None)
                if after is not None:
                    when = dt.datetime.combine(after.header["examined_on"], dt.time(11))
                    photo_rows.append(generator.course.photo(patient_row["id"], when, visit_id=after.header["id"]))
        with ctx.db.write() as tx:
            bulk.insert_rows(tx, PatientRow, patient_rows)
            bulk.insert_rows(tx, PatientSearchTermRow, term_rows)
            if session_rows:
                # Sites go into drafts, which are then signed: a signed session takes no site (the database says so).
                unsigned = {"state": "draft", "signed_at": None, "signed_by": "", "signer_id": None}
                drafts = [{**row, **unsigned, "signature_meaning": ""} for row in session_rows]
                bulk.insert_rows(tx, TreatmentSessionRow, drafts)
            if site_rows:
                bulk.insert_rows(tx, InjectionSiteRow, site_rows)
            if lot_rows:
                bulk.insert_rows(tx, SessionLotRow, lot_rows)
            signed = [row for row in session_rows if row["state"] == "signed"]
            if signed:
                bulk.sign_sessions(tx, signed)
            if visits:
                # As with sessions: the parts go into drafts, which are then signed.
                bulk.insert_rows(tx, FollowUpVisitRow, [visit.header for visit in visits])
                bulk.insert_rows(tx, RegionClearanceRow, [row for visit in visits for row in visit.clearances])
                complications = [row for visit in visits for row in visit.complications]
                if complications:
                    bulk.insert_rows(tx, VisitComplicationRow, complications)
                bulk.sign_visits(tx, [visit.header for visit in visits])
            if photo_rows:
                bulk.insert_rows(tx, PhotoRow, photo_rows)
        totals[0] += len(patient_rows)
        totals[1] += len(session_rows)
        totals[2] += len(site_rows)
        totals[3] += len(visits)
        if progress is not None:
            progress(totals[0], patients)
    return DemoSummary(*totals)
