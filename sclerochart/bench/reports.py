"""Benchmark of the PDF documents: session report (60 sites), aftercare handout, treatment summary (20 sessions).

Targets: the report ≤ 2× a bare ReportLab document holding the same site table (issue 16), measured in the same
run and interleaved with it (one of each in turn), so a busy or slower machine shows as the same ratio; the
report linear in sites (its time at 30, 60 and 120 sites); handout median ≤ 60 ms and summary ≤ 500 ms (issue
4). The bare document is the site table's text as plain strings (each cell's lines), made once before the
timing: its figure is ReportLab's own work of laying out and drawing the table. The records are read once;
the figures are the building of the PDF bytes, which is what runs on the worker thread. Reading the records
from the database is timed apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TypeVar

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from sclerochart.bench.timing import figure, median, summary, timed
from sclerochart.domain.diagram import VIEWS
from sclerochart.domain.follow_up import RegionClearance, VisitDraft
from sclerochart.domain.values import PatientDraft, SessionDraft, Sex
from sclerochart.readmodels import SessionRecord
from sclerochart.reports.fonts import REGULAR, register_fonts
from sclerochart.reports.handout import aftercare_handout
from sclerochart.reports.lines import TextLines
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


def _chart(
    ctx: ServiceContext,
    clock: _Clock,
    patient_id: str,
    started: dt.datetime,
    sites: int,
    seed: int,
    volume_ml: float | None = None,
) -> str:
    """A session of `sites` sites from the presets in turn (each of `volume_ml` when given: many stay in the limits)."""
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
        site = presets[index % len(presets)].site_draft(view, x, y)
        site_service.add_site(ctx, session.id, site if volume_ml is None else replace(site, volume_ml=volume_ml))
    return session.id


def _table_rows(record: SessionRecord) -> list[list[str]]:
    """The report's site table as plain text: each cell's lines joined by line breaks."""
    rows = []
    for row in site_table(record).rows:
        texts = []
        for value in row:
            if isinstance(value, TextLines):
                texts.append("\n".join("".join(run.text for run in line) for line in value.lines))
            else:
                texts.append(str(getattr(value, "text", value)))
        rows.append(texts)
    return rows


def _bare_table(rows: list[list[str]]) -> bytes:
    """The same rows as the report's site table, as plain strings in a bare ReportLab document."""
    out = io.BytesIO()
    bare = Table(rows, repeatRows=1)
    bare.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), 6)]))
    SimpleDocTemplate(out, pagesize=A4).build([bare])
    return out.getvalue()


K = TypeVar("K")


def _interleaved(calls: Mapping[K, Callable[[], object]], rounds: int) -> dict[K, list[float]]:
    """Each call timed `rounds` times, one of each in turn, so that they share whatever load the machine has."""
    times: dict[K, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            times[name] += timed(call, 1)
    return times


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

        by_sites = {}
        for index, count in enumerate((30, 120)):
            other = patients.create_patient(
                ctx, PatientDraft(f"B-{3 + index}", "Lindqvist", "Åsa", dt.date(1980, 5, 2), Sex.FEMALE)
            )
            charted = _chart(ctx, clock, other.id, NOW, count, seed=7 + index, volume_ml=0.05)
            by_sites[count] = records.session_record(ctx, charted)
        clock.now = NOW

        register_fonts()
        record = records.session_record(ctx, report_session)
        by_sites[60] = record
        course = records.patient_record(ctx, many.id)
        assert len(record.detail.sites) == 60 and len(course.sessions) == 20
        assert len({s.view for s in record.detail.sites}) == len(VIEWS)
        rows = _table_rows(record)
        session_report(record, NOW)  # warm up: fonts, glyph caches, imports
        aftercare_handout(record, NOW)
        treatment_summary(course, NOW)
        _bare_table(rows)

        print(f"PDF documents, {rounds} runs each (building the bytes from records already read)")
        figures = _interleaved(
            {"report": lambda: session_report(record, NOW), "bare": lambda: _bare_table(rows)}, rounds
        )
        figures |= {
            "handout": timed(lambda: aftercare_handout(record, NOW), rounds),
            "summary": timed(lambda: treatment_summary(course, NOW), rounds),
        }
        report, bare = median(figures["report"]), median(figures["bare"])
        print(f"  session report, 60 sites:        {summary(figures['report'])}")
        print(
            f"  bare ReportLab, same table:      {summary(figures['bare'])}   (baseline, run in turn with the report)"
        )
        print(f"  report / bare table (medians):   {report / bare:.2f} ×   (target ≤ 2 ×)")
        print(f"  aftercare handout:               {summary(figures['handout'])}   (target median ≤ 60 ms)")
        print(f"  summary, 20 sessions, 300 sites: {summary(figures['summary'])}   (target median ≤ 500 ms)")
        figure(
            "session report, 60 sites",
            report,
            baseline=bare,
            baseline_name="bare ReportLab document with the same table",
            target="≤ 2× baseline",
        )
        figure("aftercare handout", median(figures["handout"]), target="≤ 60 ms")
        figure("treatment summary, 20 sessions, 300 sites", median(figures["summary"]), target="≤ 500 ms")

        print("Session report by the number of sites (linear: the time per site stays the same)")
        calls = {count: partial(session_report, by_sites[count], NOW) for count in sorted(by_sites)}
        for call in calls.values():
            call()  # warm up
        scaled = _interleaved(calls, rounds)
        for count, times in scaled.items():
            print(f"  {count:3d} sites: {summary(times)}   {median(times) / count:5.2f} ms per site")
        extra = (median(scaled[120]) - median(scaled[30])) / 90
        print(f"  each site past 30 adds {extra:.2f} ms (median at 120 sites less at 30, over 90 sites)")
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
