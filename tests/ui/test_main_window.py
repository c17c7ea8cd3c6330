"""The main window: the patient list, type-ahead, and the chosen patient's sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sclerochart import paths
from sclerochart.domain.values import SessionDraft
from sclerochart.services import audit, patients, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.main_window import MainWindow
from tests.conftest import FixedClock, patient_draft
from tests.ui.helpers import ctx_of


@pytest.fixture
def window(qtbot: QtBot, ctx: ServiceContext) -> MainWindow:
    zoe = patients.create_patient(ctx, patient_draft())
    patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Иванов", given_name="Дмитрий"))
    sessions.start_session(ctx, zoe.id, SessionDraft(None, ctx.clock() - dt.timedelta(weeks=8), weight_kg=60.0))
    widget = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_window_lists_patients_and_preselects_nobody(window: MainWindow) -> None:
    assert window.patient_model.rowCount() == 2
    assert window.result_label.text() == "2 patients."
    assert window.patient is None and window.name_label.text() == "Choose a patient from the list."
    assert not window.new_session_button.isEnabled(), "no session for a patient nobody chose"
    assert not window.windowTitle().startswith("Łukasiewicz")
    window.patient_table.selectRow(0)
    assert window.name_label.text() == "Łukasiewicz-Ødegård, Zoë"
    assert window.session_model.rowCount() == 1
    assert window.windowTitle() == "Łukasiewicz-Ødegård, Zoë (SC-0001) — ScleroChart", "the chart open is named"
    assert "Zoë Łukasiewicz-Ødegård" not in window.charting.header.text(), "no session open yet"
    window.session_table.selectRow(0)
    window.open_session(window.session_model.session_ids()[0])
    header = window.charting.header.text()
    assert header.startswith("<b>Zoë Łukasiewicz-Ødegård</b> (SC-0001) · <b>Session"), "named above the diagram"


def test_typing_narrows_the_list(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search_field, "sc-0002")
    qtbot.waitUntil(lambda: window.patient_model.rowCount() == 1, timeout=2000)
    assert window.name_label.text() == "Иванов, Дмитрий"
    assert window.session_model.rowCount() == 0
    window.search_field.setText("łukasiewicz zo")  # keyClicks types ASCII only
    qtbot.waitUntil(lambda: window.name_label.text() == "Łukasiewicz-Ødegård, Zoë", timeout=2000)
    assert window.session_model.rowCount() == 1
    window.search_field.setText("nobody")
    qtbot.waitUntil(lambda: window.result_label.text() == "No patient matches.", timeout=2000)
    assert window.name_label.text() == "Łukasiewicz-Ødegård, Zoë", "a search that finds nobody closes no chart"
    window.search_field.setText("")
    qtbot.waitUntil(lambda: window.patient_model.rowCount() == 2, timeout=2000)
    selected = window.patient_table.selectionModel().selectedRows()
    assert [window.patient_model.hit(index.row()).chart_number for index in selected] == ["SC-0001"]


def test_item_models_pass_the_model_tester(qtmodeltester: ModelTester, qtbot: QtBot, ctx: ServiceContext) -> None:
    empty = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(empty)
    empty.show()
    assert empty.patient_model.rowCount() == 0
    qtmodeltester.check(empty.patient_model)  # attached before any data, so they check every change that follows
    qtmodeltester.check(empty.session_model)
    zoe = patients.create_patient(ctx, patient_draft())
    patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Иванов", given_name="Дмитрий"))
    for weeks in (16, 8):
        sessions.start_session(ctx, zoe.id, SessionDraft(None, ctx.clock() - dt.timedelta(weeks=weeks)))
    empty.run_search()
    assert empty.patient_model.rowCount() == 2
    empty.patient_table.selectRow(0)
    assert empty.session_model.rowCount() == 2
    empty.search_field.setText("sc-0002")
    empty.run_search()
    assert (empty.patient_model.rowCount(), empty.session_model.rowCount()) == (1, 0)
    empty.search_field.setText("nobody")
    empty.run_search()
    assert empty.patient_model.rowCount() == 0
    empty.search_field.clear()
    empty.run_search()
    empty.patient_table.selectRow(0)
    assert empty.session_model.rowCount() == 2


def test_a_new_session_is_listed_and_chosen_at_once(window: MainWindow, clock: FixedClock) -> None:
    window.patient_table.selectRow(0)
    assert window.patient is not None
    before = window.session_model.session_ids()
    clock.now += dt.timedelta(weeks=7, seconds=42)  # a time with seconds, shown to the minute
    window.new_session()
    detail = window.charting.controller.detail
    assert detail is not None and detail.session.id not in before
    assert window.session_model.session_ids()[0] == detail.session.id, "the new session heads the list"
    rows = window.session_table.selectionModel().selectedRows()
    assert [row.row() for row in rows] == [0]


def test_leaving_a_new_sessions_details_untouched_writes_nothing(window: MainWindow, clock: FixedClock) -> None:
    window.patient_table.selectRow(0)
    assert window.patient is not None
    clock.now += dt.timedelta(weeks=7, seconds=42)
    window.new_session()
    detail = window.charting.controller.detail
    assert detail is not None
    assert window.charting.commit_pending()  # as leaving the Session tab for the search field does
    events = audit.history(ctx_of(window), "session", detail.session.id)
    assert [event.action for event in events] == ["create"], "nothing the user did not change is stored"


def test_the_window_layout_is_remembered_between_starts(qtbot: QtBot, window: MainWindow) -> None:
    window.splitter.setSizes([420, 940])
    window.close()
    again = MainWindow(window.api)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.splitter.sizes()[0] == window.splitter.sizes()[0]
    assert (paths.config_dir() / "window.ini").is_file(), "kept in the config folder, apart from clinical data"
