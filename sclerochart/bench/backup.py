"""The backup and encryption benchmark, on a copy of a generated clinic (100,000 patients by default).

`python -m sclerochart.bench backup [--clinic PATH] [--patients N] [--adds N]`

Figures: a verified backup (online copy, integrity check, rows counted, checksum) with its size; a restore
of that copy (checked again, copied into place, audit event); encrypting the file; a verified backup of the
encrypted file; adding one site (committed, audit event included) on the plain and on the encrypted file,
measured alternately in the same run, with the ratio of the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sclerochart.domain.backups import size_in_words
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, PatientDraft, SessionDraft, Sex, SiteDraft, VesselType, View
from sclerochart.services import backups, patients, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import Database, open_database
from sclerochart.store.encryption import encrypt_file

PASSPHRASE = "benchmark passphrase, not a real one"
T = TypeVar("T")


def _timed(label: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    print(f"{label:<44} {time.perf_counter() - started:8.2f} s")
    return result


def _session(db: Database) -> tuple[ServiceContext, str]:
    ctx = ServiceContext(db, actor="benchmark")
    patient = patients.create_patient(
        ctx, PatientDraft(f"BENCH-{time.monotonic_ns()}", "Bench", "Mark", dt.date(1970, 1, 1), Sex.FEMALE)
    )
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=80.0))
    return ctx, session.id


def _add(ctx: ServiceContext, session_id: str, index: int) -> float:
    view = (View.ANTERIOR, View.POSTERIOR)[index % 2]
    x, y = point_for(view, index % 2, 10 + index % 80, 0.0)
    draft = SiteDraft(view=view, x=x, y=y, agent_id=1, concentration=0.5, form=Form.LIQUID, volume_ml=0.01,
                      vessel_type=VesselType.TELANGIECTASIA)  # fmt: skip
    started = time.perf_counter()
    sites.add_site(ctx, session_id, draft)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench backup")
    parser.add_argument("--clinic", type=Path, help="an existing clinic file to copy (default: generate one)")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--adds", type=int, default=200, help="sites added on each file (default 200)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="sclerochart-bench-backup-"))
    try:
        plain = folder / "clinic.sqlite3"
        if args.clinic is not None:
            shutil.copyfile(args.clinic, plain)
        else:
            subprocess.run([sys.executable, "-m", "sclerochart", "--db", str(plain), "demo", "--patients",
                            str(args.patients)], check=True)  # fmt: skip
        open_database(str(plain)).close()  # brought up to date before anything is measured
        print(f"clinic: {plain.stat().st_size / 1e6:.0f} MB")
        db = open_database(str(plain))
        ctx = ServiceContext(db, actor="benchmark")
        copy = _timed("verified backup (plain)", lambda: backups.make_backup(ctx, folder / "copies"))
        print(f"{'  its size':<44} {size_in_words(copy.size):>10}; holds {copy.holds.in_words()}")
        db.close()
        restored = copy
        _timed("restore of that copy", lambda: backups.restore(plain, restored, "benchmark", dt.datetime.now()))
        encrypted = folder / "encrypted.sqlite3"
        shutil.copyfile(plain, encrypted)
        _timed("encrypt the file", lambda: encrypt_file(encrypted, PASSPHRASE))
        secret = open_database(str(encrypted), passphrase=PASSPHRASE)
        secret_ctx = ServiceContext(secret, actor="benchmark")
        _timed("verified backup (encrypted)", lambda: backups.make_backup(secret_ctx, folder / "secret"))
        db = open_database(str(plain))
        plain_ctx, plain_session = _session(db)
        secret_ctx, secret_session = _session(secret)
        plain_times, secret_times = [], []
        for index in range(args.adds):  # alternately, so that machine noise falls on both alike
            plain_times.append(_add(plain_ctx, plain_session, index))
            secret_times.append(_add(secret_ctx, secret_session, index))
        plain_median, secret_median = statistics.median(plain_times), statistics.median(secret_times)
        for label, median, times in (("plain", plain_median, plain_times), ("encrypted", secret_median, secret_times)):
            print(f"add one site, {label:<10} median {median * 1000:6.2f} ms  p95 {_p95(times) * 1000:6.2f} ms")
        print(f"encrypted / plain (medians): {secret_median / plain_median:.2f}")
        db.close()
        secret.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]
