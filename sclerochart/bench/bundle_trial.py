"""The bundle tried as a clinic would: copied out of the checkout, then every kind of use, and its figures.

`python -m sclerochart.bench.bundle_trial dist/ScleroChart` (make bundle-check; CI runs it after the tests):
the folder is copied to a temporary place, and from there the command line gives its version, writes a
demo clinic, checks it, writes a session report, opens the window offscreen and writes a treatment
summary from it, and does the same on a throwaway PostgreSQL server. It prints the bundle's size and its
start-up times beside the same from the source checkout, measured in the same run.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sclerochart.bench.postgres_server import MISSING_REASON, PostgresServer, find_server_binaries
from sclerochart.services.demo import DEMO_PASSWORD

ROUNDS = 5


def _run(command: list[str], environment: dict[str, str], *, expect: str = "") -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False, timeout=600)
    if done.returncode != 0 or expect not in done.stdout:
        raise SystemExit(
            f"bundle trial failed: {' '.join(command)}\nexit {done.returncode}\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-3000:]}"
        )
    return done.stdout


def _seconds(command: list[str], environment: dict[str, str]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        _run(command, environment)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _size(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink()) / 2**20


def main(argv: list[str]) -> int:
    """Try the bundle in the folder given; exit 0 when every use worked."""
    if len(argv) != 1:
        print("usage: python -m sclerochart.bench.bundle_trial BUNDLE_FOLDER", file=sys.stderr)
        return 2
    bundle = Path(argv[0]).resolve()
    with tempfile.TemporaryDirectory(prefix="sclerochart-bundle-") as scratch:
        place = Path(scratch)
        copy = place / "ScleroChart"
        shutil.copytree(bundle, copy, symlinks=True)
        cli = str(copy / "sclerochart-cli")
        home = place / "home"
        home.mkdir()
        environment = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("SCLEROCHART_", "PYTHON"))},
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "QT_QPA_PLATFORM": "offscreen",
            "SCLEROCHART_PASSWORD": DEMO_PASSWORD,
        }
        clinic = str(place / "clinic.sqlite3")
        version = _run([cli, "--version"], environment, expect="ScleroChart").strip()
        _run([cli, "--db", clinic, "demo", "--patients", "30"], environment, expect="patients")
        _run([cli, "--db", clinic, "check"], environment)
        _run([cli, "--db", clinic, "patients"], environment, expect="Chart")  # the quick way, without SQLAlchemy
        with sqlite3.connect(clinic) as connection:
            (session_id,) = connection.execute(
                "SELECT id FROM treatment_sessions ORDER BY started_at LIMIT 1"
            ).fetchone()
        report = place / "report.pdf"
        _run([cli, "--db", clinic, "report", session_id, "-o", str(report), "--user", "ana"], environment)
        summary = place / "summary.pdf"
        _run([cli, "--db", clinic, "selftest", "--export", str(summary), "--user", "ana"], environment, expect="opened")
        for made in (report, summary):
            if not made.read_bytes().startswith(b"%PDF"):
                raise SystemExit(f"bundle trial failed: {made.name} is not a PDF")
        print(f"{version}: demo, check, patients, report and the window (offscreen, summary exported) from {copy}")
        bin_dir = find_server_binaries()
        if bin_dir is None:
            print(f"PostgreSQL not tried: {MISSING_REASON}")
            if os.environ.get("CI"):
                return 1
        else:
            server = PostgresServer.start(bin_dir)
            try:
                url = server.url(server.create_database())
                _run([cli, "--db", url, "demo", "--patients", "5"], environment, expect="patients")
                _run([cli, "--db", url, "check"], environment)
                _run([cli, "--db", url, "selftest", "--user", "ana"], environment, expect="opened")
                print("PostgreSQL: demo, check and the window on a throwaway server, through the bundled driver")
            finally:
                server.stop()
        source = [sys.executable, "-m", "sclerochart"]
        source_environment = {**environment, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        window = ["--db", clinic, "selftest", "--user", "ana"]
        figures = {
            "--version": (
                _seconds([cli, "--version"], environment),
                _seconds([*source, "--version"], source_environment),
            ),
            "window shown, summary made": (
                _seconds([cli, *window], environment),
                _seconds([*source, *window], source_environment),
            ),
        }
        print(f"bundle size: {_size(copy):.0f} MB ({bundle})")
        for what, (from_bundle, from_source) in figures.items():
            print(
                f"start-up, {what}: bundle {from_bundle:.2f} s, source {from_source:.2f} s "
                f"(median of {ROUNDS}; bundle/source {from_bundle / from_source:.2f})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
