"""Benchmark of the PDF documents: session report (60 sites), aftercare handout, treatment summary (20 sessions).

Targets (issue 4): report median ≤ 150 ms, handout ≤ 60 ms, summary ≤ 500 ms. Also the report's time against a
bare ReportLab document holding the same site table, measured in the same run, so a slower machine shows as
the same ratio. The records are read once; the figures are the building of the PDF bytes, which is what runs
on the worker thread. Reading the records from the database is timed apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from sclerochart.bench.timing import summary, timed
from sclerochart.domain.diagram import VIEWS
from sclerochart.domain.follow_up import RegionClearance, VisitDraft
from sclerochart.domain.values import PatientDraft, SessionDraft, Sex
from sclerochart.readmodels import SessionRecord
from sclerochart.reports.fonts import REGULAR, register_fonts
from sclerochart.reports.handout import aftercare_handout
from sclerochart.reports.session_report import session_report, site_table
from sclerochart.reports.summary import treatment_summary
from sclerochart.services import catalogue, clinic, follow_ups, patients, records, session_detail, sessions
from sclerochart.services import sites as site_service
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import leg_spots
from sclerochart.store.database import open_database

NOW = dt.datetime(2026, 11, 23, 10, 30)


class _Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def _chart(ctx: ServiceContext, clock: _Clock, patient_id: str, started: dt.datetime, sites: int, seed: int) -> str:
    clock.now = started
    draft = sessions.new_session_draft(ctx, patient_id)
    session = sessions.start_session(
        ctx,
        patient_id,
        SessionDraft(
            1, started, weight_kg=72.0, ceap_right="C1", ceap_left="C2", consent=True, compression=draft.compression
        ),
    )
    presets = catalogue.list_presets(ctx)
    for index, (view, x, y) in enumerate(leg_spots(seed, sites)):
        site_service.add_site(ctx, session.id, presets[index % len(presets)].site_draft(view, x, y))
    return session.id


def _bare_table(record: SessionRecord) -> bytes:
    """The same rows as the report's site table, as plain strings in a bare ReportLab document."""
    table = site_table(record)
    rows = [[getattr(cell, "text", str(cell)) for cell in row] for row in table._cellvalues]
    out = io.BytesIO()
    bare = Table(rows, repeatRows=1)
    bare.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), 6)]))
    SimpleDocTemplate(out, pagesize=A4).build([bare])
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench reports")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs of each document (default 30)")
    args = parser.parse_args(argv)
    rounds = max(3, args.rounds)
    with tempfile.TemporaryDirectory(prefix="sclerochart-bench-reports-") as folder:
        clock = _Clock()
        db = open_database(str(Path(folder) / "reports.sqlite3"), create=True)
        ctx = ServiceContext(db, "bench", clock=clock)
        clinic.change_settings(
            ctx, {"clinic_name": "Praxis Dr. Ødegård", "clinic_phone": "+49 30 1234567"}, clinic.settings_version(ctx)
        )
        catalogue.add_practitioner(ctx, "Dr. Ana Müller")
        one = patients.create_patient(
            ctx, PatientDraft("B-1", "Łukasiewicz-Ødegård", "Zoë", dt.date(1971, 3, 9), Sex.FEMALE)
        )
        report_session = _chart(ctx, clock, one.id, NOW, 60, seed=3)
        many = patients.create_patient(ctx, PatientDraft("B-2", "Иванов", "Дмитрий", dt.date(1968, 7, 1), Sex.MALE))
        for number in range(20):
            started = NOW - dt.timedelta(weeks=6 * (20 - number))
            session_id = _chart(ctx, clock, many.id, started, 15, seed=100 + number)
            clock.now = started + dt.timedelta(weeks=6)
            regions = sorted({site.region for site in session_detail.get_session(ctx, session_id).sites})
            rated = tuple(RegionClearance(region, 75) for region in regions)
            follow_ups.record_visit(ctx, many.id, VisitDraft(clock.now.date(), clearances=rated))
        clock.now = NOW

        register_fonts()
        record = records.session_record(ctx, report_session)
        course = records.patient_record(ctx, many.id)
        assert len(record.detail.sites) == 60 and len(course.sessions) == 20
        assert len({s.view for s in record.detail.sites}) == len(VIEWS)
        session_report(record, NOW)  # warm up: fonts, glyph caches, imports
        aftercare_handout(record, NOW)
        treatment_summary(course, NOW)
        _bare_table(record)

        print(f"PDF documents, {rounds} runs each (building the bytes from records already read)")
        figures = {
            "report": timed(lambda: session_report(record, NOW), rounds),
            "bare": timed(lambda: _bare_table(record), rounds),
            "handout": timed(lambda: aftercare_handout(record, NOW), rounds),
            "summary": timed(lambda: treatment_summary(course, NOW), rounds),
        }
        print(f"  session report, 60 sites:        {summary(figures['report'])}   (target median ≤ 150 ms)")
        print(f"  bare ReportLab, same table:      {summary(figures['bare'])}")
        ratio = sorted(figures["report"])[rounds // 2] / sorted(figures["bare"])[rounds // 2]
        print(f"  report / bare table (medians):   {ratio:.1f} ×")
        print(f"  aftercare handout:               {summary(figures['handout'])}   (target median ≤ 60 ms)")
        print(f"  summary, 20 sessions, 300 sites: {summary(figures['summary'])}   (target median ≤ 500 ms)")
        print("Reading the records from the database")
        reading = timed(lambda: records.session_record(ctx, report_session), rounds)
        print(f"  session record:                  {summary(reading)}")
        reading = timed(lambda: records.patient_record(ctx, many.id), rounds)
        print(f"  patient record, 20 sessions:     {summary(reading)}")
        sizes = (
            len(session_report(record, NOW)),
            len(aftercare_handout(record, NOW)),
            len(treatment_summary(course, NOW)),
        )
        print(f"Sizes: report {sizes[0] // 1024} KB, handout {sizes[1] // 1024} KB, summary {sizes[2] // 1024} KB")
        db.close()
    return 0
