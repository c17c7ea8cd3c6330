"""The main window: the patient list, type-ahead, and the chosen patient's sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionDraft
from sclerochart.services import patients, sessions
from sclerochart.services.context import ServiceContext
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft


@pytest.fixture
def window(qtbot: QtBot, ctx: ServiceContext) -> MainWindow:
    zoe = patients.create_patient(ctx, patient_draft())
    patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Иванов", given_name="Дмитрий"))
    sessions.start_session(ctx, zoe.id, SessionDraft(None, ctx.clock() - dt.timedelta(weeks=8), weight_kg=60.0))
    widget = MainWindow(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_window_lists_patients_and_shows_the_first_ones_chart(window: MainWindow) -> None:
    assert window.patient_model.rowCount() == 2
    assert window.name_label.text() == "Łukasiewicz-Ødegård, Zoë"
    assert window.session_model.rowCount() == 1
    assert window.result_label.text() == "2 patients."


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
    assert window.name_label.text() == "Choose a patient from the list."


def test_item_models_pass_the_model_tester(qtmodeltester: ModelTester, qtbot: QtBot, ctx: ServiceContext) -> None:
    empty = MainWindow(ctx)
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
