"""The change watch's benchmark: what it costs while nothing happens, and how soon another room's change shows.

Figures, for the database named (a SQLite file by default, or --postgres URL):
- one look at the change feed when nothing changed (median, p95);
- CPU used by the whole program while idle for --seconds with the watch running, against the same idle time
  without it in the same run (target: under 1 % of one core);
- another room's change until this window's watch reports it (over --changes changes, one every 1.3 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from sclerochart.bench.timing import summary, timed
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Form, PatientDraft, SessionDraft, Sex, SiteDraft, VesselType, View
from sclerochart.services import patients, sessions, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.ui.change_watch import ChangeWatch


def _idle_cpu(seconds: float, watch: ChangeWatch | None) -> float:
    """Percent of one core the process used over `seconds` of an idle event loop."""
    if watch is not None:
        watch.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    cpu, wall = time.process_time(), time.perf_counter()
    loop.exec()
    used = (time.process_time() - cpu) / (time.perf_counter() - wall) * 100.0
    if watch is not None:
        watch.stop()
    return used


def _latency(watch: ChangeWatch, other: ServiceContext, session_id: str, count: int) -> list[float]:
    """Milliseconds from another room's commit to this watch reporting it."""
    seen: list[float] = []
    committed: list[float] = []
    watch.changed.connect(lambda _changes: seen.append(time.perf_counter()))
    watch.start()

    def other_room() -> None:
        for index in range(count):
            time.sleep(1.3)
            x, y = point_for(View.ANTERIOR, 0, 20 + index % 60, 0.0)
            draft = SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.1, VesselType.TELANGIECTASIA)
            sites.add_site(other, session_id, draft)
            committed.append(time.perf_counter())

    thread = threading.Thread(target=other_room)
    thread.start()
    loop = QEventLoop()
    poller = QTimer()
    poller.timeout.connect(lambda: loop.quit() if not thread.is_alive() and len(seen) >= count else None)
    poller.start(100)
    QTimer.singleShot(int((count * 1.3 + 5) * 1000), loop.quit)
    loop.exec()
    thread.join()
    watch.stop()
    return [(s - c) * 1000.0 for c, s in zip(committed, seen, strict=False)]


def main(argv: list[str]) -> int:
    """Run the watch benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench watch")
    parser.add_argument("--postgres", help="a postgresql:// URL of an empty database to use instead of SQLite")
    parser.add_argument("--seconds", type=float, default=20.0, help="idle time measured, each way")
    parser.add_argument("--changes", type=int, default=10, help="changes made by the other room")
    args = parser.parse_args(argv)
    app = QCoreApplication.instance() or QCoreApplication([])
    folder = tempfile.mkdtemp(prefix="sclerochart-watch-")
    where = args.postgres or str(Path(folder) / "watch.sqlite3")
    db, other_db = open_database(where), open_database(where)

    def clock() -> dt.datetime:
        return dt.datetime(2026, 11, 25, 10, 0)

    ctx = ServiceContext(db, "bench", clock=clock, room="Room 1")
    other = ServiceContext(other_db, "bench", clock=clock, room="Room 2")
    patient = patients.create_patient(
        ctx, PatientDraft(f"W{time.time_ns() % 10**9}", "Watch", "Bench", dt.date(1970, 1, 1), Sex.FEMALE)
    )
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, clock(), weight_kg=70.0)).id
    print(f"database: {db.display}")
    watch = ChangeWatch(ServiceApi(ctx))
    watch.start()
    print(f"one look at the change feed, nothing new:  {summary(timed(watch.poll, 500))}")
    watch.stop()
    without = _idle_cpu(args.seconds, None)
    with_watch = _idle_cpu(args.seconds, ChangeWatch(ServiceApi(ctx)))
    print(
        f"idle CPU over {args.seconds:.0f} s: {with_watch:.2f} % of one core with the watch, "
        f"{without:.2f} % without (watch: {with_watch - without:+.2f} points; target < 1 %)"
    )
    delays = _latency(ChangeWatch(ServiceApi(ctx)), other, session_id, args.changes)
    if delays:
        print(
            f"another room's change until shown here ({len(delays)} changes): median {statistics.median(delays):.0f}"
            f" ms, max {max(delays):.0f} ms (polled every second; target about 2 s)"
        )
    db.close()
    other_db.close()
    del app
    return 0
