"""The charting screen's lists change by rows, never by a reset, and the dose totals are worked out once a change.

A site placed is a row inserted into the sites table, an edit one row changed, a delete one row removed and an
undo the row put back; the patient's session list changes the one row of the open session. A reset would make
the views forget their selection and scroll position, and measure and repaint every row.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QAbstractItemModel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sclerochart.domain import dose
from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import View
from sclerochart.readmodels import Changes
from sclerochart.services import session_detail
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.number_placement import NumberPlacer
from sclerochart.ui.totals_panel import TotalsPanel, _hold_width, _room
from tests.ui.helpers import click


def _spy(model: QAbstractItemModel) -> list[str]:
    """What the model announces, in words: "reset", "insert 3-3", "remove 1-1", "change 0-0"."""
    seen: list[str] = []
    model.modelReset.connect(lambda: seen.append("reset"))
    model.rowsInserted.connect(lambda _parent, first, last: seen.append(f"insert {first}-{last}"))
    model.rowsRemoved.connect(lambda _parent, first, last: seen.append(f"remove {first}-{last}"))
    model.dataChanged.connect(lambda top, bottom, _roles=(): seen.append(f"change {top.row()}-{bottom.row()}"))
    return seen


def _settled(qtbot: QtBot) -> None:
    """Let the work the screen leaves for the next turns of the event loop run (the session list follows then)."""
    qtbot.wait(20)


def _after(qtbot: QtBot, seen: list[str], change: Callable[[], object]) -> list[str]:
    seen.clear()
    change()
    _settled(qtbot)
    return list(seen)


def test_the_sites_table_changes_by_rows_when_sites_are_placed_edited_deleted_and_undone(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    charting = window.charting
    model, controller, canvas = charting.site_model, charting.controller, charting.canvas
    qtmodeltester.check(model)  # stays attached: every change below is checked for consistency too
    for height in (20.0, 40.0, 60.0):
        click(canvas, View.ANTERIOR, 0, height)
    seen = _spy(model)

    assert _after(qtbot, seen, lambda: click(canvas, View.ANTERIOR, 1, 30.0)) == ["insert 3-3"]
    second = model.site(1)
    x, y = point_for(View.ANTERIOR, 0, 45.0, 0.0)
    assert _after(qtbot, seen, lambda: controller.move_site(second.id, View.ANTERIOR, x, y)) == ["change 1-1"]
    assert model.site(1).number == 2 and model.site(1).y == pytest.approx(y)
    assert _after(qtbot, seen, lambda: controller.delete_sites([second.id])) == ["remove 1-1"]
    assert [model.site(row).number for row in range(model.rowCount())] == [1, 3, 4]
    assert _after(qtbot, seen, controller.undo_stack.undo) == ["insert 1-1"]
    assert [model.site(row).number for row in range(model.rowCount())] == [1, 2, 3, 4]
    assert _after(qtbot, seen, controller.undo_stack.redo) == ["remove 1-1"]
    assert _after(qtbot, seen, controller.undo_stack.undo) == ["insert 1-1"]
    assert _after(qtbot, seen, controller.undo_stack.undo) == ["change 1-1"]  # the move taken back
    assert model.site(1).y == pytest.approx(second.y)


def test_the_session_list_changes_the_open_sessions_row_when_a_site_is_placed(
    qtbot: QtBot, qtmodeltester: ModelTester, window: MainWindow
) -> None:
    model = window.session_model
    qtmodeltester.check(model)
    row = model.session_ids().index(window.charting.controller.session_id)
    seen = _spy(model)
    assert _after(qtbot, seen, lambda: click(window.charting.canvas, View.ANTERIOR, 0, 30.0)) == [f"change {row}-{row}"]
    assert model.data(model.index(row, 2)) == "1"  # its number of sites


def test_a_click_leaves_no_row_or_column_for_a_second_repaint(qtbot: QtBot, window: MainWindow) -> None:
    """The session's line, the sites table's rows and columns are done as the click is handled (one repaint)."""
    charting, sessions = window.charting, window.session_model
    row = sessions.session_ids().index(charting.controller.session_id)
    table = charting.site_table
    for height in range(5, 95, 4):  # more rows than the table shows: its scroll bar must follow the click
        click(charting.canvas, View.ANTERIOR, 0, float(height))
    _settled(qtbot)
    bar = table.verticalScrollBar()
    before = bar.maximum()
    click(charting.canvas, View.ANTERIOR, 1, 50.0)  # no turn of the event loop after it
    assert sessions.data(sessions.index(row, 2)) == str(charting.site_model.rowCount())
    assert bar.maximum() > before, "the new row is laid out"
    assert not table._fit_due.isActive(), "its columns were fitted with the click"


def test_after_a_click_the_session_list_line_comes_from_the_stored_session_without_another_read(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    reads: list[str] = []
    listed = window.api.list_sessions

    def list_sessions(patient_id: str) -> object:
        reads.append(patient_id)
        return listed(patient_id)

    monkeypatch.setattr(window.api, "list_sessions", list_sessions)
    for height in (20.0, 40.0):
        click(window.charting.canvas, View.ANTERIOR, 0, height)
        _settled(qtbot)
    assert reads == []
    assert window.patient is not None
    assert window.session_model.sessions() == listed(window.patient.id)  # what the store lists, to the line
    window.apply_changes(Changes(sessions=frozenset({"another session"})))  # anything else: read as before
    assert reads == [window.patient.id]


def test_the_totals_are_worked_out_once_a_click_and_the_panel_keeps_its_widgets(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 20.0)
    _settled(qtbot)
    worked_out: list[int] = []
    counted = dose.tallied_totals

    def tallied_totals(*args: object, **kwargs: object) -> object:
        worked_out.append(1)
        return counted(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_detail, "tallied_totals", tallied_totals)
    monkeypatch.setattr(dose, "tallied_totals", tallied_totals)
    monkeypatch.setattr(session_detail, "tally", lambda *_: pytest.fail("every site was added up again"))
    shown: list[int] = []
    original = TotalsPanel.show_totals

    def show_totals(panel: TotalsPanel, *args: tuple[object, ...]) -> None:
        shown.append(1)
        original(panel, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TotalsPanel, "show_totals", show_totals)
    panel = window.charting.totals
    widgets = (dict(panel.agent_rows), dict(panel.gauges))
    for height in (40.0, 60.0, 80.0):
        worked_out.clear()
        shown.clear()
        click(canvas, View.ANTERIOR, 0, height)
        _settled(qtbot)
        assert (len(worked_out), len(shown)) == (1, 1)
    assert (panel.agent_rows, panel.gauges) == widgets  # the same labels and gauges, their figures written anew
    total = window.charting.controller.detail.totals[0]  # type: ignore[union-attr]
    assert total.site_count == 4
    assert panel._figures[total.agent_id][0].text() == "4"


def test_after_a_click_only_the_numbers_near_the_new_marker_are_placed_again(window: MainWindow) -> None:
    canvas = window.charting.canvas
    for leg in (0, 1):
        for height in range(5, 95, 6):
            click(canvas, View.ANTERIOR, leg, float(height))
            click(canvas, View.POSTERIOR, leg, float(height))
    canvas.place_numbers()
    placer = canvas.numbers._today
    assert isinstance(placer, NumberPlacer)
    markers = len(canvas._markers)
    click(canvas, View.RIGHT_LATERAL, 0, 50.0)
    assert not canvas.numbers_pending(), "a click's numbers are placed before it is painted"
    assert 1 <= placer.placed_again < markers / 4


def test_a_click_adds_its_marker_without_going_through_every_marker(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    canvas = window.charting.canvas
    for height in range(10, 90, 8):
        click(canvas, View.ANTERIOR, 0, float(height))
    before = dict(canvas._markers)
    with monkeypatch.context() as patched:
        every = "every marker was gone through for one click"
        patched.setattr(canvas._marker_set, "_show_all", lambda *_: pytest.fail(every))
        click(canvas, View.POSTERIOR, 0, 50.0)
    assert len(canvas._markers) == len(before) + 1
    assert all(canvas._markers[site_id] is marker for site_id, marker in before.items())


def test_the_dose_figures_keep_their_place_as_clicks_change_them(qtbot: QtBot, window: MainWindow) -> None:
    """Figures are written into labels of a set size: the panel and the window are not laid out again per click."""
    canvas = window.charting.canvas
    click(canvas, View.ANTERIOR, 0, 20.0)
    _settled(qtbot)
    panel = window.charting.totals
    (cells,) = panel._figures.values()
    where = [(cell.x(), cell.size()) for cell in cells]
    texts = [cell.text() for cell in cells]
    for height in (30.0, 40.0, 50.0, 60.0):
        click(canvas, View.ANTERIOR, 0, height)
        _settled(qtbot)
    assert [cell.text() for cell in cells] != texts
    assert [(cell.x(), cell.size()) for cell in cells] == where, "no figure shifted sideways or changed its size"
    for cell in cells:
        assert cell.fontMetrics().horizontalAdvance(cell.text()) <= cell.contentsRect().width()
    wide = "12345.67 mL"  # more than the room kept: the label widens to show it whole
    cells[1].setText(wide)
    _hold_width(cells[1])
    assert cells[1].fontMetrics().horizontalAdvance(wide) <= cells[1].width()


def test_a_figure_keeps_room_for_its_decimals_not_for_more_whole_digits() -> None:
    assert _room("3.5 mL", decimals=True) == "9.99 mL"
    assert _room("20.2", decimals=True) == "99.99"
    assert _room("1", decimals=True) == "9.99"
    assert _room("19", decimals=False) == "99"
    assert _room("–", decimals=True) == "9.99 mL"  # no foam yet: the first foam sites do not move the columns


def test_after_a_pan_the_numbers_are_placed_once_the_view_rests_not_by_the_next_click(
    qtbot: QtBot, window: MainWindow
) -> None:
    canvas = window.charting.canvas
    for leg in (0, 1):
        for height in range(5, 95, 6):
            click(canvas, View.ANTERIOR, leg, float(height))
    canvas.focus_view(View.ANTERIOR)
    canvas.zoom(1.6)
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)
    placer = canvas.numbers._today
    assert isinstance(placer, NumberPlacer)
    bar = canvas.verticalScrollBar()
    assert bar.maximum() > 0, "zoomed in: the view can be moved"
    for _ in range(3):  # a pan in steps: the numbers wait for the view to rest
        bar.setValue(bar.value() + 40)
        assert canvas.numbers_pending()
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)
    markers = len(canvas._markers)
    assert placer.placed_again >= markers - 1, "the area shown moved: every number was placed for it"
    click(canvas, View.ANTERIOR, 0, 50.0)
    assert 1 <= placer.placed_again < markers / 4, "the click placed only the numbers near its marker"


def test_a_larger_font_measures_the_dose_figures_again(qtbot: QtBot, window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 20.0)
    _settled(qtbot)
    panel = window.charting.totals
    (cells,) = panel._figures.values()
    font = panel.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    panel.setFont(font)
    qtbot.waitUntil(lambda: all(cell.fontMetrics().horizontalAdvance(cell.text()) <= cell.width() for cell in cells))
