"""The charting screen: clicks on the six views, presets, drag, delete, undo/redo, limits, selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.dose import Finding
from sclerochart.domain.values import Form, SiteDraft, View
from sclerochart.services import audit, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from sclerochart.ui.charting_controller import ChartingController
from sclerochart.ui.diagram_canvas import to_scene
from sclerochart.ui.main_window import MainWindow
from tests.conftest import FixedClock
from tests.ui.helpers import click, ctx_of, drag, send_mouse, stored_sites, viewport_point

SPOTS = {
    (View.ANTERIOR, 0, 30.0): "Right anterior thigh, distal third",
    (View.POSTERIOR, 1, 47.0): "Right popliteal fossa",
    (View.RIGHT_LATERAL, 0, 60.0): "Right lateral lower leg, proximal third",
    (View.RIGHT_MEDIAL, 0, 89.0): "Right medial ankle (malleolus)",
    (View.LEFT_LATERAL, 0, 20.0): "Left lateral thigh, middle third",
    (View.LEFT_MEDIAL, 0, 70.0): "Left medial lower leg, middle third",
}


def test_a_click_on_each_view_stores_a_site_with_its_region_and_the_preset(window: MainWindow) -> None:
    canvas = window.charting.canvas
    preset = window.charting.controller.preset
    assert preset is not None and preset.key == 1
    for (view, leg, height), _label in SPOTS.items():
        click(canvas, view, leg, height)
    sites = stored_sites(window)
    assert [s.region_label for s in sites] == list(SPOTS.values())
    assert [s.number for s in sites] == [1, 2, 3, 4, 5, 6]
    assert all(
        (s.agent_id, s.concentration, s.volume_ml, s.form)
        == (preset.agent_id, preset.concentration, preset.volume_ml, preset.form)
        for s in sites
    )
    assert window.charting.site_model.rowCount() == 6
    assert len(canvas._markers) == 6


def test_a_click_beside_the_legs_places_nothing_and_says_why(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    with qtbot.waitSignal(canvas.refused) as blocker:
        point = viewport_point(canvas, View.ANTERIOR, 0.5, 0.5)
        send_mouse(canvas, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
        send_mouse(canvas, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)
    assert "click on the leg" in blocker.args[0]
    assert stored_sites(window) == ()


def test_preset_keys_switch_the_settings_of_the_next_site(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_4)
    preset = window.charting.controller.preset
    assert preset is not None and preset.key == 4
    assert window.charting.preset_buttons.button(4).isChecked()
    click(canvas, View.ANTERIOR, 1, 20)
    (site,) = stored_sites(window)
    assert (site.form, site.foam_liquid_parts, site.foam_gas_parts, site.concentration) == (Form.FOAM, 1, 4, 0.5)
    qtbot.keyClick(canvas, Qt.Key.Key_9)  # no preset there: stays on 4
    assert window.charting.controller.preset is preset


def test_undo_and_redo_round_trip_through_the_database(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30)
    click(canvas, View.POSTERIOR, 0, 60)
    first, second = stored_sites(window)
    window.undo_stack.undo()
    assert [s.number for s in stored_sites(window)] == [1]
    window.undo_stack.undo()
    assert stored_sites(window) == ()
    window.undo_stack.redo()
    window.undo_stack.redo()
    again = stored_sites(window)
    assert [(s.number, s.region, s.view) for s in again] == [(s.number, s.region, s.view) for s in (first, second)]
    assert window.charting.site_model.rowCount() == 2
    actions = [e.action for e in audit.history(ctx_of(window), "site", first.id)]
    assert actions == ["create", "delete"]


def test_drag_moves_a_site_and_the_move_is_stored_and_undoable(window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    start = viewport_point(canvas, site.view, site.x, site.y)
    end = viewport_point(canvas, View.RIGHT_LATERAL, *point_for(View.RIGHT_LATERAL, 0, 60, 0.0))
    drag(canvas, start, end)
    (moved,) = stored_sites(window)
    assert moved.view is View.RIGHT_LATERAL
    assert moved.region_label == "Right lateral lower leg, proximal third"
    window.undo_stack.undo()
    (back,) = stored_sites(window)
    assert (back.view, back.region) == (site.view, site.region)


def test_a_marker_dropped_beside_the_legs_goes_back(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    start = viewport_point(canvas, site.view, site.x, site.y)
    with qtbot.waitSignal(canvas.refused):
        drag(canvas, start, viewport_point(canvas, View.ANTERIOR, 0.5, 0.5))
    assert stored_sites(window) == (site,)
    assert canvas.marker(site.id).pos() == to_scene(site.view, site.x, site.y)


def test_delete_removes_the_selected_sites_and_undo_brings_them_back(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30)
    click(canvas, View.ANTERIOR, 1, 30)
    first, _second = stored_sites(window)
    window.charting.selection.select([first.id])  # as a click on the marker does
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert [s.number for s in stored_sites(window)] == [2]
    window.undo_stack.undo()
    assert [s.number for s in stored_sites(window)] == [1, 2]


def test_a_site_over_a_limit_needs_a_reason(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    controller = window.charting.controller
    controller.choose_preset_key(3)  # polidocanol 1 %, 0.3 mL = 3 mg each; 70 kg allows 140 mg
    asked: list[str] = []

    def refuse(findings: tuple[Finding, ...], doing: str) -> None:
        asked.append(findings[0].message)
        assert doing == "place the site"

    monkeypatch.setattr(controller, "confirm_over_limit", refuse)
    for index in range(46):
        sites.add_site(ctx_of(window), controller.session_id, controller_draft(controller, index))
    controller.refresh()
    click(window.charting.canvas, View.ANTERIOR, 0, 30)  # 47 × 3 mg = 141 mg
    assert len(stored_sites(window)) == 46
    assert "exceeds the limit of 140 mg" in asked[0]
    monkeypatch.setattr(controller, "confirm_over_limit", lambda findings, _doing: "Agreed with Dr. Müller")
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    last = stored_sites(window)[-1]
    assert last.override_reason == "Agreed with Dr. Müller"
    assert window.charting.totals.gauges[(last.agent_id, "mg per day")].property("severity") == "exceeded"


def controller_draft(controller: ChartingController, index: int) -> SiteDraft:
    assert controller.preset is not None
    return controller.preset.site_draft(View.POSTERIOR, *point_for(View.POSTERIOR, index % 2, 5 + index, 0.0))


def test_canvas_and_table_selection_stay_in_step(window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30)
    click(canvas, View.POSTERIOR, 0, 60)
    first, second = stored_sites(window)
    canvas.marker(second.id).setSelected(True)
    rows = [index.row() for index in window.charting.site_table.selectionModel().selectedRows()]
    assert rows == [1]
    window.charting.site_table.selectRow(0)
    assert canvas.selected_ids() == [first.id]


def test_the_site_table_passes_the_model_tester(qtmodeltester: ModelTester, window: MainWindow) -> None:
    model = window.charting.site_model
    qtmodeltester.check(model)  # attached first, so it checks every change that follows
    canvas = window.charting.canvas
    for (view, leg, height), _ in list(SPOTS.items())[:3]:
        click(canvas, view, leg, height)
    assert model.rowCount() == 3
    first, *_rest = stored_sites(window)
    window.charting.controller.delete_sites([first.id])
    assert model.rowCount() == 2
    window.undo_stack.undo()
    assert model.rowCount() == 3
    window.charting.controller.close_session()
    assert model.rowCount() == 0


def test_close_and_reopen_shows_the_same_session(
    qtbot: QtBot, window: MainWindow, db_path: Path, clock: FixedClock
) -> None:
    canvas = window.charting.canvas
    for (view, leg, height), _ in SPOTS.items():
        click(canvas, view, leg, height)
    session_id = window.charting.controller.session_id
    before = stored_sites(window)
    window.close()
    ctx_of(window).db.close()

    reopened_db = open_database(str(db_path))
    ctx = ServiceContext(reopened_db, "tester", clock)
    again = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(again)
    again.show()
    again.search_field.setText("zoe")
    again.run_search()
    assert again.session_model.rowCount() == 1
    again._session_activated(again.session_model.index(0, 0))
    assert again.charting.controller.session_id == session_id
    assert again.charting.controller.detail is not None
    assert again.charting.controller.detail.sites == before
    assert again.charting.site_model.rowCount() == 6
    again.close()
    reopened_db.close()
