"""The diagram's context menu: right-click (or the Menu key) on a marker or a tracing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QMenu

from sclerochart.ui.diagram_items import SiteMarker, TracingItem

if TYPE_CHECKING:
    from sclerochart.ui.diagram_canvas import DiagramCanvas


def show_context_menu(canvas: DiagramCanvas, event: QContextMenuEvent) -> None:
    """On a marker: edit, duplicate, delete (the selected sites); on a tracing: delete it; elsewhere nothing."""
    if event.reason() == QContextMenuEvent.Reason.Keyboard:
        selected = [i for i in canvas.scene().selectedItems() if isinstance(i, SiteMarker)]
        if not selected:
            return
        position = canvas.mapFromScene(selected[0].pos())
        event = QContextMenuEvent(event.reason(), position, canvas.viewport().mapToGlobal(position))
    target = next((i for i in canvas.items(event.pos()) if isinstance(i, SiteMarker) and not i.faint), None)
    if target is None:
        line = next((i for i in canvas.items(event.pos()) if isinstance(i, TracingItem)), None)
        if line is not None:
            menu = QMenu(canvas)
            tracing_id = line.tracing.id
            delete = menu.addAction("Delete tracing", lambda: canvas.delete_tracings_requested.emit([tracing_id]))
            delete.setEnabled(canvas.editable)
            menu.exec(event.globalPos())
        return
    if not target.isSelected():
        canvas.scene().clearSelection()
        target.setSelected(True)
    menu = QMenu(canvas)
    site_id = target.site.id
    menu.addAction(f"Edit site {target.site.number}", lambda: canvas.edit_requested.emit(site_id))
    duplicate = menu.addAction("Duplicate", lambda: canvas.duplicate_requested.emit(site_id))
    delete = menu.addAction("Delete", lambda: canvas.delete_requested.emit(canvas.selected_ids()))
    for action in (duplicate, delete):
        action.setEnabled(canvas.editable)
    menu.exec(event.globalPos())
