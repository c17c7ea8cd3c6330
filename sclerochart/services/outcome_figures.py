"""The clinic's outcome figures over a period (the rules in sclerochart.domain.outcome_figures).

The figures are read from the sums kept per session. Every change that can move them marks its patient
(triggers, in the change's own transaction); before reading, the marked patients' sums are worked out
again, a few hundred patients per transaction. A database opened read-only cannot keep sums: its figures
are worked out from every site instead (the same rules, slower).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.outcome_figures import (
    Cell,
    OutcomeFigures,
    SiteFact,
    VisitFact,
    cells_of,
    patient_cells,
)
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.repositories import outcomes as outcome_repo

CHUNK_PATIENTS = 500


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(
            [FieldError("To", f"{end:%d.%m.%Y} is before the start of the period ({start:%d.%m.%Y}).")]
        )


def outcome_figures(ctx: ServiceContext, start: dt.date | None = None, end: dt.date | None = None) -> OutcomeFigures:
    """Clearance at the last follow-up and complications of the sessions started from `start` to `end`.

    Raises:
        ValidationError: the period ends before it starts.
    """
    _check_period(start, end)
    if ctx.db.read_only:
        return _worked_out_from_every_site(ctx, start, end)
    refresh_outcomes(ctx)
    with ctx.db.read() as tx:
        rows = outcome_repo.kept_sums(tx, start, end)
    cells = tuple(
        Cell(str(a), float(c), str(f), str(v), int(n), int(fu), int(r), int(cs), int(c75), int(k))
        for a, c, f, v, n, fu, r, cs, c75, k in rows
    )
    return OutcomeFigures(start, end, cells)


def _worked_out_from_every_site(ctx: ServiceContext, start: dt.date | None, end: dt.date | None) -> OutcomeFigures:
    with ctx.db.read() as tx:
        counted = outcome_repo.clearance_sums(tx, start, end)
        complicated = outcome_repo.complication_counts(tx, start, end)
    cells = cells_of(
        (
            (str(a), float(c), str(f), str(v), int(n), int(fu), int(r), int(cs), int(c75))
            for a, c, f, v, n, fu, r, cs, c75 in counted
        ),
        complicated,
    )
    return OutcomeFigures(start, end, cells)


def refresh_outcomes(ctx: ServiceContext, progress: Callable[[int, int], None] | None = None) -> int:
    """Work out again the sums of every marked patient; how many patients that was.

    `progress(done, total)` is called after each batch (the first time on a large clinic takes a while).
    """
    with ctx.db.read() as tx:
        total = outcome_repo.dirty_count(tx)
    done = 0
    while True:
        with ctx.db.write() as tx:
            marks = outcome_repo.dirty_patients(tx, CHUNK_PATIENTS)
            if not marks:
                return done
            patients = [patient for patient, _stamp in marks]
            outcome_repo.replace_cells(tx, patients, _cells_of(tx, patients))
            outcome_repo.clear_marks(tx, marks)
        done += len(marks)
        if progress is not None:
            progress(min(done, total), max(total, done))


def _cells_of(tx: UnitOfWork, patients: list[str]) -> list[dict[str, Any]]:
    sites: dict[str, list[SiteFact]] = defaultdict(list)
    starts: dict[str, dt.date] = {}
    for patient, session_id, started, region, agent, concentration, form, vessel in outcome_repo.site_fact_rows(
        tx, patients
    ):
        day = started.date()
        starts[session_id] = day
        sites[patient].append(SiteFact(session_id, day, region, agent, float(concentration), form, vessel))
    visit_rows, rating_rows, complication_rows = outcome_repo.visit_fact_rows(tx, patients)
    ratings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for visit_id, region, percent in rating_rows:
        ratings[visit_id].append((region, int(percent)))
    problems: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for visit_id, region, side in complication_rows:
        problems[visit_id].append((region or "", side or ""))
    visits: dict[str, list[VisitFact]] = defaultdict(list)
    for visit_id, patient, day, created in visit_rows:
        visits[patient].append(
            VisitFact(day, f"{created.isoformat()} {visit_id}", tuple(ratings[visit_id]), tuple(problems[visit_id]))
        )
    cells: list[dict[str, Any]] = []
    for patient in patients:
        for (session_id, agent, concentration, form, vessel), sums in patient_cells(
            sites.get(patient, ()), visits.get(patient, ())
        ).items():
            cells.append(
                {
                    "session_id": session_id,
                    "agent_id": agent,
                    "concentration": concentration,
                    "form": form,
                    "vessel_type": vessel,
                    "patient_id": patient,
                    "started_on": starts[session_id],
                    "sites": sums[0],
                    "followed_up": sums[1],
                    "rated": sums[2],
                    "cleared_sum": sums[3],
                    "cleared_75": sums[4],
                    "with_complication": sums[5],
                }
            )
    return cells
