"""The Session tab's lots: typed once, carried to the agent's sites; an expired lot asks for its reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import View
from sclerochart.ui.main_window import MainWindow
from tests.ui.helpers import click, ctx_of, stored_sites


def test_a_lot_typed_in_the_session_tab_reaches_the_sites(qtbot: QtBot, window: MainWindow) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    screen = window.charting
    screen.tabs.setCurrentIndex(1)
    box = screen.lots
    qtbot.waitUntil(lambda: bool(box.rows))
    row = box.rows[1]  # polidocanol
    row.lot.setText("PX-77")
    today = ctx_of(window).today()
    yesterday = today - dt.timedelta(days=1)
    row.expiry.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert row.reason.isVisibleTo(box), "an expired lot asks why it was used"
    assert box.set_lot(row) is False
    assert "Expiry" in box.message.text() and "give the reason" in box.message.text()
    assert [site.lot_number for site in stored_sites(window)] == [""], "nothing stored"
    later = today + dt.timedelta(days=300)
    row.expiry.setDate(QDate(later.year, later.month, later.day))
    assert not row.reason.isVisibleTo(box)
    assert box.set_lot(row) is True
    assert [site.lot_number for site in stored_sites(window)] == ["PX-77"]
    assert "PX-77" in row.state.text() and later.strftime("%d.%m.%Y") in row.state.text()
    click(window.charting.canvas, View.ANTERIOR, 0, 50)
    assert [site.lot_number for site in stored_sites(window)] == ["PX-77", "PX-77"], "a site placed after gets it"
