"""The Session tab's lots: typed once, carried to the agent's sites; an expired lot asks for its reason."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import View
from sclerochart.ui.main_window import MainWindow
from tests.ui.helpers import click, ctx_of, stored_session, stored_sites


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
    assert "Expiry" in row.state.text() and "give the reason" in row.state.text(), "said under the row itself"
    assert [site.lot_number for site in stored_sites(window)] == [""], "nothing stored"
    later = today + dt.timedelta(days=300)
    row.expiry.setDate(QDate(later.year, later.month, later.day))
    assert not row.reason.isVisibleTo(box)
    assert box.set_lot(row) is True
    assert [site.lot_number for site in stored_sites(window)] == ["PX-77"]
    assert "PX-77" in row.state.text() and later.strftime("%d.%m.%Y") in row.state.text()
    click(window.charting.canvas, View.ANTERIOR, 0, 50)
    assert [site.lot_number for site in stored_sites(window)] == ["PX-77", "PX-77"], "a site placed after gets it"


def test_vcss_of_the_session_is_scored_in_its_dialog_and_kept_when_other_fields_are_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    from sclerochart.ui.session_scores import SessionScoresDialog

    screen = window.charting
    detail = screen.controller.detail
    assert detail is not None
    dialog = SessionScoresDialog(screen, detail.session, window)
    qtbot.addWidget(dialog)
    dialog.scores.combos["left"]["pain"].setCurrentIndex(2)  # score 1
    dialog.scores.ceap["left"].setText("C7")
    assert dialog.save() is False and "CEAP left leg" in dialog.message.text()
    dialog.scores.ceap["left"].setText("c2 s")
    assert dialog.save() is True
    stored = stored_session(window).session
    assert (stored.ceap_left, stored.vcss_left, stored.vcss_right) == ("C2,S", {"pain": 1}, None)
    assert screen.scores_button.text() == "VCSS right — · left 1 (part)…"
    screen.tabs.setCurrentIndex(1)
    panel = screen.session_panel
    panel.notes.setPlainText("Tolerated well.")
    assert panel.store()
    assert stored_session(window).session.vcss_left == {"pain": 1}, "saving another field keeps the score"


def test_no_field_of_the_session_tab_is_squeezed_at_1366_by_768(qtbot: QtBot, window: MainWindow) -> None:
    """A wrapped label in the lots' grid once made the scrolling tab give every field less than its height."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

    screen = window.charting
    screen.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bool(screen.lots.rows))
    fields = [
        field
        for field in screen.session_panel.findChildren(QLineEdit)
        if field.isVisibleTo(screen) and not isinstance(field.parent(), QComboBox | QAbstractSpinBox)
    ]
    fields.append(screen.session_panel.override)
    assert len(fields) >= 5
    squeezed = [field.placeholderText() for field in fields if field.height() < field.minimumSizeHint().height()]
    assert squeezed == []


def test_a_lot_typed_but_not_set_survives_a_site_placed_meanwhile(qtbot: QtBot, window: MainWindow) -> None:
    screen = window.charting
    screen.tabs.setCurrentIndex(1)
    box = screen.lots
    qtbot.waitUntil(lambda: bool(box.rows))
    row = box.rows[1]
    row.lot.setFocus()
    qtbot.keyClicks(row.lot, "TYPED-1")
    screen.tabs.setCurrentIndex(1)
    click(window.charting.canvas, View.ANTERIOR, 0, 30)  # the session's version moves
    screen.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "not set yet" in row.state.text())
    assert row.lot.text() == "TYPED-1", "what was typed is not wiped"
    assert box.set_lot(row)
    assert row.state.text().startswith("Stored: TYPED-1")
