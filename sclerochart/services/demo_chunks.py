"""The demo clinic's rows in runs of patients, made in a helper process while the database writes the last run.

Making the rows takes about a fifth of the time, writing them the rest; in a second process the two overlap. The
helper makes exactly what the writing process would make itself (the same random source, in the same
order), so a seed gives the same clinic either way. A bundled program, which cannot start a plain Python
helper, makes the rows in its own process.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import random
import signal
import subprocess
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sclerochart
from sclerochart.services.demo_course import PHOTO_EVERY, DemoVisit
from sclerochart.services.demo_rows import Agent, DemoRows, OrderedIds

CHUNK_PATIENTS = 1000
"""Patients per run (one transaction each)."""

NameGroups = Sequence[tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]


@dataclass
class Chunk:
    """The rows of a run of patients, written in one transaction."""

    patients: list[dict[str, Any]] = field(default_factory=list)
    terms: list[tuple[Any, ...]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    sites: list[tuple[Any, ...]] = field(default_factory=list)
    lots: list[dict[str, Any]] = field(default_factory=list)
    visits: list[DemoVisit] = field(default_factory=list)
    photos: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What the rows are made from."""

    seed: int
    patients: int
    now: dt.datetime
    agents: dict[str, Agent]
    practitioners: list[tuple[int, str]]
    max_sessions: int
    name_groups: NameGroups


def _make_chunk(rows: DemoRows, first: int, last: int, now: dt.datetime, max_sessions: int) -> Chunk:
    rng = rows.rng
    chunk = Chunk()
    for index in range(first, last):
        patient_row, patient_terms = rows.patient(index + 1, now)
        chunk.patients.append(patient_row)
        chunk.terms.extend(patient_terms)
        count = rng.randint(1, max_sessions) if index % 10 else rng.randint(0, max_sessions)
        course = list(rows.sessions(patient_row["id"], count, now))
        for header, sites, lots, visit in course:
            chunk.sessions.append(header)
            chunk.sites.extend(sites)
            chunk.lots.extend(lots)
            if visit is not None:
                chunk.visits.append(visit)
        if course and index % PHOTO_EVERY == 1:  # a before photo, and an after photo at the first visit
            first_session = course[0][0]
            chunk.photos.append(
                rows.course.photo(patient_row["id"], first_session["started_at"], session_id=first_session["id"])
            )
            after = next((visit for *_rest, visit in course if visit is not None), None)
            if after is not None:
                when = dt.datetime.combine(after.header["examined_on"], dt.time(11))
                chunk.photos.append(rows.course.photo(patient_row["id"], when, visit_id=after.header["id"]))
    return chunk


def made_here(plan: Plan) -> Iterator[Chunk]:
    """The runs of rows, made in this process."""
    ids = OrderedIds(plan.patients * (2 * plan.max_sessions + 3))  # a patient, sessions, visits, two photos
    rows = DemoRows(random.Random(plan.seed), plan.agents, plan.practitioners, plan.now, plan.name_groups, ids)
    for first in range(0, plan.patients, CHUNK_PATIENTS):
        yield _make_chunk(rows, first, min(plan.patients, first + CHUNK_PATIENTS), plan.now, plan.max_sessions)


@dataclass(frozen=True)
class _Failed:
    details: str


def made_aside(plan: Plan) -> Iterator[Chunk]:
    """The runs of rows, made in a helper process while the caller writes; in this process in a bundle.

    The helper is this module run by the same Python, given the plan on its input; it writes each run
    to its output as it is made, and waits while the pipe is full, so it is never far ahead.
    """
    if getattr(sys, "frozen", False):
        yield from made_here(plan)
        return
    package_home = str(Path(sclerochart.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (package_home, os.environ.get("PYTHONPATH"))))}
    helper = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert helper.stdin is not None and helper.stdout is not None
    try:
        pickle.dump(plan, helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        helper.stdin.close()
        while True:
            try:
                item = pickle.load(helper.stdout)  # our own helper's output, through a pipe
            except EOFError:
                raise RuntimeError(f"the demo's helper process stopped (exit code {helper.wait()})") from None
            if item is None:
                return
            if isinstance(item, _Failed):
                raise RuntimeError(f"the demo's helper process failed:\n{item.details}")
            yield item
    finally:
        if helper.poll() is None:
            helper.kill()
        helper.wait()
        helper.stdout.close()


def _helper() -> None:
    """The helper process: the plan from its input; every run in order, then None (or what went wrong).

    Ctrl+C is for the writing process, which then stops the helper; a writing process gone (the pipe
    closed) ends the helper without a word.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    plan = pickle.load(sys.stdin.buffer)  # from the process that started this one
    out = sys.stdout.buffer
    try:
        try:
            for chunk in made_here(plan):
                pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(None, out)
        except BrokenPipeError:
            raise
        except Exception:  # the writing process says it; the helper only reports it
            pickle.dump(_Failed(traceback.format_exc()), out)
        out.flush()
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":  # the rows' classes are pickled under the module's own name, not __main__
    from sclerochart.services import demo_chunks

    demo_chunks._helper()
