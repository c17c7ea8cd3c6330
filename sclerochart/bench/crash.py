"""Crash trials: a writer killed with SIGKILL at a random moment, then everything it acknowledged is checked.

`python -m sclerochart.bench crash --trials N [--seed S] [--dir DIR]`

Each trial starts a writer process on a copy of a small clinic. The writer does one kind of work in a loop
(site adds, site edits, a schema upgrade, backups, PDF exports) and, after each piece of work the program
acknowledged, appends a line to its log and forces it to disk. At a random moment the trial kills it with
SIGKILL: no clean-up of the program runs, as when it is killed or crashes (what the operating system had
accepted still reaches the disk, so a power cut, which also loses that, is not what this tries). Then the
trial opens the database as the program would and checks: SQLite's integrity check, the audit chain and the program's
other checks; every acknowledged site with its values and its audit event; every named backup copy
verifies; every PDF written is whole. Runs on POSIX systems (SIGKILL).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

KINDS = ("add", "edit", "migrate", "backup", "export")
ACTOR = "crash trial writer"
OLD_REVISION = "0006"
"""The schema the upgrade trials start from (before the accounts and signing columns)."""
OLD_PATIENTS = 3000
"""Patients in the clinic the upgrade trials start from (enough for the upgrade to take a moment)."""


@dataclasses.dataclass
class Outcome:
    """One trial's result."""

    kind: str
    acknowledged: int
    lost: list[str]
    """Acknowledged work not found as acknowledged (a lost write, a missing audit event, a bad copy)."""
    killed_after_ms: int


# The writer ---------------------------------------------------------------------------------------------
def _ack(log: object, line: str) -> None:
    log.write(line + "\n")  # type: ignore[attr-defined]
    log.flush()  # type: ignore[attr-defined]
    os.fsync(log.fileno())  # type: ignore[attr-defined]


def _writer(kind: str, database: Path, log_path: Path, out: Path, seed: int) -> None:
    """Do one kind of work until killed; acknowledge each piece in the log once the program returned."""
    from sclerochart.domain.diagram import point_for
    from sclerochart.domain.values import Form, SiteDraft, VesselType, View
    from sclerochart.services.context import ServiceContext
    from sclerochart.store.database import open_database

    rng = random.Random(seed)
    with log_path.open("a", encoding="utf-8") as log:
        _ack(log, "ready")
        if kind == "migrate":
            started = time.monotonic()
            open_database(str(database)).close()
            _ack(log, f"migrated {(time.monotonic() - started) * 1000:.0f}")
            return
        db = open_database(str(database))
        ctx = ServiceContext(db, actor=ACTOR)

        def draft(volume: float) -> SiteDraft:
            view = rng.choice([View.ANTERIOR, View.POSTERIOR])
            x, y = point_for(view, rng.randint(0, 1), rng.uniform(15, 85), 0.0)
            return SiteDraft(view=view, x=x, y=y, agent_id=1, concentration=0.5, form=Form.LIQUID,
                             volume_ml=volume, vessel_type=VesselType.TELANGIECTASIA)  # fmt: skip

        session_id = _open_session(db)
        if kind == "add":
            from sclerochart.services import sites

            while True:
                volume = round(rng.uniform(0.05, 0.1), 2)
                change = sites.add_site(ctx, session_id, draft(volume))
                _ack(log, f"site {change.sites[0].id} {volume}")
        elif kind == "edit":
            from sclerochart.services import sites

            site = sites.add_site(ctx, session_id, draft(0.1)).sites[0]
            _ack(log, f"site {site.id} 0.1")
            while True:
                volume = round(rng.uniform(0.05, 0.1), 2)
                moved = dataclasses.replace(draft(volume), x=site.x, y=site.y, view=site.view)
                site = sites.edit_site(ctx, site.id, moved, site.version).sites[0]
                _ack(log, f"edit {site.id} {site.version} {volume}")
        elif kind == "backup":
            from sclerochart.services import backups

            while True:
                copy = backups.make_backup(ctx, out)
                _ack(log, f"copy {copy.path} {copy.made_at.isoformat()}")
        elif kind == "export":
            from sclerochart.reports.export import save_pdf
            from sclerochart.reports.session_report import session_report
            from sclerochart.services import records

            record = records.session_record(ctx, session_id)
            number = 0
            while True:
                number += 1
                pdf = session_report(record, dt.datetime.now(), deterministic=False)
                written = save_pdf(pdf, out / f"report-{number}.pdf")
                _ack(log, f"pdf {written} {len(pdf)}")


def _open_session(db: object) -> str:
    from sqlalchemy import text

    with db.read() as tx:  # type: ignore[attr-defined]
        return str(tx.execute(text("SELECT id FROM treatment_sessions WHERE state = 'draft' LIMIT 1")).scalar_one())


# The trial ----------------------------------------------------------------------------------------------
def _make_clinic(folder: Path) -> tuple[Path, Path]:
    """A small current clinic with a draft session, and the same at the old schema for upgrade trials."""
    from sqlalchemy import text

    from sclerochart.domain.search import sort_key, terms
    from sclerochart.domain.values import PatientDraft, SessionDraft, Sex
    from sclerochart.services import patients, sessions
    from sclerochart.services.context import ServiceContext
    from sclerochart.services.demo import generate_demo
    from sclerochart.store.database import open_database
    from sclerochart.store.engine import make_engine, parse_target
    from sclerochart.store.migrate import upgrade

    current = folder / "current.sqlite3"
    db = open_database(str(current))
    ctx = ServiceContext(db, actor=ACTOR)
    generate_demo(ctx, 20, seed=3)
    patient = patients.create_patient(ctx, PatientDraft("CRASH-1", "Trial", "Writer", dt.date(1970, 1, 1), Sex.FEMALE))
    sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    db.close()
    old = folder / "old.sqlite3"
    engine = make_engine(parse_target(str(old)), create=True)
    with engine.begin() as connection:
        upgrade(connection, OLD_REVISION)
        key = sort_key("Old", "Patient")
        rows = [{"id": f"old-{number}", "chart": f"OLD-{number}", "key": key} for number in range(OLD_PATIENTS)]
        connection.execute(text(
            "INSERT INTO patients (id, chart_number, family_name, given_name, sort_key, date_of_birth, sex, phone,"
            " email, address, allergies, history, notes, archived, created_at, updated_at) VALUES (:id, :chart,"
            " 'Old', 'Patient', 'old patient', '1960-01-01', 'female', '', '', '', '', '[]', '', 0,"
            " '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
        ), rows)  # fmt: skip
        words = [{"id": row["id"], "term": term, "key": key}
                 for row in rows for term in terms("Old", "Patient", row["chart"])]  # fmt: skip
        connection.execute(text("INSERT INTO patient_search_terms (term, patient_id, sort_key, archived) "
                                "VALUES (:term, :id, :key, 0)"), words)  # fmt: skip
    engine.dispose()
    return current, old


def _copy_database(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


_UPGRADE_MS = [300]
"""How long an upgrade has taken when not killed (the kill moments of the upgrade trials spread over it)."""


def run_trial(kind: str, clinic: tuple[Path, Path], folder: Path, rng: random.Random) -> Outcome:
    """One writer, killed at a random moment; what it acknowledged, and what of that was not found."""
    folder.mkdir(parents=True)
    database = folder / "clinic.sqlite3"
    _copy_database(clinic[1] if kind == "migrate" else clinic[0], database)
    out = folder / "out"
    out.mkdir()
    log_path = folder / "acknowledged.log"
    log_path.touch()
    command = [sys.executable, "-m", "sclerochart.bench.crash", "--child", kind, str(database), str(log_path),
               str(out), str(rng.randrange(1 << 30))]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while "ready" not in log_path.read_text(encoding="utf-8") and child.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.005)
    # The upgrade is over in a few hundred ms: kill it early; the others go on as long as wanted.
    delay_ms = rng.randint(0, int(_UPGRADE_MS[0] * 1.1)) if kind == "migrate" else rng.randint(20, 1200)
    time.sleep(delay_ms / 1000)
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    child.wait()
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    child.stderr.close() if child.stderr else None
    lines = log_path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("migrated "):
            _UPGRADE_MS[0] = int(line.split(" ")[1]) + 60  # and the time the writer takes to start it
    lost = _check(kind, database, out, lines)
    if child.returncode not in (-signal.SIGKILL, 0):
        lost.append(f"the writer failed on its own (exit {child.returncode}): {stderr.strip()[-300:]}")
    return Outcome(kind, sum(1 for line in lines if line != "ready"), lost, delay_ms)


def _check(kind: str, database: Path, out: Path, lines: list[str]) -> list[str]:
    """What the acknowledged lines say is stored, compared with what the database and the folder hold."""
    from sqlalchemy import text

    from sclerochart.store.backups import list_copies, read_copy
    from sclerochart.store.database import open_database
    from sclerochart.store.integrity import run_checks
    from sclerochart.store.restore import verify_copy

    lost: list[str] = []
    db = open_database(str(database))
    try:
        lost += [f"check failed: {r.name}: {r.detail}" for r in run_checks(db) if not r.ok]
        with db.read() as tx:
            volumes = {int(i): float(v) for i, v in tx.execute(text("SELECT id, volume_ml FROM injection_sites"))}
            versions = {int(i): int(v) for i, v in tx.execute(text("SELECT id, version FROM injection_sites"))}
            audited = Counter(
                (str(a), str(e)) for a, e in tx.execute(text("SELECT action, entity_id FROM audit_events "
                                                             "WHERE entity = 'site'"))
            )  # fmt: skip
            patients = int(tx.execute(text("SELECT count(*) FROM patients")).scalar_one())
    finally:
        db.close()
    last_copy: tuple[str, dt.datetime] | None = None
    """The last acknowledged copy: it, or a newer one made after it (rotation then removed it), must be there."""
    acknowledged: dict[int, tuple[int, float]] = {}
    """Per site: the last acknowledged version and volume."""
    for line in lines:
        word, *rest = line.split(" ")
        if word == "site":
            site_id, volume = int(rest[0]), float(rest[1])
            acknowledged[site_id] = (1, volume)
            if audited[("create", str(site_id))] != 1:
                lost.append(f"acknowledged site {site_id} has no audit event")
        elif word == "edit":
            site_id, version, volume = int(rest[0]), int(rest[1]), float(rest[2])
            acknowledged[site_id] = (version, volume)
            if audited[("update", str(site_id))] < version - 1:
                lost.append(f"acknowledged edit {version} of site {site_id} has no audit event")
        elif word == "copy":
            last_copy = (rest[0], dt.datetime.fromisoformat(rest[1]))
        elif word == "pdf":
            path, size = Path(rest[0]), int(rest[1])
            if not path.is_file() or path.stat().st_size != size:
                lost.append(f"acknowledged PDF {path.name} is missing or incomplete")
    if last_copy is not None and not (
        read_copy(Path(last_copy[0])) is not None or any(c.made_at >= last_copy[1] for c in list_copies(out))
    ):
        lost.append(f"the last acknowledged copy {last_copy[0]} is missing, and no newer one is there")
    for site_id, (version, volume) in acknowledged.items():
        if site_id not in versions:
            lost.append(f"acknowledged site {site_id} is not stored")
        elif versions[site_id] == version and abs(volumes[site_id] - volume) > 1e-9:
            lost.append(f"site {site_id} holds {volumes[site_id]} mL at version {version}, acknowledged {volume} mL")
        elif not version <= versions[site_id] <= version + 1:  # one change may be stored, not yet acknowledged
            lost.append(f"site {site_id} is at version {versions[site_id]}, acknowledged {version}")
    for copy in [*list_copies(out), *list_copies(database.parent / "Backups")]:  # every named copy verifies
        try:
            verify_copy(copy)
        except Exception as error:  # reported as a finding, not raised
            lost.append(f"copy {copy.name} does not verify: {error}")
    for pdf in out.glob("*.pdf"):
        if not pdf.read_bytes().rstrip().endswith(b"%%EOF"):
            lost.append(f"{pdf.name} is cut short")
    if kind == "migrate" and patients != OLD_PATIENTS:
        lost.append(f"the upgrade left {patients} of {OLD_PATIENTS} patients")
    return lost


def run_trials(trials: int, seed: int, folder: Path, say: Callable[[str], None] = print) -> list[Outcome]:
    """Run the trials, the kinds taken in turn; each outcome."""
    rng = random.Random(seed)
    clinic = _make_clinic(folder)
    outcomes = []
    for number in range(trials):
        kind = KINDS[number % len(KINDS)]
        outcome = run_trial(kind, clinic, folder / f"trial-{number:04d}", rng)
        outcomes.append(outcome)
        shutil.rmtree(folder / f"trial-{number:04d}", ignore_errors=True)
        for problem in outcome.lost:
            say(f"  trial {number} ({kind}, killed after {outcome.killed_after_ms} ms): {problem}")
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """The figures, per kind of work and in all."""
    rows = []
    for kind in KINDS:
        mine = [o for o in outcomes if o.kind == kind]
        if mine:
            acks = sum(o.acknowledged for o in mine)
            bad = sum(1 for o in mine if o.lost)
            rows.append(f"  {kind:<8} {len(mine):>6} trials  {acks:>7} acknowledged  {bad:>3} with a problem")
    total_bad = sum(1 for o in outcomes if o.lost)
    acks = sum(o.acknowledged for o in outcomes)
    return "\n".join(
        [*rows, f"  all      {len(outcomes):>6} trials  {acks:>7} acknowledged  {total_bad:>3} with a problem"]
    )


def main(argv: list[str]) -> int:
    """Run the crash trials and print their figures; exit 1 when any trial found a problem."""
    if argv[:1] == ["--child"]:
        kind, database, log_path, out, seed = argv[1:6]
        _writer(kind, Path(database), Path(log_path), Path(out), int(seed))
        return 0
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench crash")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="where the trials run (default: a temporary folder)")
    args = parser.parse_args(argv)
    if not hasattr(signal, "SIGKILL"):
        print("Crash trials need SIGKILL (Linux or macOS).")
        return 2
    folder = args.dir or Path(tempfile.mkdtemp(prefix="sclerochart-crash-"))
    started = time.monotonic()
    outcomes = run_trials(args.trials, args.seed, folder)
    print(f"Crash trials: {args.trials}, seed {args.seed}, {time.monotonic() - started:.0f} s")
    print(summary(outcomes))
    if args.dir is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if any(o.lost for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
