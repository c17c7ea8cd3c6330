"""The leg diagram canvas: six views drawn from the domain geometry, markers, hover, zoom and pan.

The canvas draws from data and reports what the user asked for through signals ("place a site here",
"move site 4 there"); it never writes to the database. A controller decides and calls the services.
The artwork is in diagram_artwork.py, the markers and tracings in diagram_items.py, the open session's markers
kept from one change to the next in marker_set.py, the context menu in canvas_menu.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsSceneMouseEvent, QGraphicsView, QWidget

from sclerochart.domain.diagram import point_for, region_at
from sclerochart.domain.values import Site, VeinTracing, View
from sclerochart.ui.canvas_menu import show_context_menu
from sclerochart.ui.diagram_artwork import VIEW_BOXES, draw_views, from_scene, in_view, to_scene, tracing_path
from sclerochart.ui.diagram_items import TRACING_WIDTH, KeyboardCross, NumberLayout, SiteMarker, TracingItem
from sclerochart.ui.marker_set import MarkerSet
from sclerochart.ui.marker_style import MarkerStyle

__all__ = ["ARROW_STEPS", "KEY_STEP", "DiagramCanvas", "SiteMarker", "TracingItem", "from_scene", "to_scene"]

KEY_STEP = 0.01
"""How far an arrow key moves the keyboard cross or a selected marker, as a share of the view's width
(Shift moves five times as far)."""
ARROW_STEPS = {
    Qt.Key.Key_Left: (-1.0, 0.0),
    Qt.Key.Key_Right: (1.0, 0.0),
    Qt.Key.Key_Up: (0.0, -1.0),
    Qt.Key.Key_Down: (0.0, 1.0),
}
PAN_SETTLE_MS = 150
"""How long the view rests after a pan before the numbers are placed for the area now shown."""
TRACING_STEP = 0.004
"""A new pen point is kept only this far (in view units) from the last, so a slow hand makes few points."""


class DiagramCanvas(QGraphicsView):
    """The six leg views with the session's markers and vein tracings."""

    place_requested = Signal(object, float, float)  # view, x, y
    move_requested = Signal(int, object, float, float)  # site id, view, x, y
    selection_changed = Signal(list)  # site ids
    hovered = Signal(str)  # region label, or "" off the legs
    refused = Signal(str)  # why a click or drop did nothing
    edit_requested = Signal(int)
    duplicate_requested = Signal(int)
    delete_requested = Signal(list)
    trace_requested = Signal(object, tuple)  # view, normalised points
    delete_tracings_requested = Signal(list)  # tracing ids
    nudge_requested = Signal(int, object, float, float)  # site id, view, x, y: moved with an arrow key
    leave_pen_requested = Signal()  # Esc while the pen is on
    cross_moved = Signal(str)  # region label under the keyboard cross, or "" beside the legs

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._numbers_due = QTimer(self)
        self._numbers_due.setSingleShot(True)
        self._numbers_due.setInterval(0)
        self._numbers_due.timeout.connect(self.place_numbers)
        self._numbers_after_pan = QTimer(self)
        self._numbers_after_pan.setSingleShot(True)
        self._numbers_after_pan.setInterval(PAN_SETTLE_MS)
        self._numbers_after_pan.timeout.connect(self.place_numbers)
        self.numbers = NumberLayout()
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # a few hundred items: a list is faster
        self.setScene(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setMouseTracking(True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundBrush(QColor("#ffffff"))
        self._marker_set = MarkerSet(scene, self._markers_movable)
        self._markers = self._marker_set.markers
        self._history: list[SiteMarker] = []
        self._tracings: dict[int, TracingItem] = {}
        self.pen_mode = False
        self.editable = True
        self.read_only_reason = ""
        self._trace_view: View | None = None
        self._trace_points: list[tuple[float, float]] = []
        self._trace_item: QGraphicsPathItem | None = None
        self._press_pos: QPointF | None = None
        self._fitted = True
        self.setSceneRect(draw_views(scene))
        self.cross = KeyboardCross()
        self.cross.setPos(to_scene(View.ANTERIOR, *point_for(View.ANTERIOR, 0, 30.0, 0.0)))
        scene.addItem(self.cross)
        # The viewport is no Tab stop of its own: a click on it gives the focus to the canvas. Its policy is set
        # first because the viewport passes its policy on to the canvas, its focus proxy.
        self.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scene().selectionChanged.connect(self._scene_selection_changed)

    # Data ----------------------------------------------------------------------------------------------
    def set_sites(self, sites: Iterable[Site], styles: dict[int, MarkerStyle], selected: Iterable[int] = ()) -> None:
        """Show the session's sites where they are stored, and select some of them.

        Markers of unchanged sites are kept, but put back on their stored spot: a marker dropped somewhere the
        store refused goes back to where the database says it is.
        """
        chosen = set(selected)
        grabbed = self.scene().mouseGrabberItem()
        with QSignalBlocker(self.scene()):  # a redraw is no selection by the user
            added, gone = self._marker_set.show(tuple(sites), styles, self._end_drag_of)
            shown = {item.site.id for item in self.scene().selectedItems() if isinstance(item, SiteMarker)}
            for site_id in (shown ^ chosen) & self._markers.keys():
                self._markers[site_id].setSelected(site_id in chosen)
        if isinstance(grabbed, SiteMarker) and grabbed in gone:  # being dragged: the drag ends, the user is told why
            self._press_pos = None
            number = grabbed.site.number
            if grabbed.site.id in self._markers:
                self.refused.emit(
                    f"Site {number} was changed in another room while you were moving it: it is shown as stored now."
                )
            else:
                self.refused.emit(f"Site {number} was deleted in another room while you were moving it.")
        if added == 1 and len(self._markers) > 1 and not self._numbers_due.isActive():
            self.place_numbers()  # a click: its numbers are in place when it is painted (one paint, not two)
        else:
            self.place_numbers_soon()

    def _end_drag_of(self, marker: SiteMarker) -> None:
        """A marker being dragged is about to be removed: its drag ends here, as the button's release would end it.

        Qt remembers where a drag's markers started until the dragged item sees the release; removed before that,
        the next drag would take that memory for its own start and throw its marker off the legs.
        """
        if self.scene().mouseGrabberItem() is not marker:
            return
        release = QGraphicsSceneMouseEvent(QEvent.Type.GraphicsSceneMouseRelease)
        release.setButton(Qt.MouseButton.LeftButton)
        release.setButtons(Qt.MouseButton.NoButton)
        release.setScenePos(marker.scenePos())
        release.setButtonDownScenePos(Qt.MouseButton.LeftButton, marker.scenePos() + QPointF(1.0, 1.0))  # a drag
        QCoreApplication.sendEvent(self.scene(), release)

    def set_history(
        self,
        sites: Iterable[Site],
        styles: dict[int, MarkerStyle],
        sessions: Mapping[str, tuple[QColor, str]] | None = None,
    ) -> None:
        """Show earlier sessions' sites, hollow and fixed (an empty list hides them).

        `sessions` gives each earlier session's outline colour and date as shown in the legend, by session id.
        """
        for marker in self._history:
            self.scene().removeItem(marker)
        self._history = []
        known = sessions or {}
        for site in sites:
            colour, when = known.get(site.session_id, (None, ""))
            marker = SiteMarker(site, styles[site.agent_id], faint=True, outline=colour, when=when)
            self.scene().addItem(marker)
            self._history.append(marker)
        self.place_numbers()

    def place_numbers_soon(self) -> None:
        """Place the numbers once the change now drawn is on the screen (several changes at once: once).

        A new marker shows at once with its number inside; where markers crowd, their numbers move onto their
        tags a moment later, so that a click is answered first.
        """
        self._numbers_due.start()

    def numbers_pending(self) -> bool:
        """Markers changed, or the view moved, and their numbers are not placed for it yet (they will be soon)."""
        return self._numbers_due.isActive() or self._numbers_after_pan.isActive()

    def place_numbers(self) -> None:
        """Set crowded markers' numbers off beside them, so no marker hides another's number at this zoom."""
        self._numbers_due.stop()
        self._numbers_after_pan.stop()
        area = self.viewport().rect()
        self.numbers.set_off(
            list(self._markers.values()), self._history, self.viewportTransform(), area.size().toSizeF()
        )

    def set_tracings(self, tracings: Iterable[VeinTracing], selected: Iterable[int] = ()) -> None:
        """Show the session's vein tracings (replacing what was shown)."""
        chosen = set(selected)
        with QSignalBlocker(self.scene()):
            for item in self._tracings.values():
                self.scene().removeItem(item)
            self._tracings = {}
            for tracing in tracings:
                item = TracingItem(tracing)
                self.scene().addItem(item)
                item.setSelected(tracing.id in chosen)
                self._tracings[tracing.id] = item

    def tracing_item(self, tracing_id: int) -> TracingItem:
        """The item of a shown tracing."""
        return self._tracings[tracing_id]

    def selected_tracing_ids(self) -> list[int]:
        """Ids of the selected tracings."""
        return sorted(item.tracing.id for item in self.scene().selectedItems() if isinstance(item, TracingItem))

    def set_pen_mode(self, on: bool) -> None:
        """Switch between placing sites (off) and drawing vein tracings (on)."""
        self.pen_mode = on
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        for marker in self._markers.values():
            marker.set_movable(self._markers_movable())

    def set_editable(self, editable: bool, reason: str = "") -> None:
        """Allow placing, moving and drawing (a draft session), or not (say `reason` when the user tries).

        Without it the markers cannot be dragged and show no open hand, the arrow keys move no marker, and a
        click or Space places nothing; the markers can still be selected, and their fields shown.
        """
        self.read_only_reason = "" if editable else reason
        if editable == self.editable:
            return
        self.editable = editable
        if not editable and self.pen_mode:
            self.set_pen_mode(False)
        for marker in self._markers.values():
            marker.set_movable(self._markers_movable())

    def _markers_movable(self) -> bool:
        return self.editable and not self.pen_mode

    def _refuse(self, what: str) -> bool:
        """Say why nothing happens when the canvas is read only; False when it is editable."""
        if self.editable:
            return False
        self.refused.emit(f"{what}: {self.read_only_reason or 'this session can no longer be changed'}.")
        return True

    def marker(self, site_id: int) -> SiteMarker:
        """The marker of a shown site."""
        return self._markers[site_id]

    def selected_ids(self) -> list[int]:
        """Ids of the selected sites, in number order."""
        markers = [item for item in self.scene().selectedItems() if isinstance(item, SiteMarker)]
        return [m.site.id for m in sorted(markers, key=lambda m: m.site.number)]

    def select_ids(self, ids: Iterable[int]) -> None:
        """Select exactly these sites (from the table), without echoing back a selection signal."""
        wanted = set(ids)
        with QSignalBlocker(self.scene()):
            shown = {item.site.id for item in self.scene().selectedItems() if isinstance(item, SiteMarker)}
            for site_id in (shown ^ wanted) & self._markers.keys():
                self._markers[site_id].setSelected(site_id in wanted)
        if len(wanted) == 1:
            (only,) = wanted
            if only in self._markers:
                self.ensureVisible(self._markers[only], 40, 40)

    def _scene_selection_changed(self) -> None:
        self.selection_changed.emit(self.selected_ids())

    # Zoom and pan --------------------------------------------------------------------------------------
    def fit_all(self) -> None:
        """Show every view."""
        self._fitted = True
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.place_numbers_soon()  # once Qt has settled the scroll bars (they change the view once more)

    def zoom(self, factor: float) -> None:
        """Zoom in (>1) or out (<1), within sensible limits."""
        current = self.transform().m11()
        factor = max(0.2 / current, min(factor, 12.0 / current))
        self._fitted = False
        self.scale(factor, factor)
        self.place_numbers_soon()

    def focus_view(self, view: View) -> None:
        """Zoom onto one view."""
        self._fitted = False
        self.fitInView(VIEW_BOXES[view].adjusted(-10, -40, 10, 10), Qt.AspectRatioMode.KeepAspectRatio)
        self.place_numbers_soon()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep everything in view while the user has not zoomed; numbers placed for the area shown now.

        Also called when scroll bars come or go (the viewport's size changes, and with it the view).
        """
        super().resizeEvent(event)
        if self._fitted:
            self.fit_all()
        else:
            self.place_numbers_soon()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """The view moved (scroll bars, a zoom about the pointer, a marker or the cross brought into view).

        Numbers are kept inside the area shown, so they are placed for it again, once the view rests: not at each
        step of a pan, and not by the next click (at 3,000 markers that is a third of a second).
        """
        super().scrollContentsBy(dx, dy)
        if dx or dy:
            self._numbers_after_pan.start()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel zooms around the pointer."""
        self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
        event.accept()

    # Keyboard ------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys of the canvas.

        + and - zoom, Ctrl+0 shows all views. The arrow keys move the selected marker (one site) or else the
        keyboard cross, which Space places a site under. Enter or F2 edits the selected site; Esc leaves the pen
        or clears the selection.
        """
        key, modifiers = event.key(), event.modifiers()
        held = modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        markers = [i for i in self.scene().selectedItems() if isinstance(i, SiteMarker)]
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_0 and modifiers & Qt.KeyboardModifier.ControlModifier:
            self.fit_all()
        elif key in ARROW_STEPS and not held:
            factor = 5.0 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1.0
            dx, dy = ARROW_STEPS[Qt.Key(key)]
            if len(markers) == 1 and not self.pen_mode:
                if not self._refuse(f"Site {markers[0].site.number} not moved"):
                    self._nudge(markers[0], dx * factor, dy * factor)
            else:
                self.move_cross(dx * factor, dy * factor)
        elif key == Qt.Key.Key_Space and not held and not self.pen_mode:
            if self.cross.isVisible():
                self._click(self.cross.pos())
            else:
                self.move_cross(0.0, 0.0)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2) and len(markers) == 1:
            self.edit_requested.emit(markers[0].site.id)
        elif key == Qt.Key.Key_Escape:
            if self.pen_mode:
                self.leave_pen_requested.emit()
            else:
                self.scene().clearSelection()
                self.cross.setVisible(False)
        else:
            super().keyPressEvent(event)

    def move_cross(self, dx: float, dy: float) -> None:
        """Show the keyboard cross and move it by arrow steps; the status bar names the region under it."""
        where = from_scene(self.cross.pos())
        width = VIEW_BOXES[where[0]].width() if where is not None else VIEW_BOXES[View.ANTERIOR].width()
        bounds = self.sceneRect()
        target = self.cross.pos() + QPointF(dx * KEY_STEP * width, dy * KEY_STEP * width)
        target = QPointF(
            min(bounds.right(), max(bounds.left(), target.x())), min(bounds.bottom(), max(bounds.top(), target.y()))
        )
        self.cross.setPos(target)
        self.cross.setVisible(True)
        self.ensureVisible(QRectF(target.x() - 1, target.y() - 1, 2, 2), 60, 60)
        where = from_scene(target)
        region = region_at(*where) if where is not None else None
        self.cross_moved.emit(region.label if region is not None else "")

    def _nudge(self, marker: SiteMarker, dx: float, dy: float) -> None:
        width = VIEW_BOXES[marker.site.view].width()
        marker.setPos(marker.pos() + QPointF(dx * KEY_STEP * width, dy * KEY_STEP * width))
        self._drop(marker, nudged=True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """The keyboard cross is shown only while the canvas has the keyboard."""
        self.cross.setVisible(False)
        super().focusOutEvent(event)

    # Mouse ---------------------------------------------------------------------------------------------
    def _marker_at(self, event: QMouseEvent) -> SiteMarker | None:
        for item in self.items(event.position().toPoint()):
            if isinstance(item, SiteMarker) and not item.faint:
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Middle button pans; a left press on a marker starts a drag; elsewhere it may place a site."""
        if event.button() == Qt.MouseButton.MiddleButton:
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            fake = QMouseEvent(
                event.type(),
                event.position(),
                event.globalPosition(),
                Qt.MouseButton.LeftButton,
                Qt.MouseButton.LeftButton,
                event.modifiers(),
            )
            super().mousePressEvent(fake)
            return
        if self.pen_mode and event.button() == Qt.MouseButton.LeftButton:
            self._start_trace(self.mapToScene(event.position().toPoint()))
            return
        self._press_pos = self.mapToScene(event.position().toPoint())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Report the region under the pointer; with the pen down, extend the tracing."""
        if self._trace_view is not None:
            self._extend_trace(self.mapToScene(event.position().toPoint()))
            return
        super().mouseMoveEvent(event)
        where = from_scene(self.mapToScene(event.position().toPoint()))
        region = region_at(*where) if where is not None else None
        self.hovered.emit(region.label if region is not None else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click on a leg asks for a site; a dragged marker asks to move; elsewhere says why not."""
        if self.dragMode() == QGraphicsView.DragMode.ScrollHandDrag:
            super().mouseReleaseEvent(event)
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            return
        if self._trace_view is not None:
            self._finish_trace(self.mapToScene(event.position().toPoint()))
            return
        grabbed = self.scene().mouseGrabberItem()
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        release = self.mapToScene(event.position().toPoint())
        moved = (release - self._press_pos).manhattanLength() > 3
        self._press_pos = None
        if isinstance(grabbed, SiteMarker):
            if moved:
                self._drop(grabbed)
            return
        if moved or event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return
        self._click(release)

    def _click(self, point: QPointF) -> None:
        if self._refuse("Nothing placed"):
            return
        where = from_scene(point)
        if where is None or region_at(*where) is None:
            self.refused.emit("Nothing placed: click on the leg itself, not beside it.")
            return
        self.place_requested.emit(*where)

    def _drop(self, marker: SiteMarker, *, nudged: bool = False) -> None:
        """Ask to store a marker's new spot (dragged, or moved with an arrow key); off the leg it goes back."""
        if self._refuse(f"Site {marker.site.number} not moved"):
            marker.setPos(to_scene(marker.site.view, marker.site.x, marker.site.y))
            return
        where = from_scene(marker.pos())
        if where is None or region_at(*where) is None:
            marker.setPos(to_scene(marker.site.view, marker.site.x, marker.site.y))
            why = "that would take it off the leg" if nudged else "drop it on the leg itself"
            self.refused.emit(f"Site {marker.site.number} not moved: {why}.")
            return
        (self.nudge_requested if nudged else self.move_requested).emit(marker.site.id, *where)

    # Pen ------------------------------------------------------------------------------------------------
    def _start_trace(self, point: QPointF) -> None:
        where = from_scene(point)
        if where is None:
            self.refused.emit("Start a tracing on one of the views.")
            return
        view, x, y = where
        self._trace_view = view
        self._trace_points = [(x, y)]
        pen = QPen(QColor("#1f4e9c"), TRACING_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setCosmetic(True)
        self._trace_item = self.scene().addPath(tracing_path(view, self._trace_points), pen)
        self._trace_item.setZValue(4)

    def _extend_trace(self, point: QPointF) -> None:
        assert self._trace_view is not None and self._trace_item is not None
        x, y = in_view(self._trace_view, point)
        last_x, last_y = self._trace_points[-1]
        if abs(x - last_x) + abs(y - last_y) >= TRACING_STEP:
            self._trace_points.append((x, y))
            self._trace_item.setPath(tracing_path(self._trace_view, self._trace_points))

    def _finish_trace(self, point: QPointF) -> None:
        assert self._trace_view is not None
        self._extend_trace(point)
        view, points = self._trace_view, tuple(self._trace_points)
        if self._trace_item is not None:
            self.scene().removeItem(self._trace_item)
        self._trace_view, self._trace_points, self._trace_item = None, [], None
        if len(points) < 2:
            self.refused.emit("Nothing drawn: hold the button down and drag along the vein.")
            return
        self.trace_requested.emit(view, points)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click (or the Menu key) on a marker: edit, duplicate, delete; on a tracing: delete."""
        show_context_menu(self, event)
