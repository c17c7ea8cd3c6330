"""The charting-screen benchmark of issue 3: what a practitioner waits for, measured through the real widgets.

Figures:
- mouse press to site committed and marker painted, with 300 sites already on the canvas;
- opening a patient with 20 sessions and showing a 300-site session, until painted;
- patient search at 100,000 patients: keystroke to list updated (needs the clinic of `bench store`);
- input events per site in a scripted 40-site charting (1 when the settings repeat, 2 when switching preset).

Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise; painting is forced synchronously
(`repaint`) so the time includes drawing the markers, not just scheduling it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from sclerochart.bench.offscreen import use_screen
from sclerochart.bench.timing import ms, summary
from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.values import PatientDraft, SessionDraft, Sex, View
from sclerochart.services import accounts, catalogue, patients, session_detail, sessions, signatures, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import leg_spots
from sclerochart.store.database import open_database
from sclerochart.ui.diagram_canvas import DiagramCanvas, SiteMarker, to_scene
from sclerochart.ui.main_window import MainWindow

SITES_ON_CANVAS = 300
SESSIONS_OF_PATIENT = 20
START = dt.datetime(2024, 1, 8, 9, 0)


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


BENCH_PASSWORD = "bench-password"


def _patient_with_history(ctx: ServiceContext) -> tuple[str, str]:
    """A patient with 20 sessions; the newest (a draft) holds 300 sites. Returns (patient id, session id)."""
    patient = patients.create_patient(
        ctx, PatientDraft("BENCH-1", "Ødegård-Łukasiewicz", "Зоя", dt.date(1975, 5, 17), Sex.FEMALE)
    )
    preset = catalogue.list_presets(ctx)[0]
    spots = leg_spots(3, SITES_ON_CANVAS)
    session_id = ""
    if ctx.person is None:
        accounts.add_account(ctx, AccountDraft("Bench", "bench", Role.PHYSICIAN), BENCH_PASSWORD)
        accounts.sign_in(ctx, "bench", BENCH_PASSWORD)
    me = ctx.signed_in().id
    for index in range(SESSIONS_OF_PATIENT):
        started = START + dt.timedelta(weeks=7 * index)
        draft = SessionDraft(me, started, weight_kg=200.0, consent=True, checklist_reviewed=True)
        session_id = sessions.start_session(ctx, patient.id, draft).id
        count = SITES_ON_CANVAS if index == SESSIONS_OF_PATIENT - 1 else 25
        for view, x, y in spots[:count]:
            sites.add_site(ctx, session_id, preset.site_draft(view, x, y))
        if index < SESSIONS_OF_PATIENT - 1:
            version = session_detail.get_session(ctx, session_id).session.version
            signatures.sign_session(ctx, session_id, version, BENCH_PASSWORD)
    return patient.id, session_id


def _free_spots(canvas: DiagramCanvas, seed: int, count: int) -> Iterator[tuple[View, float, float]]:
    """Spots on the legs with no marker under the pointer when the spot is reached.

    A click there places a site instead of selecting the marker under it.
    """
    given = 0
    for view, x, y in leg_spots(seed, count * 50):
        point = canvas.mapFromScene(to_scene(view, x, y))
        if not any(isinstance(item, SiteMarker) for item in canvas.items(point)):
            yield view, x, y
            given += 1
            if given == count:
                return
    raise RuntimeError("the legs are too full of markers for this benchmark")


def _press_to_painted(app: QApplication, window: MainWindow, rounds: int) -> None:
    canvas = window.charting.canvas
    times, settled = [], []
    for view, x, y in _free_spots(canvas, 11, rounds):
        before = len(canvas._markers)
        started = time.perf_counter()
        _click(canvas, view, x, y)
        canvas.viewport().repaint()
        times.append(ms(time.perf_counter() - started))
        assert len(canvas._markers) == before + 1, (
            f"the click did not place a site: {window.statusBar().currentMessage()}"
        )
        app.processEvents()  # what waits for the next turn: crowded numbers set off, table columns fitted
        canvas.viewport().repaint()
        settled.append(ms(time.perf_counter() - started))
    print(f"press to committed and painted, {SITES_ON_CANVAS}+ sites on the canvas: {summary(times)}")
    print(f"press to numbers set off and table columns fitted, painted again: {summary(settled)}")


def _open_patient(app: QApplication, window: MainWindow, patient_id: str, session_id: str, rounds: int) -> None:
    times = []
    for _ in range(rounds):
        window.show_patient(None)
        app.processEvents()
        started = time.perf_counter()
        window.show_patient(window.api.get_patient(patient_id))
        window.open_session(session_id)
        window.repaint()
        times.append(ms(time.perf_counter() - started))
    sites = len(window.charting.canvas._markers)
    print(
        f"open a patient with {SESSIONS_OF_PATIENT} sessions and show a {sites}-site session, painted: {summary(times)}"
    )


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


def main(argv: list[str]) -> int:
    """Run the charting-screen benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.bench ui")
    parser.add_argument("--clinic", type=Path, help="a clinic from `bench store` for the search figure")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    use_screen(1920, 1080)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="sclerochart-bench-ui-") as scratch:
        os.environ["SCLEROCHART_CONFIG_DIR"] = str(Path(scratch) / "config")
        db = open_database(str(Path(scratch) / "ui.sqlite3"), create=True)
        ctx = ServiceContext(db, "bench", clock=lambda: START + dt.timedelta(weeks=7 * SESSIONS_OF_PATIENT))
        patient_id, session_id = _patient_with_history(ctx)
        window = MainWindow(ServiceApi(ctx))
        window.resize(1920, 1080)
        window.show()
        app.processEvents()
        _open_patient(app, window, patient_id, session_id, rounds=15)
        _press_to_painted(app, window, args.rounds)
        _input_events_per_site(app, window, ctx)
        window.close()
        db.close()
        window.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if args.clinic is not None:
        _search(app, args.clinic, rounds=24)
    else:
        print("search: skipped (give --clinic PATH of a clinic made by `python -m sclerochart.bench store`)")
    return 0
