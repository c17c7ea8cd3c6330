"""The store benchmark, on a generated demo clinic (100,000 patients by default), on SQLite and PostgreSQL.

Figures: generating the clinic (time, peak memory of that process); opening a database and checking its
schema revision (in a fresh process); type-ahead search (median, p95, and the ratio to the same SQL run
through the plain driver, sqlite3 or psycopg, in the same run); loading a 60-site session with totals and
findings; adding one site (committed, audit event included); the peak memory of the benchmark process.

With --postgres the same clinic is generated into a PostgreSQL database over loopback as well and measured
the same way, next to SQLite: `--postgres auto` starts a throwaway server from the PostgreSQL binaries, or
give a postgresql:// URL of an empty database.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url

from sclerochart.bench.postgres_server import MISSING_REASON, PostgresServer, find_server_binaries
from sclerochart.bench.store_baselines import RawSiteAdder, first_searches, ratio_line, timed_pair
from sclerochart.bench.timing import figure
from sclerochart.bench.timing import ms as _ms
from sclerochart.bench.timing import p95 as _p95
from sclerochart.bench.timing import peak_mb as _peak_mb
from sclerochart.bench.timing import summary as _summary
from sclerochart.bench.timing import timed as _timed
from sclerochart.domain.accounts import Role
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, PatientDraft, SessionDraft, Sex, SiteDraft, VesselType, View
from sclerochart.services import accounts, patients, session_detail, sessions, signatures, sites
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD, NAME_GROUPS
from sclerochart.store.audit_chain import event_hash
from sclerochart.store.database import open_database
from sclerochart.store.integrity import verify_audit_chain
from sclerochart.store.models import AuditEventRow
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import bulk


def _generate(where: str, patients_count: int) -> None:
    if "://" not in where:
        for suffix in ("", "-wal", "-shm"):
            Path(where + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sclerochart", "--db", where, "demo", "--patients", str(patients_count)],
        check=True,
    )
    elapsed = time.perf_counter() - started
    print(
        f"generate {patients_count} patients: {elapsed:7.1f} s"
        f"   peak memory {_peak_mb(resource.RUSAGE_CHILDREN):6.0f} MB"
    )
    from sclerochart.bench.timing import figure  # here, so that this function is all this change touches

    engine = " on PostgreSQL" if "://" in where else ""
    figure(f"generate the {patients_count:,}-patient clinic{engine}", elapsed, unit="s", target="≤ 90 s")


_OPEN_SCRIPT = """
import time, resource
t0 = time.perf_counter()
from sclerochart.store.audit_chain import event_hash
from sclerochart.store.database import open_database
from sclerochart.store.integrity import verify_audit_chain
from sclerochart.store.models import AuditEventRow
from sclerochart.store.repositories import audit as audit_repo
from sclerochart.store.repositories import bulk
from sclerochart.bench.timing import ms as _ms, peak_mb as _peak_mb, summary as _summary, timed as _timed
t1 = time.perf_counter()
db = open_database({path!r}, create=False)
t2 = time.perf_counter()
db.close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{(t1 - t0) * 1000:.1f}} {{(t2 - t1) * 1000:.1f}} {{peak:.0f}}")
"""


def _open_and_check(path: str, repeat: int = 5) -> None:
    imports, opens = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _OPEN_SCRIPT.format(path=str(path))], check=True, capture_output=True, text=True
        ).stdout.split()
        imports.append(float(out[0]))
        opens.append(float(out[1]))
    print(
        f"open database + check schema revision (fresh process): median {statistics.median(opens):6.1f} ms"
        f"   (+ {statistics.median(imports):.0f} ms to import the store)   peak memory {out[2]} MB"
    )


def _queries(rng: random.Random, count: int) -> list[str]:
    words = [name for group in NAME_GROUPS for names in group[1:] for name in names]
    queries = []
    for _ in range(count):
        kind = rng.random()
        word = rng.choice(words)
        if kind < 0.6:
            queries.append(word[: rng.randint(1, min(5, len(word)))])
        elif kind < 0.8:
            other = rng.choice(words)
            queries.append(f"{word[: rng.randint(2, 4)]} {other[:2]}")
        elif kind < 0.9:
            queries.append(f"D{rng.randint(1, 99999):06d}"[: rng.randint(3, 7)])
        else:
            queries.append(f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1941, 2007)}")
    return queries


def _plain_driver(where: str) -> Any:
    """A connection of the plain driver to the same database, to run the recorded SQL through."""
    if "://" not in where:
        return sqlite3.connect(where)
    import psycopg  # only the PostgreSQL run needs it

    return psycopg.connect(make_url(where).set(drivername="postgresql").render_as_string(hide_password=False))


def _search(ctx: ServiceContext, where: str, rng: random.Random) -> None:
    queries = _queries(rng, 600)
    for query in queries[:50]:  # warm the page cache the same way for both
        patients.search_patients(ctx, query)
    recorded: list[list[tuple[str, object]]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: object, *_: object) -> None:
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            recorded[-1].append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", record)
    for query in queries:  # record the exact SQL each search sends to the driver
        recorded.append([])
        patients.search_patients(ctx, query)
    event.remove(ctx.db.engine, "before_cursor_execute", record)
    raw_connection = _plain_driver(where)
    driver = "sqlite3" if "://" not in where else "psycopg"
    ours: list[float] = []
    raw: list[float] = []

    def plain(statements: list[tuple[str, object]]) -> None:
        for sql, parameters in statements:
            raw_connection.execute(sql, parameters).fetchall()
        if driver == "psycopg":
            raw_connection.rollback()  # a read each, as ScleroChart's

    # Interleaved, so that both see the same load; who goes first alternates, as the first to ask reads the
    # query's pages from the disk and the second finds them in the system's cache.
    for index, (query, statements) in enumerate(zip(queries, recorded, strict=True)):
        for turn in ("ours", "plain") if index % 2 else ("plain", "ours"):
            started = time.perf_counter()
            if turn == "ours":
                patients.search_patients(ctx, query)
            else:
                plain(statements)
            (ours if turn == "ours" else raw).append(_ms(time.perf_counter() - started))
    raw_connection.close()
    print(f"type-ahead search ({len(queries)} queries):    {_summary(ours)}")
    print(f"  same SQL in plain {driver}:{' ' * (21 - len(driver))}{_summary(raw)}")
    ratio = statistics.median(ours) / statistics.median(raw)
    print(f"  ratio ScleroChart / {driver} (medians):{' ' * (8 - len(driver))}{ratio:.2f}")
    on = "" if driver == "sqlite3" else " on PostgreSQL"
    figure(f"search median, 100,000 patients{on}", statistics.median(ours), baseline=statistics.median(raw),
           baseline_name=f"the same SQL in plain {driver}", target="≤ 1.5× baseline")  # fmt: skip
    figure(f"search p95, 100,000 patients{on}", _p95(ours), baseline=_p95(raw),
           baseline_name=f"the same SQL in plain {driver}", target="≤ 10 ms")  # fmt: skip
    query_sets = [_queries(random.Random(seed), 4) for seed in range(100, 106)]
    _, cold = first_searches(where, query_sets, prepare=False)
    prepared, first = first_searches(where, query_sets, prepare=True)
    print(f"first searches in a fresh process ({len(first)}, the list at start, then 4 typed):")
    print(f"  search prepared once the database is open:  {_summary(first)}")
    print(f"  preparing it (patients.prepare_search):     median {statistics.median(prepared):7.2f} ms")
    print(f"  not prepared:                               {_summary(cold)}")
    figure(f"first searches after start, search prepared at open (median){on}", statistics.median(first),
           baseline=statistics.median(cold), baseline_name="not prepared", target="≤ 10 ms")  # fmt: skip
    figure(f"first searches after start, search prepared at open (p95){on}", _p95(first),
           baseline=_p95(cold), baseline_name="not prepared", target="≤ 10 ms")  # fmt: skip


def _site(view: View, leg: int, height: float, concentration: float = 0.5, volume_ml: float = 0.2) -> SiteDraft:
    x, y = point_for(view, leg, height, 0.2)
    return SiteDraft(view, x, y, 1, concentration, Form.LIQUID, volume_ml, VesselType.TELANGIECTASIA)


_VOLUMES = (0.1, 0.15, 0.2, 0.25, 0.3)
"""A session's volumes: ten doses over 60 sites with two strengths (a real session varies; same-day sites are
read grouped by dose, so alike sites would flatter the click)."""


def _signed_in(ctx: ServiceContext) -> None:
    """A demo practitioner who may sign, signed in on `ctx` as in the program (a click checks their account)."""
    people = accounts.list_accounts(ctx, include_inactive=False)
    login = next(p.login for p in people if p.login and p.role in (Role.ADMINISTRATOR, Role.PHYSICIAN))
    accounts.sign_in(ctx, login, DEMO_PASSWORD)


def _sign(ctx: ServiceContext, session_id: str) -> None:
    """The session completed (practitioner, consent, checklist) and signed, as a visit is before the next starts."""
    person = ctx.person
    assert person is not None
    header = session_detail.get_session(ctx, session_id).session
    draft = replace(header.draft(), practitioner_id=person.id, consent=True, checklist_reviewed=True)
    version = sessions.update_session(ctx, session_id, draft, header.details_version).version
    signatures.sign_session(ctx, session_id, version, DEMO_PASSWORD)


def _patient_with_session(ctx: ServiceContext, given_name: str) -> tuple[str, str]:
    """(patient id, session id) of a new patient with a session of 60 sites (ten doses)."""
    born = ctx.today().replace(year=1970)
    chart = f"BENCH-{uuid.uuid4().hex[:12]}"
    patient = patients.create_patient(ctx, PatientDraft(chart, "Bench", given_name, born, Sex.FEMALE))
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    views = list(View)
    for index in range(60):
        dose = {"concentration": 0.5 if index < 30 else 1.0, "volume_ml": _VOLUMES[index % 5]}
        sites.add_site(ctx, session_id, _site(views[index % 6], 0, 5 + index * 1.5, **dose))
    return patient.id, session_id


def _sessions(ctx: ServiceContext, where: str, rng: random.Random) -> None:
    _signed_in(ctx)
    patient_id, session_id = _patient_with_session(ctx, "Mark")
    detail = session_detail.get_session(ctx, session_id)
    assert len(detail.sites) == 60
    loading = _timed(lambda: session_detail.get_session(ctx, session_id), 200)
    print(f"load a 60-site session with totals:      {_summary(loading)}")
    _sign(ctx, session_id)
    # A heavy patient whose morning session (60 sites, signed) counts for the day: 260 sites the same day stay
    # within the daily limit, so every add runs the whole check.
    name = "add one site (committed, audited), the day's other session signed"
    _clicks(ctx, where, patient_id, name, "≤ 3× baseline", read_back=True)
    # The same with the day's other session still a draft (another room charting the same patient at the same
    # time, which is rare): its doses are read at every click. Shown beside the others, without the target.
    patient_id, _ = _patient_with_session(ctx, "Draft")
    _clicks(ctx, where, patient_id, "add one site, the day's other session a draft in another room", "")
    born = ctx.today().replace(year=1970)
    alone = patients.create_patient(
        ctx, PatientDraft(f"BENCH-{uuid.uuid4().hex[:12]}", "Bench", "Alone", born, Sex.MALE)
    )
    _clicks(ctx, where, alone.id, "add one site, no other session that day", "≤ 3× baseline")


def _clicks(ctx: ServiceContext, where: str, patient_id: str, name: str, target: str, read_back: bool = False) -> None:
    """Sites added to a new session of the patient as the charting screen adds them, against the plain driver."""
    adding = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=250.0)).id
    counter = iter(range(10_000))
    views = list(View)
    shown = [session_detail.get_session(ctx, adding)]

    def add() -> None:
        # As the charting screen does: the session it shows goes along, and comes back with the new site.
        index = next(counter)
        shown[0] = sites.add_site(ctx, adding, _site(views[index % 6], 0, 5 + (index % 90)), shown=shown[0]).detail

    if "://" in where:
        print(f"{name}: {_summary(_timed(add, 200))}")
    else:  # the plain driver's adds go to another patient's session, interleaved with ours
        add()
        born = ctx.today().replace(year=1970)
        chart = f"BENCH-{uuid.uuid4().hex[:12]}"
        other = patients.create_patient(ctx, PatientDraft(chart, "Bench", "Raw", born, Sex.MALE))
        raw_session = sessions.start_session(ctx, other.id, SessionDraft(None, ctx.clock(), weight_kg=250.0)).id
        raw = RawSiteAdder(where, raw_session, shown[0].sites[-1].id)
        ours, plain = timed_pair(add, raw.add, 200)
        raw.close()
        print(f"{name}: {_summary(ours)}")
        print(f"  raw sqlite3 INSERT site + UPDATE session + INSERT audit + COMMIT: {_summary(plain)}")
        print(ratio_line("  ratio ScleroChart / sqlite3 (medians):   ", ours, plain))
        figure(name, statistics.median(ours), baseline=statistics.median(plain),
               baseline_name="raw sqlite3 INSERT site + audit + COMMIT", target=target)  # fmt: skip
    if read_back:
        full = _timed(lambda: session_detail.get_session(ctx, adding), 50)
        print(f"  … its session read back in full instead: {_summary(full)}")


CHAIN_EVENTS = 300_000


def _audit_chain(ctx: ServiceContext, events: int = CHAIN_EVENTS) -> None:
    """Append `events` chained audit events (in bulk, as a busy clinic's years would leave), then verify the chain."""
    with ctx.db.read() as tx:
        previous = audit_repo.chain_head(tx)
    at = ctx.clock()
    rows = []
    for number in range(events):
        before, after = {"volume_ml": 0.2}, {"volume_ml": round(0.2 + number % 7 / 10, 1)}
        current = event_hash(previous, at, "bench", "update", "site", str(number), "bench", "bench", before, after)
        rows.append(
            {"at": at, "actor": "bench", "action": "update", "entity": "site", "entity_id": str(number),
             "origin": "bench", "room": "bench", "before": before, "after": after,
             "previous_hash": previous, "hash": current}
        )  # fmt: skip
        previous = current
    with ctx.db.write() as tx:
        bulk.insert_rows(tx, AuditEventRow, rows)
    started = time.perf_counter()
    result = verify_audit_chain(ctx.db)
    elapsed = time.perf_counter() - started
    with ctx.db.read() as tx:
        total = audit_repo.newest_audit_id(tx)
    assert result.ok, result.detail
    print(
        f"verify the audit chain ({total} events): {elapsed:6.1f} s, {total / elapsed * 60 / 1e6:.2f} million a minute"
    )


def _measure(where: str, label: str, patients_count: int, reuse: bool) -> None:
    print(f"--- {label} ---")
    if not reuse:
        _generate(where, patients_count)
    _open_and_check(where)
    db = open_database(where, create=False)
    ctx = ServiceContext(db, "bench")
    with db.read() as tx:
        counts = (
            tx.connection()
            .exec_driver_sql(
                "SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM treatment_sessions),"
                " (SELECT count(*) FROM injection_sites)"
            )
            .one()
        )
    size = f", {Path(where).stat().st_size / 2**20:.0f} MB" if "://" not in where else ""
    print(f"clinic: {counts[0]} patients, {counts[1]} sessions, {counts[2]} sites{size}")
    rng = random.Random(7)
    _search(ctx, where, rng)
    _sessions(ctx, where, rng)
    _audit_chain(ctx)
    db.close()


def main(argv: list[str]) -> int:
    """Run the store benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench store")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sclerochart-bench")
    parser.add_argument("--reuse", action="store_true", help="reuse a clinic generated by an earlier run")
    parser.add_argument(
        "--postgres",
        metavar="auto|URL",
        help="also measure PostgreSQL over loopback: 'auto' starts a throwaway server, or an empty database's URL",
    )
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"clinic-{args.patients}.sqlite3"
    _measure(str(path), "SQLite", args.patients, args.reuse and path.exists())
    if args.postgres:
        server: PostgresServer | None = None
        url = args.postgres
        if url == "auto":
            bin_dir = find_server_binaries()
            if bin_dir is None:
                print(f"PostgreSQL not measured: {MISSING_REASON}")
                return 1
            server = PostgresServer.start(bin_dir)
            url = server.url(server.create_database())
        try:
            _measure(url, "PostgreSQL over loopback", args.patients, False)
        finally:
            if server is not None:
                server.stop()
    print(f"peak memory of this benchmark process: {_peak_mb(resource.RUSAGE_SELF):.0f} MB")
    return 0
