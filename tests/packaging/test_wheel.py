"""The built wheel carries what the program needs: installed on its own, it opens a database and makes a report."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run from outside the checkout, with only the installed wheel on the path before the environment's packages.
SCRIPT = r"""
import datetime as dt, sys, pathlib
import sclerochart
from sclerochart import paths
assert pathlib.Path(sclerochart.__file__).is_relative_to(pathlib.Path(sys.argv[1])), sclerochart.__file__
assert paths.fonts_dir().is_relative_to(pathlib.Path(sys.argv[1])), paths.fonts_dir()
from sclerochart.store.database import open_database
from sclerochart.services.context import ServiceContext
from sclerochart.services import patients, records, sessions, sites
from sclerochart.domain.values import PatientDraft, SessionDraft, SiteDraft, Sex, View, Form, VesselType
from sclerochart.domain.diagram import point_for
from sclerochart.reports.session_report import session_report
from sclerochart.reports.handout import aftercare_handout
ctx = ServiceContext(open_database(sys.argv[2]), "wheel test")
patient = patients.create_patient(ctx, PatientDraft("W-1", "Łukasiewicz", "Zoë", dt.date(1970, 1, 1), Sex.FEMALE))
session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
x, y = point_for(View.ANTERIOR, 0, 30, 0.0)
sites.add_site(ctx, session, SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA))
record = records.session_record(ctx, session)
report, handout = session_report(record, ctx.clock()), aftercare_handout(record, ctx.clock())
assert report.startswith(b"%PDF") and handout.startswith(b"%PDF")
print("made", len(report), len(handout))
"""


@pytest.mark.timeout(600)
def test_the_wheel_alone_opens_a_database_and_prints(tmp_path: Path) -> None:
    built = tmp_path / "built"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(built),
         str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = built.glob("sclerochart-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sclerochart/resources/fonts/DejaVuSans.ttf" in names
    assert "sclerochart/resources/handout/aftercare.toml" in names
    assert "sclerochart/store/migrations/versions/0013_outcome_cells.py" in names
    assert not [name for name in names if "resources/screenshots" in name], "the README's pictures stay out"
    installed = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--disable-pip-version-check", "--target",
         str(installed), str(wheel)],
        check=True,
    )  # fmt: skip
    environment = {**os.environ, "PYTHONPATH": str(installed), "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(installed), str(tmp_path / "clinic.sqlite3")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("made")
