"""Earlier sessions' sites, shown faintly, belong to the open session: never to another patient's chart."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import SessionDraft, View
from sclerochart.services import catalogue, patients, sessions, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.diagram_canvas import SiteMarker
from sclerochart.ui.main_window import MainWindow
from tests.conftest import patient_draft
from tests.signing import sign


def _faint(window: MainWindow) -> list[str]:
    """The session ids of the faint markers on the diagram."""
    items = window.charting.canvas.scene().items()
    return sorted(item.site.session_id for item in items if isinstance(item, SiteMarker) and item.faint)


def _course(ctx: ServiceContext, chart: str, family: str, earlier_sites: int) -> tuple[str, str, str]:
    """A patient with a signed session 8 weeks ago (with sites) and a draft today: (patient, earlier, today)."""
    patient = patients.create_patient(ctx, patient_draft(chart_number=chart, family_name=family))
    started = ctx.clock() - dt.timedelta(weeks=8)
    earlier = sessions.start_session(ctx, patient.id, SessionDraft(None, started, weight_kg=70.0))
    preset = catalogue.list_presets(ctx)[0]
    for index in range(earlier_sites):
        draft = preset.site_draft(View.ANTERIOR, *point_for(View.ANTERIOR, index % 2, 20 + 5 * index, 0.0))
        sites.add_site(ctx, earlier.id, draft)
    sign(ctx, earlier.id)
    today = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    return patient.id, earlier.id, today.id


def test_switching_patient_leaves_none_of_the_first_patients_marks(
    qtbot: QtBot, ctx: ServiceContext, warnings: list[str]
) -> None:
    _first, first_earlier, first_today = _course(ctx, "SC-0001", "Aalto", 3)
    second, second_earlier, second_today = _course(ctx, "SC-0002", "Berg", 2)
    window = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_session(first_today)
    window.history_action.trigger()  # Ctrl+H
    assert _faint(window) == [first_earlier] * 3

    window.patient_table.selectRow(1)
    assert window.patient is not None and window.patient.id == second
    assert window.charting.controller.detail is None
    assert _faint(window) == [], "another patient's marks on a chart with no session open"

    window.open_session(second_today)
    assert _faint(window) == [second_earlier] * 2

    window.open_session(second_earlier)  # the earlier session itself has nothing before it
    assert _faint(window) == []
    window.open_session(second_today)
    assert _faint(window) == [second_earlier] * 2
    window.charting.controller.close_session()
    assert _faint(window) == []
    window.open_session(second_today)
    window.history_action.trigger()
    assert _faint(window) == []
    window.close()


def test_the_history_follows_a_search_that_finds_another_patient(
    qtbot: QtBot, ctx: ServiceContext, warnings: list[str]
) -> None:
    _first, first_earlier, first_today = _course(ctx, "SC-0001", "Aalto", 3)
    _course(ctx, "SC-0002", "Berg", 2)
    window = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(window)
    window.show()
    window.open_session(first_today)
    window.history_action.trigger()
    assert _faint(window) == [first_earlier] * 3
    window.search_field.setText("berg")
    window.run_search()
    assert window.patient is not None and window.patient.chart_number == "SC-0002"
    assert _faint(window) == []
    window.search_field.setText("nobody at all")
    window.run_search()
    assert _faint(window) == []
    window.close()
