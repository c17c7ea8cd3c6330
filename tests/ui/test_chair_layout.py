"""The charting screen at the chair: the dose whole on a 1366×768 screen, the table's columns whole, one-line legend.

A three-agent session with six findings is built on a real database; the window is set to the size a practitioner
has (1366×768, the same less a taskbar and a title bar, 1920×1080) and what is on screen is measured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import ALL_REGIONS, VIEWS, point_for, region_at
from sclerochart.domain.values import Form, Gas, SessionDraft, Severity, SiteDraft, VesselType, View
from sclerochart.services import patients, sessions, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.site_table_model import IMPORTANT_COLUMNS
from sclerochart.ui.totals_panel import SEVERITY_ORDER
from tests.conftest import patient_draft

POL, STS, SALINE = 1, 2, 3

SCREENS = {
    "1366x768": (1366, 768),
    "1366x768 less taskbar and title bar": (1366, 700),
    "1920x1080": (1920, 1080),
}


def settle() -> None:
    """Let Qt lay out what changed (layouts are worked out on posted events)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def spot(view: View, leg: int, height: float, across: float = 0.0) -> tuple[View, float, float]:
    return (view, *point_for(view, leg, height, across))


def site(where: tuple[View, float, float], agent: int, percent: float, ml: float, **more: object) -> SiteDraft:
    view, x, y = where
    values: dict[str, object] = {"vessel_type": VesselType.TELANGIECTASIA, "form": Form.LIQUID}
    values.update(more)
    return SiteDraft(view, x, y, agent, percent, volume_ml=ml, **values)  # type: ignore[arg-type]


def three_agent_session(ctx: ServiceContext) -> str:
    """A three-agent session with six findings, two of them exceeded; returns its id.

    A 40-kg patient treated again after two weeks, an absolute contraindication ticked with its reason, and
    polidocanol, sodium tetradecyl sulfate and hypertonic saline given. Polidocanol 8 × 0.3 mL of 3 % = 72 mg of
    the 80 mg a day (caution); STS 6 × 1.75 mL = 10.5 mL of the 10 mL a session, the last with a reason
    (exceeded, and the reason noted); saline has no limit set (noted).
    """
    patient = patients.create_patient(ctx, patient_draft())
    earlier = sessions.start_session(
        ctx, patient.id, SessionDraft(None, ctx.clock() - dt.timedelta(days=14), weight_kg=40.0)
    )
    sites.add_site(ctx, earlier.id, site(spot(View.ANTERIOR, 0, 25), POL, 0.5, 0.2))
    today = sessions.start_session(
        ctx,
        patient.id,
        SessionDraft(
            None,
            ctx.clock(),
            weight_kg=40.0,
            checklist={"acute_dvt_pe": True},
            checklist_override="Distal DVT fully treated; cleared by the vascular surgeon on 2 November",
        ),
    )
    for index in range(8):
        sites.add_site(ctx, today.id, site(spot(View.ANTERIOR, index % 2, 15 + 9 * index), POL, 3.0, 0.3))
    for index in range(6):
        reason = "Large feeder vein, discussed with the patient" if index == 5 else ""
        draft = site(spot(View.POSTERIOR, index % 2, 20 + 10 * index), STS, 1.0, 1.75, override_reason=reason)
        sites.add_site(ctx, today.id, draft)
    for index in range(2):
        sites.add_site(ctx, today.id, site(spot(View.RIGHT_LATERAL, 0, 30 + 30 * index), SALINE, 23.4, 0.5))
    return today.id


OpenWindow = Callable[[ServiceContext, str, tuple[int, int]], MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot, warnings: list[str]) -> Iterator[OpenWindow]:
    """Opens a main window of that size with a session open (closed again after the test)."""
    windows: list[MainWindow] = []

    def make(ctx: ServiceContext, session_id: str, size: tuple[int, int]) -> MainWindow:
        window = MainWindow(ServiceApi(ctx))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        settle()  # the window fits itself to the (test) screen once shown; the size wanted is set after that
        window.resize(*size)
        window.open_session(session_id)
        settle()
        assert window.size() == QSize(*size)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.charting.controller.close_session()
        window.close()


def shown_whole(widget: QWidget, window: QWidget, within: QWidget) -> bool:
    """Whether the widget is on screen in full: visible, inside the window, not clipped by `within` (a viewport)."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    frame = QRect(within.mapTo(window, QPoint(0, 0)), within.size())
    return window.rect().contains(rect) and frame.contains(rect)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_dose_panel_shows_every_agent_gauge_and_finding_without_scrolling(
    ctx: ServiceContext, open_window: OpenWindow, screen: str
) -> None:
    session_id = three_agent_session(ctx)
    window = open_window(ctx, session_id, SCREENS[screen])
    detail = window.charting.controller.detail
    assert detail is not None
    assert len(detail.totals) == 3
    assert len(detail.findings) >= 6
    assert {f.severity for f in detail.findings} == {Severity.EXCEEDED, Severity.CAUTION, Severity.INFO}
    panel = window.charting.totals
    viewport = panel.scroller.viewport()
    assert not panel.scroller.verticalScrollBar().isVisible(), f"the dose panel scrolls at {screen}"
    assert not panel.scroller.horizontalScrollBar().isVisible()
    assert len(panel.finding_labels) == len(detail.findings)
    shown = {label.property("message") for label in panel.finding_labels}
    assert shown == {finding.message for finding in detail.findings}
    for label in panel.finding_labels:
        assert shown_whole(label, window, viewport), f"finding cut off or below the fold: {label.property('message')}"
    for gauge in panel.gauges.values():
        assert shown_whole(gauge, window, viewport), gauge.format()
    assert set(panel.agent_rows) == {POL, STS, SALINE}
    for name in panel.agent_rows.values():
        assert shown_whole(name, window, viewport)
    severities = [SEVERITY_ORDER[Severity(label.property("severity"))] for label in panel.finding_labels]
    assert severities == sorted(severities), "the most severe findings come first"
    assert severities[0] == SEVERITY_ORDER[Severity.EXCEEDED]


def test_the_agent_names_switch_to_short_names_together_where_the_full_ones_do_not_fit(
    ctx: ServiceContext, open_window: OpenWindow
) -> None:
    window = open_window(ctx, three_agent_session(ctx), (1366, 768))
    rows = window.charting.totals.agent_rows
    for name in rows.values():
        assert name.fontMetrics().horizontalAdvance(name.text()) <= name.width(), f"{name.text()} is cut off"
    shown = {name.text() for name in rows.values()}
    assert shown in ({"Polidocanol", "Sodium tetradecyl sulfate", "Hypertonic saline"}, {"POL", "STS", "HS"})
    assert all(name.toolTip() == name.full_name for name in rows.values())


def regions_spot(label: str) -> tuple[View, float, float]:
    """A point on the diagram that falls in the region with this label."""
    for view in View:
        for leg in range(len(VIEWS[view].legs)):
            for step in range(0, 200):
                x, y = point_for(view, leg, step / 2, 0.0)
                region = region_at(view, x, y)
                if region is not None and region.label == label:
                    return view, x, y
    raise AssertionError(f"no spot found for {label}")


def test_the_site_table_shows_its_important_columns_whole_without_sideways_scrolling(
    qtbot: QtBot, ctx: ServiceContext, open_window: OpenWindow
) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    longest = max((r.label for r in ALL_REGIONS.values()), key=len)
    drafts = [
        site(regions_spot(longest), POL, 0.5, 0.2, vessel_type=VesselType.RETICULAR, vessel_diameter_mm=1.5),
        site(
            regions_spot("Right medial ankle (malleolus)"),
            POL,
            1.0,
            0.3,
            form=Form.FOAM,
            foam_liquid_parts=1,
            foam_gas_parts=4,
            gas=Gas.ROOM_AIR,
            vessel_type=VesselType.VARICOSE_TRIBUTARY,
        ),
        site(spot(View.LEFT_LATERAL, 0, 20), STS, 0.3, 0.5, lot_number="A4711"),
    ]
    for draft in drafts:
        sites.add_site(ctx, session.id, draft)
    table_window = open_window(ctx, session.id, (1366, 768))
    table = table_window.charting.site_table
    model = table.site_model
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible(), "the sites table scrolls sideways at 1366 px"
    metrics = table.fontMetrics()
    for column in IMPORTANT_COLUMNS:
        assert not table.isColumnHidden(column)
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= table.viewport().width(), model.HEADERS[column]
        for row in range(model.rowCount()):
            text = model.data(model.index(row, column))
            assert metrics.horizontalAdvance(text) + 6 <= header.sectionSize(column), f"{text!r} is cut off"
    visual = [header.visualIndex(column) for column in IMPORTANT_COLUMNS]
    others = [header.visualIndex(c) for c in range(model.columnCount()) if c not in (*IMPORTANT_COLUMNS, 1)]
    assert max(visual) < min(others), "the important columns come first"


def test_the_agent_legend_is_one_line(ctx: ServiceContext, open_window: OpenWindow) -> None:
    window = open_window(ctx, three_agent_session(ctx), (1366, 768))
    charting = window.charting
    legend = charting.legend
    line = max(w.height() for w in legend.findChildren(QWidget) if w.isVisible() and w.parent() is legend)
    assert legend.height() <= line + 2, "the legend wraps onto more lines than one"
    for entry in charting.legend_entries:
        assert entry.isVisible() and not entry.wordWrap()
        assert entry.fontMetrics().horizontalAdvance(entry.text()) <= entry.width(), f"{entry.text()} is cut off"
        assert entry.toolTip(), "the full name is one hover away"
    centres = {w.mapTo(legend, w.rect().center()).y() for w in legend.findChildren(QWidget) if w.parent() is legend}
    assert max(centres) - min(centres) <= 2, "everything in the legend sits on one line"


def test_with_no_site_selected_the_site_tab_says_how_to_place_and_choose_sites(
    ctx: ServiceContext, open_window: OpenWindow
) -> None:
    window = open_window(ctx, three_agent_session(ctx), (1366, 768))
    charting = window.charting
    charting.selection.select([])
    settle()
    editor = charting.site_editor
    text = editor.heading.text()
    for words in ("No site selected", "To place a site", "click on a leg", "Space", "F2", "Delete", "Ctrl+Z"):
        assert words in text
    assert editor.heading.isVisible() and not editor.fields.isVisible()
    assert editor.heading.y() < 40, "the help sits at the top of the tab, not adrift in the middle"


def test_a_signed_or_empty_screen_does_not_offer_to_place_sites(qtbot: QtBot, ctx: ServiceContext) -> None:
    window = MainWindow(ServiceApi(ctx))
    qtbot.addWidget(window)
    text = window.charting.site_editor.heading.text()
    assert "No site selected" in text and "To place a site" not in text
    window.close()


def leg_outlines_on_screen(window: MainWindow) -> QRect:
    canvas = window.charting.canvas
    outlines = [item for item in canvas.scene().items() if isinstance(item, QGraphicsPathItem) and item.zValue() == 0]
    bounds = outlines[0].sceneBoundingRect()
    for item in outlines[1:]:
        bounds = bounds.united(item.sceneBoundingRect())
    return canvas.mapFromScene(bounds).boundingRect()


@pytest.mark.parametrize("sizes", [((1366, 768), (1920, 1080)), ((1920, 1080), (1366, 700))])
def test_the_legs_fill_the_diagram_after_every_resize(
    ctx: ServiceContext, open_window: OpenWindow, sizes: tuple[tuple[int, int], tuple[int, int]]
) -> None:
    first, then = sizes
    window = open_window(ctx, three_agent_session(ctx), first)
    window.resize(*then)
    settle()
    canvas = window.charting.canvas
    legs = leg_outlines_on_screen(window)
    area = canvas.viewport().rect()
    assert area.adjusted(-2, -2, 2, 2).contains(legs), "part of the legs is outside the diagram"
    filled = max(legs.width() / area.width(), legs.height() / area.height())
    assert filled >= 0.9, f"the legs fill only {filled:.0%} of the diagram's width or height"


def test_the_earlier_sessions_legend_sits_beside_the_diagram_without_shrinking_it(
    ctx: ServiceContext, open_window: OpenWindow
) -> None:
    window = open_window(ctx, three_agent_session(ctx), (1366, 768))
    canvas = window.charting.canvas
    before = canvas.viewport().size()
    window.charting.show_history(True)
    settle()
    assert window.charting.history_legend.isVisible()
    assert canvas.viewport().size() == before
    labels: list[QLabel] = window.charting.history_labels
    assert [label.text() for label in labels] == [f"{(ctx.clock() - dt.timedelta(days=14)):%d.%m.%Y} · 1 site"]
