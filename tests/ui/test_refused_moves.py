"""A move the store refuses leaves every marker where the database says it is; a signed session's cannot move."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsItem
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import Site, View
from sclerochart.ui.diagram_canvas import to_scene
from sclerochart.ui.main_window import MainWindow
from tests.ui.helpers import click, drag, sign_open_session, stored_sites, viewport_point


def _place_one(window: MainWindow) -> Site:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    (site,) = stored_sites(window)
    return site


def _drag_to_the_calf(window: MainWindow, site: Site) -> None:
    canvas = window.charting.canvas
    start = viewport_point(canvas, site.view, site.x, site.y)
    end = viewport_point(canvas, View.RIGHT_LATERAL, *point_for(View.RIGHT_LATERAL, 0, 60, 0.0))
    drag(canvas, start, end)


def _where_shown(window: MainWindow, site: Site) -> QPointF:
    return window.charting.canvas.marker(site.id).pos()


def test_a_signed_sessions_markers_cannot_be_dragged(window: MainWindow) -> None:
    site = _place_one(window)
    sign_open_session(window)
    marker = window.charting.canvas.marker(site.id)
    assert not marker.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    assert not marker.hasCursor() or marker.cursor().shape() != Qt.CursorShape.OpenHandCursor
    _drag_to_the_calf(window, site)
    assert stored_sites(window) == (site,)
    assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)


def test_arrow_keys_do_not_move_a_signed_sessions_marker(qtbot: QtBot, window: MainWindow) -> None:
    site = _place_one(window)
    sign_open_session(window)
    canvas = window.charting.canvas
    window.charting.selection.select([site.id])  # as a click on the marker does
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
        qtbot.keyClick(canvas, key)
        assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)
    assert stored_sites(window) == (site,)
    assert "signed" in window.statusBar().currentMessage()


def test_a_signed_session_offers_no_preset_pen_or_placing_hint(qtbot: QtBot, window: MainWindow) -> None:
    charting = window.charting
    _place_one(window)
    charting.set_pen_mode(True)
    sign_open_session(window)
    assert not charting.pen_action.isEnabled() and not charting.canvas.pen_mode
    assert not charting.sign_action.isEnabled()
    assert not charting.preset_buttons.button(1).isEnabled()
    assert "signed" in charting.current_preset.text() and "Next click" not in charting.current_preset.text()
    canvas = charting.canvas
    point = viewport_point(canvas, View.POSTERIOR, *point_for(View.POSTERIOR, 0, 60, 0.0))
    qtbot.mouseMove(canvas.viewport(), point)
    canvas.hovered.emit("Right popliteal fossa")
    assert "signed" in window.statusBar().currentMessage()
    assert "click to place" not in window.statusBar().currentMessage()
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_4)
    preset = charting.controller.preset
    assert preset is not None and preset.key == 1
    charting.controller.close_session()  # no session: the presets may be chosen for the next one
    assert charting.preset_buttons.button(1).isEnabled()


def test_a_marker_dropped_beside_the_legs_is_shown_where_it_is_stored(qtbot: QtBot, window: MainWindow) -> None:
    site = _place_one(window)
    canvas = window.charting.canvas
    with qtbot.waitSignal(canvas.refused):
        drag(canvas, viewport_point(canvas, site.view, site.x, site.y), viewport_point(canvas, View.ANTERIOR, 0.5, 0.5))
    assert stored_sites(window) == (site,)
    assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)


def test_a_drop_on_a_locked_database_is_shown_where_it_is_stored(
    locked_window: tuple[MainWindow, sqlite3.Connection], warnings: list[str]
) -> None:
    window, other_room = locked_window
    site = _place_one(window)
    other_room.execute("BEGIN IMMEDIATE")  # another room holds the write lock
    _drag_to_the_calf(window, site)
    assert warnings and "in use by another program" in warnings[-1]
    other_room.rollback()
    assert stored_sites(window) == (site,)
    assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)
    assert window.charting.site_model.site(0) == site


def test_showing_the_stored_sites_puts_a_moved_marker_back(window: MainWindow) -> None:
    site = _place_one(window)
    canvas = window.charting.canvas
    canvas.marker(site.id).setPos(to_scene(View.POSTERIOR, 0.3, 0.5))
    canvas.set_sites(stored_sites(window), window.charting.styles)
    assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)


def test_a_marker_off_its_spot_goes_back_when_the_next_site_is_placed(window: MainWindow) -> None:
    """A click adds only its own marker; one left off its stored spot (a drag not yet stored) still goes back."""
    site = _place_one(window)
    canvas = window.charting.canvas
    marker = canvas.marker(site.id)
    marker.setPos(marker.pos() + QPointF(40, 25))  # where a drag leaves it until the store answers
    click(canvas, View.POSTERIOR, 0, 30)
    assert len(stored_sites(window)) == 2
    assert _where_shown(window, site) == to_scene(site.view, site.x, site.y)
