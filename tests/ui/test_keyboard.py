"""The charting screen from the keyboard alone: the cross, nudging, edit and duplicate keys, tab order, hints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import VIEWS, region_at
from sclerochart.domain.values import View
from sclerochart.ui.diagram_canvas import KEY_STEP, from_scene
from sclerochart.ui.main_window import MainWindow
from tests.ui.helpers import click, stored_sites, viewport_point


def _focused_canvas(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)


def test_the_arrow_keys_and_space_place_a_site_under_the_cross(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    _focused_canvas(qtbot, window)
    assert not canvas.cross.isVisible()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Down):
        qtbot.keyClick(canvas, key)
    assert canvas.cross.isVisible()
    where = from_scene(canvas.cross.pos())
    assert where is not None
    region = region_at(*where)
    assert region is not None and region.label in window.statusBar().currentMessage()
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    (site,) = stored_sites(window)
    assert (site.view, site.region) == (where[0], region.code)
    assert (site.x, site.y) == pytest.approx(where[1:])


def test_the_cross_beside_the_legs_places_nothing_and_says_so(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    _focused_canvas(qtbot, window)
    for _ in range(40):  # from the right thigh towards the gap between the legs
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
        if "beside the legs" in window.statusBar().currentMessage():
            break
    else:
        pytest.fail("the cross never left the right leg")
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    assert stored_sites(window) == ()


def test_arrows_move_the_selected_site_and_one_undo_takes_the_run_back(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30.0)
    (placed,) = stored_sites(window)
    window.charting.selection.select([placed.id])  # as a click on the marker does
    _focused_canvas(qtbot, window)
    for _ in range(3):
        qtbot.keyClick(canvas, Qt.Key.Key_Down)
    (moved,) = stored_sites(window)
    assert moved.y > placed.y and moved.x == pytest.approx(placed.x)
    height_of_step = KEY_STEP * VIEWS[View.ANTERIOR].width / VIEWS[View.ANTERIOR].height
    assert moved.y - placed.y == pytest.approx(3 * height_of_step)
    assert window.undo_stack.count() == 2  # the placing, and the three nudges as one
    window.undo_stack.undo()
    (back,) = stored_sites(window)
    assert (back.x, back.y) == pytest.approx((placed.x, placed.y))


def test_f2_edits_ctrl_d_duplicates_and_esc_clears_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 30.0)
    (site,) = stored_sites(window)
    window.charting.selection.select([site.id])  # as a click on the marker does
    _focused_canvas(qtbot, window)
    qtbot.keyClick(canvas, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [s.number for s in stored_sites(window)] == [1, 2]
    window.charting.selection.select([site.id])  # as a click on the marker does
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_F2)
    editor = window.charting.site_editor
    assert window.charting.tabs.currentIndex() == 0
    qtbot.waitUntil(editor.volume.hasFocus)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.selected_ids() == []


def test_ctrl_i_opens_the_session_details(qtbot: QtBot, window: MainWindow) -> None:
    _focused_canvas(qtbot, window)
    qtbot.keyClick(window.charting.canvas, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.charting.tabs.currentIndex() == 1
    qtbot.waitUntil(window.charting.session_panel.started.hasFocus)


def _tab_stops(start: QWidget) -> list[QWidget]:
    """The widgets Tab visits from `start` until it comes back round."""
    stops: list[QWidget] = []
    widget: QWidget | None = start
    while widget is not None and len(stops) < 200:
        stops.append(widget)
        widget = widget.nextInFocusChain()
        while widget is not None and not (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.isEnabled()
        ):
            widget = widget.nextInFocusChain()
        if widget is start:
            break
    return stops


def test_tab_goes_from_the_search_to_the_chart_to_the_diagram_to_its_table_to_the_panels(window: MainWindow) -> None:
    stops = _tab_stops(window.search_field)
    charting = window.charting
    order = [
        window.search_field,
        window.patient_table,
        window.session_table,
        window.new_session_button,
        charting.canvas,
        charting.site_table,
        charting.tabs,
    ]
    positions = [stops.index(widget) for widget in order]
    assert positions == sorted(positions)
    assert stops[stops.index(charting.canvas) + 1] is charting.site_table  # the viewport is no stop of its own


def test_every_menu_entry_has_a_hint_and_no_two_share_a_key(window: MainWindow) -> None:
    actions: list[QAction] = []
    for entry in window.menuBar().actions():
        menu = entry.menu()
        assert isinstance(menu, QMenu)
        actions.extend(a for a in menu.actions() if not a.isSeparator())
    missing = [a.text() for a in actions if not a.statusTip() and "About" not in a.text()]
    assert missing == []
    keys = [a.shortcut().toString() for a in actions if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), keys
    digits = {QKeySequence(str(n)).toString() for n in range(1, 10)}
    assert not digits & set(keys)  # 1–9 are the preset keys


def test_a_click_on_the_diagram_gives_it_the_keys(qtbot: QtBot, window: MainWindow) -> None:
    window.search_field.setFocus()
    qtbot.waitUntil(window.search_field.hasFocus)
    canvas = window.charting.canvas
    point = viewport_point(canvas, View.ANTERIOR, 0.5, 0.5)  # between the legs: places nothing
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_4)
    preset = window.charting.controller.preset
    assert preset is not None and preset.key == 4
