"""The charting-screen benchmark of issues 3 and 16: what a practitioner waits for, measured through the real widgets.

Figures:
- mouse press to site committed and everything it changed painted, with 300 sites on the canvas, against the
  same run's baseline "canvas repaint + fsync" (a bare repaint of the canvas with those 300 sites, and the fsync
  of a small write on the same disk);
- the same with 3,000 sites on the canvas, zoomed in on the anterior view (at the zooms that show a view whole,
  3,000 markers cover the legs and a click selects a marker instead of placing a site); its baseline is the
  repaint of that canvas;
- opening a patient with 20 sessions and showing a 300-site session, until the event loop is idle;
- patient search at 100,000 patients: keystroke to list updated (needs the clinic of `bench store`);
- input events per site in a scripted 40-site charting (1 when the settings repeat, 2 when switching preset).

A click is timed until the event loop is idle, not until the handler returns: the screen leaves work for later
turns of the event loop (numbers of crowded markers set off, the table's columns fitted, the session list
brought up to date), and the widgets paint when Qt delivers their update requests. `until_idle` runs the loop
in rounds: each round posts a sentinel event and starts a zero-interval sentinel timer, then processes events
(and deferred deletions, which a real event loop also carries out) until both sentinels have arrived. Posted
events are delivered in the order they were posted and zero timers in the order they were started, so
everything queued before the round has then run. An application-wide event filter counts every other event
delivered during the round (posted events, timers, update requests and paints); the loop is idle after a round
that delivered none. The clock stops there. The canvas must have received a paint event by then, or the figure
is refused: a figure without the paint would flatter the screen.

Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise (it paints into an image, as a screen's
backing store would). The window's remembered layout goes to the run's temporary folder, never to the user's
settings or /tmp.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from sclerochart import paths
from sclerochart.bench.offscreen import use_screen
from sclerochart.bench.timing import figure, median, ms, p95, summary
from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.dose import ReasonNeeded
from sclerochart.domain.values import PatientDraft, SessionDraft, Sex, View
from sclerochart.readmodels import SessionDetail
from sclerochart.services import accounts, catalogue, patients, session_detail, sessions, signatures, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import leg_spots
from sclerochart.store.database import open_database
from sclerochart.ui.diagram_canvas import DiagramCanvas, SiteMarker, to_scene
from sclerochart.ui.main_window import MainWindow

SITES_ON_CANVAS = 300
CROWDED_CANVAS = 3000
SESSIONS_OF_PATIENT = 20
START = dt.datetime(2024, 1, 8, 9, 0)
BENCH_PASSWORD = "bench-password"
_SENTINEL_EVENT = QEvent.Type(QEvent.registerEventType())


class _Activity(QObject):
    """Counts the events Qt delivers to anything but the sentinels; a sentinel notes its arrival."""

    def __init__(self) -> None:
        super().__init__()
        self.delivered = 0
        self.paints: dict[int, int] = {}
        """Paint events by the id() of the widget painted (the canvas's viewport, the sites table...)."""
        self.arrived = 0
        self.sentinel_timer = QTimer(self)
        self.sentinel_timer.setSingleShot(True)
        self.sentinel_timer.setInterval(0)
        self.sentinel_timer.timeout.connect(self._arrive)

    def _arrive(self) -> None:
        self.arrived += 1

    def event(self, event: QEvent) -> bool:
        """The posted sentinel."""
        if event.type() == _SENTINEL_EVENT:
            self.arrived += 1
            return True
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Count what is delivered (installed on the application: it sees every event of the GUI thread)."""
        if watched is not self and watched is not self.sentinel_timer:
            self.delivered += 1
            if event.type() == QEvent.Type.Paint:
                self.paints[id(watched)] = self.paints.get(id(watched), 0) + 1
        return False


def until_idle(app: QApplication, activity: _Activity, most_rounds: int = 200) -> int:
    """Run the event loop until a round delivers nothing but the sentinels (see the module's text); the rounds.

    Raises:
        RuntimeError: the screen keeps the event loop busy (a bug: it would keep a computer's core busy).
    """
    for rounds in range(1, most_rounds + 1):
        activity.delivered, activity.arrived = 0, 0
        QCoreApplication.postEvent(activity, QEvent(_SENTINEL_EVENT))
        activity.sentinel_timer.start()
        while activity.arrived < 2:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # as the real loop deletes them
        if activity.delivered == 0:
            return rounds
    raise RuntimeError(f"the event loop was still busy after {most_rounds} rounds")


def _mouse(canvas: DiagramCanvas, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(canvas.viewport().mapToGlobal(point)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas.viewport(), event)


def _click(canvas: DiagramCanvas, view: View, x: float, y: float) -> None:
    point = canvas.mapFromScene(to_scene(view, x, y))
    _mouse(canvas, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
    _mouse(canvas, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)


def _signed_in(ctx: ServiceContext) -> int:
    if ctx.person is None:
        accounts.add_account(ctx, AccountDraft("Bench", "bench", Role.PHYSICIAN), BENCH_PASSWORD)
        accounts.sign_in(ctx, "bench", BENCH_PASSWORD)
    return ctx.signed_in().id


def _add_sites(ctx: ServiceContext, session_id: str, spots: list[tuple[View, float, float]]) -> None:
    """Store sites one by one as the screen would (a reason given only where a limit is newly exceeded)."""
    preset = catalogue.list_presets(ctx)[0]
    shown: SessionDetail | None = None
    for view, x, y in spots:
        draft = preset.site_draft(view, x, y)
        try:
            change = sites.add_site(ctx, session_id, draft, shown=shown)
        except ReasonNeeded:
            change = sites.add_site(ctx, session_id, replace(draft, override_reason="benchmark"), shown=shown)
        shown = change.detail


def _patient_with_history(ctx: ServiceContext) -> tuple[str, str]:
    """A patient with 20 sessions; the newest (a draft) holds 300 sites. Returns (patient id, session id)."""
    patient = patients.create_patient(
        ctx, PatientDraft("BENCH-1", "Ødegård-Łukasiewicz", "Зоя", dt.date(1975, 5, 17), Sex.FEMALE)
    )
    spots = leg_spots(3, SITES_ON_CANVAS)
    session_id = ""
    me = _signed_in(ctx)
    for index in range(SESSIONS_OF_PATIENT):
        started = START + dt.timedelta(weeks=7 * index)
        draft = SessionDraft(me, started, weight_kg=200.0, consent=True, checklist_reviewed=True)
        session_id = sessions.start_session(ctx, patient.id, draft).id
        count = SITES_ON_CANVAS if index == SESSIONS_OF_PATIENT - 1 else 25
        _add_sites(ctx, session_id, spots[:count])
        if index < SESSIONS_OF_PATIENT - 1:
            version = session_detail.get_session(ctx, session_id).session.version
            signatures.sign_session(ctx, session_id, version, BENCH_PASSWORD)
    return patient.id, session_id


def _crowded_patient(ctx: ServiceContext) -> tuple[str, str]:
    """A patient whose one session (a draft) holds 3,000 sites. Returns (patient id, session id)."""
    patient = patients.create_patient(
        ctx, PatientDraft("BENCH-3", "Kowalczyk-Nøstvik", "Ana", dt.date(1969, 3, 3), Sex.FEMALE)
    )
    draft = SessionDraft(_signed_in(ctx), START, weight_kg=200.0, consent=True, checklist_reviewed=True)
    session_id = sessions.start_session(ctx, patient.id, draft).id
    _add_sites(ctx, session_id, leg_spots(5, CROWDED_CANVAS))
    return patient.id, session_id


def _free_spots(canvas: DiagramCanvas, seed: int, count: int) -> Iterator[tuple[View, float, float]]:
    """Spots on the legs with no marker under the pointer when the spot is reached.

    A click there places a site instead of selecting the marker under it.
    """
    given = 0
    shown = canvas.viewport().rect().adjusted(20, 20, -20, -20)
    for view, x, y in leg_spots(seed, count * 200):
        point = canvas.mapFromScene(to_scene(view, x, y))
        if shown.contains(point) and not any(isinstance(item, SiteMarker) for item in canvas.items(point)):
            yield view, x, y
            given += 1
            if given == count:
                return
    raise RuntimeError("the legs are too full of markers for this benchmark")


def _press_to_painted(app: QApplication, window: MainWindow, activity: _Activity, rounds: int) -> list[float]:
    """Per click: mouse press to the event loop idle, with the click's site stored and everything painted."""
    canvas = window.charting.canvas
    until_idle(app, activity)
    times = []
    for view, x, y in _free_spots(canvas, 11, rounds):
        before = len(canvas._markers)
        activity.paints.clear()
        started = time.perf_counter()
        _click(canvas, view, x, y)
        until_idle(app, activity)
        times.append(ms(time.perf_counter() - started))
        assert len(canvas._markers) == before + 1, (
            f"the click did not place a site: {window.statusBar().currentMessage()}"
        )
        assert activity.paints.get(id(canvas.viewport())), "the canvas was not painted: the figure would flatter it"
    return times


def _baseline(app: QApplication, window: MainWindow, scratch: Path, rounds: int) -> tuple[float, float]:
    """Medians of a bare repaint of the canvas as it stands, and of the fsync of a small write on the same disk."""
    viewport = window.charting.canvas.viewport()
    repaints = []
    for _ in range(rounds):
        started = time.perf_counter()
        viewport.repaint()
        repaints.append(ms(time.perf_counter() - started))
    syncs = []
    with open(scratch / "fsync-probe", "wb") as probe:
        for index in range(rounds):
            started = time.perf_counter()
            probe.write(b"%064d\n" % index)
            probe.flush()
            os.fsync(probe.fileno())
            syncs.append(ms(time.perf_counter() - started))
    return median(repaints), median(syncs)


def _open_patient(
    app: QApplication, window: MainWindow, activity: _Activity, patient_id: str, session_id: str, rounds: int
) -> list[float]:
    times = []
    for _ in range(rounds):
        window.show_patient(None)
        until_idle(app, activity)
        started = time.perf_counter()
        window.show_patient(window.api.get_patient(patient_id))
        window.open_session(session_id)
        until_idle(app, activity)
        times.append(ms(time.perf_counter() - started))
    return times


def _input_events_per_site(app: QApplication, window: MainWindow, ctx: ServiceContext) -> None:
    """Chart 40 sites as a practitioner would: keys only when the preset changes, one click per site."""
    patient = patients.create_patient(
        ctx, PatientDraft("BENCH-2", "Nguyễn", "Thị Mai", dt.date(1988, 8, 8), Sex.FEMALE)
    )
    started = sessions.start_session(ctx, patient.id, SessionDraft(None, START, weight_kg=64.0))
    window.show_patient(window.api.get_patient(patient.id))
    window.open_session(started.id)
    canvas = window.charting.canvas
    handle = window.windowHandle()
    if handle is not None:
        handle.requestActivate()
    QTest.qWaitForWindowActive(window, 2000)
    canvas.setFocus()  # where the practitioner's clicks leave it
    app.processEvents()
    assert app.focusWidget() is canvas, "the keys would go nowhere: the canvas has no keyboard focus"
    plan = [1] * 12 + [2] * 10 + [4] * 6 + [3] * 8 + [6] * 4
    spots = _free_spots(canvas, 23, len(plan))
    events = {"repeat": 0, "switch": 0}
    sites = {"repeat": 0, "switch": 0}
    current = window.charting.controller.preset.key if window.charting.controller.preset else None
    for key, (view, x, y) in zip(plan, spots, strict=False):
        kind = "repeat" if key == current else "switch"
        if kind == "switch":
            QTest.keyClick(canvas, Qt.Key(Qt.Key.Key_0.value + key))
            events[kind] += 1
            current = key
        _click(canvas, view, x, y)
        events[kind] += 1
        sites[kind] += 1
    app.processEvents()
    detail = window.charting.controller.detail
    assert detail is not None
    presets = {p.key: p for p in window.charting.controller.presets}
    stored = detail.sites
    assert len(stored) == len(plan), f"{len(stored)} sites stored for {len(plan)} clicks"
    wrong = [
        site.number
        for site, key in zip(stored, plan, strict=True)
        if (site.agent_id, site.concentration, site.form, site.volume_ml)
        != (presets[key].agent_id, presets[key].concentration, presets[key].form, presets[key].volume_ml)
    ]
    print(
        f"input events per site, scripted 40-site charting: {events['repeat'] / sites['repeat']:.2f} when the settings"
        f" repeat ({sites['repeat']} sites), {events['switch'] / sites['switch']:.2f} when switching preset"
        f" ({sites['switch']} sites); sites stored with other settings than planned: {wrong or 'none'}"
    )


def _search(app: QApplication, clinic: Path, rounds: int) -> None:
    db = open_database(str(clinic), create=False)
    ctx = ServiceContext(db, "bench")
    window = MainWindow(ServiceApi(ctx))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    words = ["Mül", "Łuk", "Ødeg", "Смир", "Nguy", "Dub", "O'Br", "D00004", "1974", "Gar", "Kuz", "Ros"]
    times = []
    for index in range(rounds):
        word = words[index % len(words)]
        window.search_field.clear()
        app.processEvents()
        QTest.qWait(window._search_timer.interval() + 5)
        for char in word:
            started = time.perf_counter()
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # QTest types ASCII only; names are not
                QApplication.sendEvent(window.search_field, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
            while window._search_timer.isActive():  # the typing pause, then the search runs from the event loop
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
            window.patient_table.viewport().repaint()
            times.append(ms(time.perf_counter() - started))
    print(
        f"search keystroke to list shown, {clinic.name} ({len(times)} keystrokes, including the"
        f" {window._search_timer.interval()} ms typing pause): {summary(times)}"
    )
    window.close()
    db.close()


def _clicks(
    app: QApplication, window: MainWindow, activity: _Activity, scratch: Path, rounds: int
) -> tuple[list[float], float, float]:
    """Clicks on the open session, and the same run's baseline taken just before them on the same canvas."""
    until_idle(app, activity)
    repaint, fsync = _baseline(app, window, scratch, 50)
    return _press_to_painted(app, window, activity, rounds), repaint, fsync


def _charting(app: QApplication, activity: _Activity, scratch: Path, rounds: int) -> None:
    db = open_database(str(scratch / "ui.sqlite3"), create=True)
    ctx = ServiceContext(db, "bench", clock=lambda: START + dt.timedelta(weeks=7 * SESSIONS_OF_PATIENT))
    patient_id, session_id = _patient_with_history(ctx)
    crowded_patient, crowded_session = _crowded_patient(ctx)
    window = MainWindow(ServiceApi(ctx))
    window.resize(1920, 1080)
    window.show()
    until_idle(app, activity)
    opened = _open_patient(app, window, activity, patient_id, session_id, rounds=15)
    shown = len(window.charting.canvas._markers)
    print(f"open a patient with {SESSIONS_OF_PATIENT} sessions, show a {shown}-site session, idle: {summary(opened)}")
    figure(f"open a patient, {SESSIONS_OF_PATIENT} sessions, {shown}-site session shown", median(opened))

    times, repaint, fsync = _clicks(app, window, activity, scratch, rounds)
    base = repaint + fsync
    print(f"baseline, {shown} sites: canvas repaint {repaint:.2f} ms + fsync of a small write {fsync:.2f} ms")
    print(
        f"press to painted and idle, {shown}+ sites on the canvas: {summary(times)}"
        f"   ratio {median(times) / base:.1f}× the baseline"
    )
    name = "canvas repaint + fsync"
    for what, value, target in (("median", median(times), "≤ 8 ms"), ("p95", p95(times), "≤ 12 ms")):
        figure(f"press to painted, {shown} sites, {what}", value, baseline=base, baseline_name=name, target=target)

    window.show_patient(window.api.get_patient(crowded_patient))
    window.open_session(crowded_session)
    crowded = len(window.charting.canvas._markers)
    window.charting.canvas.focus_view(View.ANTERIOR)  # 3,000 markers cover the legs at the zooms that show a view
    window.charting.canvas.zoom(2.0)  # whole: a practitioner zooms in to place between them
    times, repaint, fsync = _clicks(app, window, activity, scratch, max(10, rounds // 2))
    print(
        f"baseline, {crowded} sites, zoomed in on the anterior view: canvas repaint {repaint:.2f} ms"
        f" + fsync of a small write {fsync:.2f} ms"
    )
    print(
        f"press to painted and idle, {crowded}+ sites on the canvas: {summary(times)}"
        f"   ratio {median(times) / (repaint + fsync):.1f}× the baseline"
    )
    figure(
        f"press to painted, {crowded:,} sites, median",
        median(times),
        baseline=repaint + fsync,
        baseline_name=name,
        target="≤ 16 ms",
    )

    _input_events_per_site(app, window, ctx)
    window.close()
    db.close()
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def main(argv: list[str]) -> int:
    """Run the charting-screen benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench ui")
    parser.add_argument("--clinic", type=Path, help="a clinic from `bench store` for the search figure")
    parser.add_argument("--rounds", type=int, default=60, help="clicks at 300 sites (half as many at 3,000)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    use_screen(1920, 1080)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    activity = _Activity()
    app.installEventFilter(activity)
    remembered = os.environ.get(paths.CONFIG_DIR_VARIABLE)
    with tempfile.TemporaryDirectory(prefix="sclerochart-bench-ui-") as folder:
        scratch = Path(folder)
        os.environ[paths.CONFIG_DIR_VARIABLE] = str(scratch / "config")  # the window's layout: gone with the run
        try:
            _charting(app, activity, scratch, args.rounds)
            if args.clinic is not None:
                _search(app, args.clinic, rounds=24)
            else:
                print("search: skipped (give --clinic PATH of a clinic made by `python -m sclerochart.bench store`)")
        finally:
            if remembered is None:
                os.environ.pop(paths.CONFIG_DIR_VARIABLE, None)
            else:
                os.environ[paths.CONFIG_DIR_VARIABLE] = remembered
    app.removeEventFilter(activity)
    return 0
