"""Same-run baselines of the store benchmark, and the first searches of a freshly started program.

`RawSiteAdder` writes what adding one site through the services writes (the site, the session's new version,
its audit event joined to the chain) with the plain sqlite3 driver, synchronous=FULL, in the same file, one
committed transaction each: the floor that adding a site is held against. `first_searches` starts a fresh
process that opens the database as the program does and times its first searches, with no warm-up by the
benchmark (only what the program itself does when it opens a database).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from typing import Any

from sclerochart.store.audit_chain import event_hash

_SQLITE_STAMP = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy writes a date and time into SQLite, and so how the raw driver writes it too."""


class RawSiteAdder:
    """Adds sites to one draft session with the plain sqlite3 driver: INSERT site, UPDATE session, INSERT audit.

    Each add is the rows adding a site through the services writes, in one BEGIN IMMEDIATE … COMMIT on a
    connection set up as the program's (WAL, synchronous=FULL, foreign keys on, so the triggers run the
    same). Its audit event joins the same hash chain, so the database stays whole.

    Args:
        where: the SQLite file.
        session_id: a draft session without sites, for the raw adds only.
        template_site_id: a site added through the services: each raw site and event copies its values.
    """

    def __init__(self, where: str, session_id: str, template_site_id: int) -> None:
        self.connection = sqlite3.connect(where, isolation_level=None)
        for pragma in ("busy_timeout = 5000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
            self.connection.execute(f"PRAGMA {pragma}")
        cursor = self.connection.execute("SELECT * FROM injection_sites WHERE id = ?", (template_site_id,))
        names = [column[0] for column in cursor.description]
        site = dict(zip(names, cursor.fetchone(), strict=True))
        del site["id"]
        site.update(session_id=session_id, version=1)
        self.site = site
        columns, values = ", ".join(f'"{name}"' for name in site), ", ".join(f":{name}" for name in site)
        self.insert_site = f"INSERT INTO injection_sites ({columns}) VALUES ({values})"
        event = self.connection.execute(
            "SELECT actor, action, entity, origin, room, after FROM audit_events"
            " WHERE entity = 'site' AND entity_id = ? ORDER BY id DESC LIMIT 1",
            (str(template_site_id),),
        ).fetchone()
        self.actor, self.action, self.entity, self.origin, self.room = event[:5]
        self.after = json.loads(event[5])
        self.session_id = session_id
        self.version = self.connection.execute(
            "SELECT version FROM treatment_sessions WHERE id = ?", (session_id,)
        ).fetchone()[0]
        self.number = 0

    def add(self) -> None:
        """One site, committed."""
        self.number += 1
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        site_id = connection.execute(self.insert_site, {**self.site, "number": self.number}).lastrowid
        connection.execute(
            "UPDATE treatment_sessions SET version = ? WHERE id = ? AND version = ?",
            (self.version + 1, self.session_id, self.version),
        )
        self.version += 1
        head = connection.execute("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
        previous = head[0] if head else ""
        at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        after = {**self.after, "id": site_id, "number": self.number, "session_id": self.session_id}
        entity_id = str(site_id)
        digest = event_hash(
            previous, at, self.actor, self.action, self.entity, entity_id, self.origin, self.room, None, after
        )
        connection.execute(
            "INSERT INTO audit_events (at, actor, action, entity, entity_id, origin, room, previous_hash, hash,"
            ' "before", "after") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
            (at.strftime(_SQLITE_STAMP), self.actor, self.action, self.entity, entity_id, self.origin, self.room,
             previous, digest, json.dumps(after)),
        )  # fmt: skip
        connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()


_FIRST_SEARCHES = """
import sys, time
from sclerochart.services import patients
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database

db = open_database(sys.argv[1], create=False)
ctx = ServiceContext(db, "bench")
started = time.perf_counter()
if sys.argv[2] == "prepare":
    patients.prepare_search(ctx)  # what the program is to do once a database is open
prepared = (time.perf_counter() - started) * 1000
times = []
for query in sys.argv[3:]:
    started = time.perf_counter()
    patients.search_patients(ctx, query)
    times.append((time.perf_counter() - started) * 1000)
db.close()
print(prepared, *times)
"""


def first_searches(where: str, query_sets: list[list[str]], *, prepare: bool) -> tuple[list[float], list[float]]:
    """(preparation at open, each first search) over one fresh process per query set.

    Each process opens the database as the program does (and, with `prepare`, prepares the search as the
    program is to do once a database is open), then times its searches in order: the first is the list
    shown at start (nothing typed), then what is typed.
    """
    prepared: list[float] = []
    searches: list[float] = []
    for queries in query_sets:
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_SEARCHES, where, "prepare" if prepare else "as is", "", *queries],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        prepared.append(float(out[0]))
        searches.extend(float(value) for value in out[1:])
    return prepared, searches


def ratio_line(label: str, ours: list[float], baseline: list[float]) -> str:
    """The label followed by the ratio of the medians."""
    return f"{label}{statistics.median(ours) / statistics.median(baseline):.2f}"


def timed_pair(first: Any, second: Any, repeat: int) -> tuple[list[float], list[float]]:
    """Each call timed `repeat` times, the two interleaved (so both see the same disk and the same load)."""
    firsts: list[float] = []
    seconds: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        first()
        firsts.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        second()
        seconds.append((time.perf_counter() - started) * 1000)
    return firsts, seconds
