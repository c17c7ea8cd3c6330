"""Numbers on the diagram stay readable: close markers, the keyboard cross, earlier sessions' sites and their legend."""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPainterPathStroker
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.markers import label_offsets
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import patients, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.ui.diagram_canvas import DiagramCanvas, SiteMarker
from sclerochart.ui.diagram_items import MARKER_RADIUS
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.marker_style import marker_path
from tests.conftest import patient_draft
from tests.ui.helpers import ctx_of, stored_sites


def draft(view: View, x: float, y: float, number_of_agent: int = 1) -> SiteDraft:
    return SiteDraft(view, x, y, number_of_agent, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)


def on_screen(canvas: DiagramCanvas, marker: SiteMarker, rect: QRectF) -> QRectF:
    """A rectangle in a marker's own pixels as viewport pixels (markers keep their size at any zoom)."""
    return rect.translated(canvas.viewportTransform().map(marker.pos()))


def set_off(marker: SiteMarker) -> bool:
    """Whether the marker's number is written beside it rather than inside."""
    return marker.label_offset is not None


def covered_by(canvas: DiagramCanvas, marker: SiteMarker) -> QPainterPath:
    """The area a marker's shape covers on the viewport."""
    path = QPainterPath()
    path.addEllipse(canvas.viewportTransform().map(marker.pos()), marker.radius * 1.25, marker.radius * 1.25)
    return path


# Close markers -----------------------------------------------------------------------------------------------
def test_close_markers_set_their_numbers_off_where_no_marker_covers_them(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    controller = window.charting.controller
    x, y = point_for(View.RIGHT_MEDIAL, 0, 30, 0.0)
    for dx, dy in ((0.0, 0.0), (0.01, 0.004), (0.0, 0.0), (-0.008, 0.006)):  # the third right on top of the first
        controller.add_draft(draft(View.RIGHT_MEDIAL, x + dx, y + dy), "Place site")
    far = controller.add_draft(draft(View.LEFT_LATERAL, *point_for(View.LEFT_LATERAL, 0, 70, 0.0)), "Place site")
    assert far is not None
    assert canvas.numbers_pending(), "the click is answered first; the numbers move a moment later"
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)
    close = [canvas.marker(site.id) for site in stored_sites(window) if site.view is View.RIGHT_MEDIAL]
    assert len(close) == 4
    centres = [canvas.viewportTransform().map(marker.pos()) for marker in close]
    assert max(math.dist((a.x(), a.y()), (b.x(), b.y())) for a in centres for b in centres) < 2 * MARKER_RADIUS
    numbers = {marker.site.number: on_screen(canvas, marker, marker.number_rect()) for marker in close}
    for marker in close:
        assert marker.label_offset is not None, f"site {marker.site.number} keeps its number under its neighbours"
        mine = numbers[marker.site.number]
        for other in close:
            if other is not marker:
                assert not covered_by(canvas, other).intersects(mine), (
                    f"site {other.site.number} covers the number of site {marker.site.number}"
                )
                assert not numbers[other.site.number].intersects(mine), "two set-off numbers overlap"
        assert canvas.viewport().rect().toRectF().contains(mine), "a number is set off outside the diagram"
    lone = canvas.marker(far.id)
    assert lone.label_offset is None, "a marker with room keeps its number inside"


def test_numbers_are_set_off_again_when_zooming_gives_the_markers_room(qtbot: QtBot, window: MainWindow) -> None:
    canvas = window.charting.canvas
    controller = window.charting.controller
    x, y = point_for(View.ANTERIOR, 0, 40, 0.0)
    for dx in (0.0, 0.04):
        controller.add_draft(draft(View.ANTERIOR, x + dx, y), "Place site")
    first, second = (canvas.marker(site.id) for site in stored_sites(window))
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)
    assert set_off(first) and set_off(second)
    for _ in range(10):
        canvas.zoom(1.25)
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)  # once the scroll bars settled
    assert not set_off(first) and not set_off(second), "zoomed in, each number fits its marker"
    canvas.fit_all()
    qtbot.waitUntil(lambda: not canvas.numbers_pending(), timeout=2_000)
    assert set_off(first)


def test_the_number_placement_keeps_clear_of_markers_numbers_and_the_edges() -> None:
    radius, size = 9.0, (22.0, 15.0)
    points = [(100.0, 100.0), (104.0, 102.0), (100.0, 100.0), (300.0, 300.0)]
    bounds = (0.0, 0.0, 400.0, 400.0)
    offsets = label_offsets(points, radius, [size] * len(points), bounds=bounds)
    assert offsets[3] is None
    boxes = []
    for (x, y), offset in zip(points[:3], offsets[:3], strict=True):
        assert offset is not None
        cx, cy = x + offset[0], y + offset[1]
        box = (cx - size[0] / 2, cy - size[1] / 2, cx + size[0] / 2, cy + size[1] / 2)
        for px, py in points:
            nearest = (min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3]))
            assert math.dist(nearest, (px, py)) >= radius, "a number under a marker"
        boxes.append(box)
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:
            assert one[2] <= other[0] or other[2] <= one[0] or one[3] <= other[1] or other[3] <= one[1]
    at_edge = label_offsets([(3.0, 3.0), (6.0, 4.0)], radius, [size, size], bounds=bounds)
    for (x, y), offset in zip([(3.0, 3.0), (6.0, 4.0)], at_edge, strict=True):
        assert offset is not None and x + offset[0] - size[0] / 2 >= 0 and y + offset[1] - size[1] / 2 >= 0


# The keyboard cross --------------------------------------------------------------------------------------------
def test_the_keyboard_cross_frames_the_site_it_placed_without_covering_its_number(
    qtbot: QtBot, window: MainWindow
) -> None:
    canvas = window.charting.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
        qtbot.keyClick(canvas, key)
    qtbot.keyClick(canvas, Qt.Key.Key_Space)
    (site,) = stored_sites(window)
    marker = canvas.marker(site.id)
    assert canvas.cross.isVisible() and canvas.cross.pos() == marker.pos()
    assert marker.label_offset is None
    stroker = QPainterPathStroker()
    stroker.setWidth(canvas.cross.pen().widthF())
    drawn = stroker.createStroke(canvas.cross.path())  # both items are drawn in screen pixels round the same point
    assert not drawn.intersects(marker.number_rect()), "the cross covers the number it placed"
    assert not drawn.intersects(marker_path(marker.style.shape, marker.radius)), "it covers the marker"


# Earlier sessions ----------------------------------------------------------------------------------------------
def _earlier_course(ctx: ServiceContext) -> tuple[str, list[tuple[str, dt.datetime]]]:
    """Two earlier sessions with sites apart from each other, and today's with one site: (today, earlier)."""
    patient = patients.create_patient(ctx, patient_draft(chart_number="SC-0042"))
    earlier = []
    for weeks, heights in ((20, (20, 50, 80)), (8, (35, 65))):
        started = ctx.clock() - dt.timedelta(weeks=weeks)
        session = sessions.start_session(ctx, patient.id, SessionDraft(None, started, weight_kg=70.0))
        for height in heights:
            sites.add_site(ctx, session.id, draft(View.LEFT_MEDIAL, *point_for(View.LEFT_MEDIAL, 0, height, 0.0)))
        earlier.append((session.id, started))
    today = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    sites.add_site(ctx, today.id, draft(View.ANTERIOR, *point_for(View.ANTERIOR, 0, 30, 0.0)))
    return today.id, earlier


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_earlier_sessions_show_readable_numbers_their_dates_and_a_legend(window: MainWindow) -> None:
    ctx = ctx_of(window)
    today, earlier = _earlier_course(ctx)
    window.open_session(today)
    charting = window.charting
    charting.show_history(True)
    faint = [item for item in charting.canvas.scene().items() if isinstance(item, SiteMarker) and item.faint]
    assert len(faint) == 5
    # The legend: one line per earlier session, the most recent first, with its date and its number of sites.
    assert charting.history_legend.isVisible()
    newest, oldest = earlier[1], earlier[0]
    assert [label.text() for label in charting.history_labels] == [
        f"{newest[1]:%d.%m.%Y} · 2 sites",
        f"{oldest[1]:%d.%m.%Y} · 3 sites",
    ]
    colours = {session_id: colour for session_id, _when, colour, _count in charting.history_sessions}
    assert colours[newest[0]] != colours[oldest[0]]
    dates = {session_id: f"{started:%d.%m.%Y}" for session_id, started in earlier}
    image = charting.canvas.viewport().grab().toImage()
    for marker in faint:
        # Drawn in its session's legend colour, its date one hover away.
        assert marker.outline == colours[marker.site.session_id]
        assert dates[marker.site.session_id] in marker.toolTip()
        # Readable: not see-through, dark figures on white.
        assert marker.effectiveOpacity() >= 0.9
        assert _contrast(marker.number_colour(), QColor("#ffffff")) >= 7
        assert _contrast(marker.number_colour(), marker.fill_colour()) >= 4.5
        box = on_screen(charting.canvas, marker, marker.number_rect()).toAlignedRect()
        dark = sum(
            1
            for px in range(box.left(), box.right() + 1)
            for py in range(box.top(), box.bottom() + 1)
            if image.rect().contains(px, py) and QColor(image.pixel(px, py)).lightness() < 90
        )
        assert dark >= 6, f"no dark figures drawn for earlier site {marker.site.number}"
    charting.show_history(False)
    assert not charting.history_legend.isVisible()
    assert not [item for item in charting.canvas.scene().items() if isinstance(item, SiteMarker) and item.faint]


def test_the_legend_says_so_when_there_are_no_earlier_sites(window: MainWindow) -> None:
    window.charting.show_history(True)
    assert window.charting.history_legend.isVisible()
    assert [label.text() for label in window.charting.history_labels] == ["None with sites for this patient."]
    window.charting.controller.close_session()
    assert not window.charting.history_legend.isVisible()


def test_markers_number_colours_never_fade_into_their_fill(window: MainWindow) -> None:
    click_at = point_for(View.ANTERIOR, 0, 30, 0.0)
    site = window.charting.controller.add_draft(draft(View.ANTERIOR, *click_at), "Place site")
    assert site is not None
    marker = window.charting.canvas.marker(site.id)
    assert _contrast(marker.number_colour(), marker.fill_colour()) >= 4.5
    marker.set_label_offset(QPointF(20, 0))
    assert _contrast(marker.number_colour(), QColor("#ffffff")) >= 7, "a set-off number is dark on its white tag"
