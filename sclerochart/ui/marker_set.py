"""The open session's markers on the diagram, by site id: kept from one showing of the sites to the next.

A click adds one site after the others; only its marker is made, and nothing is gone through for the thousands
already shown. Any other change (sites changed, removed, another session, a marker moved off its stored spot)
goes through every marker: each is kept, remade or removed, and put back where the database says it is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsScene

from sclerochart.domain.values import Site
from sclerochart.ui.diagram_items import SiteMarker
from sclerochart.ui.marker_style import MarkerStyle


class MarkerSet:
    """The markers of the sites shown, in a scene."""

    def __init__(self, scene: QGraphicsScene, movable: Callable[[], bool]) -> None:
        self.scene = scene
        self.movable = movable
        """Whether new markers can be dragged now (a draft session, the pen off)."""
        self.markers: dict[int, SiteMarker] = {}
        self._shown: tuple[Site, ...] = ()
        self._away: set[SiteMarker] = set()
        """Markers moved off their stored spot (a drag, an arrow key) since the sites were last shown."""

    def show(
        self,
        sites: tuple[Site, ...],
        styles: dict[int, MarkerStyle],
        before_removing: Callable[[SiteMarker], object] = lambda _marker: None,
    ) -> tuple[int, list[SiteMarker]]:
        """Markers for exactly these sites, on their stored spots.

        Returns:
            How many sites were added after those shown before (-1: every marker was gone through), and the
            markers removed (`before_removing` is told of each first).
        """
        before, self._shown = self._shown, sites
        if not self._away and len(sites) > len(before) and sites[: len(before)] == before:
            for site in sites[len(before) :]:
                self._add(site, styles)
            return len(sites) - len(before), []
        return -1, self._show_all({site.id: site for site in sites}, styles, before_removing)

    def _show_all(
        self, wanted: dict[int, Site], styles: dict[int, MarkerStyle], before_removing: Callable[[SiteMarker], object]
    ) -> list[SiteMarker]:
        markers = self.markers
        changed = [i for i, marker in markers.items() if wanted.get(i) is not marker.site]
        for site_id in changed:  # the same values read again: the marker holds these, so next time `is` tells
            if site_id in wanted and wanted[site_id] == markers[site_id].site:
                markers[site_id].site = wanted[site_id]
        gone = [markers.pop(i) for i in changed if wanted.get(i) is not markers[i].site]
        for removed in gone:
            before_removing(removed)
            self.scene.removeItem(removed)
        for site_id, site in wanted.items():
            kept = markers.get(site_id)
            marker = self._add(site, styles) if kept is None else kept
            if marker.scene_spot != marker.home:  # dragged, and the store refused the new spot
                marker.setPos(QPointF(*marker.home))
        self._away.clear()
        return gone

    def _add(self, site: Site, styles: dict[int, MarkerStyle]) -> SiteMarker:
        marker = SiteMarker(site, styles[site.agent_id])
        marker.set_movable(self.movable())
        marker.on_away = self._away.add
        self.scene.addItem(marker)
        self.markers[site.id] = marker
        return marker
