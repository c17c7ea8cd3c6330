"""The Site tab always shows the site selected, however it was selected: marker, table row, after a switch."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionDraft, View
from sclerochart.services import patients, sessions
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.ui.helpers import click, ctx_of, send_mouse, stored_sites, viewport_point


def click_row(window: MainWindow, row: int) -> None:
    table = window.charting.site_table
    rect = table.visualRect(window.charting.site_model.index(row, 2))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def click_marker(window: MainWindow, site_id: int) -> None:
    canvas = window.charting.canvas
    site = next(s for s in stored_sites(window) if s.id == site_id)
    point: QPoint = viewport_point(canvas, site.view, site.x, site.y)
    from PySide6.QtCore import QEvent

    send_mouse(canvas, QEvent.Type.MouseButtonPress, point, Qt.MouseButton.LeftButton)
    send_mouse(canvas, QEvent.Type.MouseButtonRelease, point, Qt.MouseButton.NoButton)


def heading(window: MainWindow) -> str:
    return window.charting.site_editor.heading.text()


def test_rows_and_markers_choose_the_site_the_tab_shows_also_after_a_switch(qtbot: QtBot, window: MainWindow) -> None:
    shown = window.charting.controller.detail
    assert shown is not None
    first_session = shown.session.id
    for height in (20, 35, 50, 65):
        click(window.charting.canvas, View.ANTERIOR, 0, height)
    # Another patient with a charted session, opened and closed again first.
    other = patients.create_patient(ctx_of(window), patient_draft(chart_number="SC-0002", family_name="Johnson"))
    other_session = sessions.start_session(
        ctx_of(window), other.id, SessionDraft(None, ctx_of(window).clock(), weight_kg=60)
    )
    window.open_session(other_session.id)
    for height in (25, 45):
        click(window.charting.canvas, View.POSTERIOR, 1, height)
    assert window.patient is not None and window.patient.chart_number == "SC-0002", "the chart follows the session"
    window.open_session(first_session)
    placed = stored_sites(window)
    assert [s.number for s in placed] == [1, 2, 3, 4]
    click_row(window, 2)
    assert "Site 3" in heading(window)
    click_marker(window, placed[1].id)
    assert "Site 2" in heading(window)
    click_row(window, 3)
    assert "Site 4" in heading(window)
    rows = [index.row() for index in window.charting.site_table.selectionModel().selectedRows()]
    assert rows == [3] and window.charting.canvas.selected_ids() == [placed[3].id]
    editor = window.charting.site_editor
    editor.volume.setFocus()
    editor.volume.selectAll()
    qtbot.keyClicks(editor.volume, "0.25")  # within the label's 0.3 mL per injection: no reason asked for
    qtbot.keyClick(editor.volume, Qt.Key.Key_Return)
    assert [s.volume_ml for s in stored_sites(window)] == [0.2, 0.2, 0.2, 0.25], "the site shown is the site changed"
