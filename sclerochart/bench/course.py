"""The after-the-session benchmark: outcome figures and lot recall on a large clinic, a patient's photos.

Figures:
- on a generated clinic (the store benchmark's, 100,000 patients by default; `--clinic PATH`): working out
  the kept sums of every marked patient (the first time after the update, or after the demo); the outcome
  figures of every session and of the last 12 months (median, p95 of the rounds) next to the same figures
  worked out from every site (once, the baseline; the ratio in the same run); recall of 20 lots of the
  clinic (median, p95);
- in a fresh database: opening a patient's course window on its Photos tab with 20 photos (thumbnails made
  when the photos were added), until painted, at 1920×1080 offscreen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sclerochart.bench.offscreen import use_screen
from sclerochart.bench.timing import ms, summary, timed
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, PatientDraft, SessionDraft, Sex, SiteDraft, VesselType, View
from sclerochart.services import outcome_figures, patients, photos, recall, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.store.models import InjectionSiteRow, SessionLotRow

PHOTOS = 20


def _clinic(path: Path, rounds: int) -> None:
    db = open_database(str(path), create=False, backup_before_upgrade=False)
    ctx = ServiceContext(db, "bench")
    started = time.perf_counter()
    refreshed = outcome_figures.refresh_outcomes(ctx)
    print(f"kept sums worked out for {refreshed} marked patients: {time.perf_counter() - started:7.1f} s")
    today = ctx.today()
    for label, start, end in (
        ("every session", None, None),
        ("the last 12 months", today - dt.timedelta(days=365), today),
    ):
        figures = outcome_figures.outcome_figures(ctx, start, end)
        times = timed(_figures_of(ctx, start, end), rounds)
        began = time.perf_counter()
        outcome_figures._worked_out_from_every_site(ctx, start, end)
        baseline = ms(time.perf_counter() - began)
        total = figures.total()
        print(
            f"outcome figures, {label} ({total.sites} sites, {total.rated} rated): {summary(times)}; "
            f"from every site {baseline:8.0f} ms ({baseline / statistics.median(times):5.0f} × slower)"
        )
    with db.read() as tx:  # the lots of sessions (a clinic made before lots per session has them on its sites)
        lots = {lot for (lot,) in tx.query(SessionLotRow.lot_number).limit(5000)}
        lots |= {lot for (lot,) in tx.query(InjectionSiteRow.lot_number).limit(5000) if lot}
    chosen = random.Random(3).sample(sorted(lots), min(20, len(lots)))
    if chosen:
        times = [ms(_time_recall(ctx, lot)) for lot in chosen]
        print(f"recall of one lot ({len(chosen)} lots): {summary(times)}")
    db.close()


def _figures_of(ctx: ServiceContext, start: dt.date | None, end: dt.date | None) -> Callable[[], object]:
    return lambda: outcome_figures.outcome_figures(ctx, start, end)


def _time_recall(ctx: ServiceContext, lot: str) -> float:
    started = time.perf_counter()
    recall.sites_with_lot(ctx, lot)
    return time.perf_counter() - started


def _picture(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (1600, 1200), (228, 190, 170))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(1600), rng.randrange(1200)
        draw.line((x, y, x + rng.randint(-200, 200), y + rng.randint(-200, 200)), fill=(150, 40, 60), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _photos(rounds: int) -> None:
    use_screen(1920, 1080)
    from PySide6.QtWidgets import QApplication

    from sclerochart.services.api import ServiceApi
    from sclerochart.ui.course_window import CourseWindow
    from sclerochart.ui.photo_strip import PhotoStrip
    from sclerochart.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="sclerochart-bench-photos-"))
    db = open_database(str(folder / "photos.sqlite3"))
    ctx = ServiceContext(db, "bench")
    patient = patients.create_patient(ctx, PatientDraft("P-20", "Nowak", "Zoë", dt.date(1970, 1, 1), Sex.FEMALE))
    session_ids = []
    for weeks in (12, 6):
        started = ctx.clock() - dt.timedelta(weeks=weeks)
        session = sessions.start_session(ctx, patient.id, SessionDraft(None, started, weight_kg=70.0))
        x, y = point_for(View.ANTERIOR, 0, 30, 0.0)
        sites.add_site(
            ctx, session.id, SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)
        )
        session_ids.append(session.id)
    for number in range(PHOTOS):
        photos.add_photo_file(
            ctx, _picture(number), view=View.ANTERIOR, session_id=session_ids[number % 2], original_name=f"{number}.jpg"
        )
    api = ServiceApi(ctx)
    stored = api.get_patient(patient.id)
    tasks = TaskRunner()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        strip = PhotoStrip(api, tasks)
        window = CourseWindow(api, stored, photos=strip)
        window.tabs.setCurrentWidget(strip)
        window.show()
        window.repaint()
        times.append(ms(time.perf_counter() - began))
        assert strip.count() == PHOTOS
        window.close()
        window.deleteLater()
        app.processEvents()
    print(f"open a patient's course on its Photos tab, {PHOTOS} photos, painted: {summary(times)}")
    db.close()


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench course")
    parser.add_argument(
        "--clinic",
        type=Path,
        default=Path(tempfile.gettempdir()) / "sclerochart-bench" / "clinic-100000.sqlite3",
        help="a clinic made by the store benchmark or 'sclerochart demo' (skipped when it does not exist)",
    )
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    if args.clinic.exists():
        _clinic(args.clinic, args.rounds)
    else:
        print(f"no clinic at {args.clinic}: make one with 'python -m sclerochart.bench store' (outcomes skipped)")
    _photos(args.rounds)
    return 0
