"""The photos of a record as an item model: thumbnails in squares, captions under them, details on hover."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from sclerochart.domain.outcomes import region_shapes
from sclerochart.domain.values import View
from sclerochart.readmodels import PhotoInfo
from sclerochart.ui.photo_compare import photo_caption, thumbnail_caption

ICON_EDGE = 160
"""Pixels of the longer edge of a thumbnail as the strip shows it."""


@functools.cache
def view_regions(view: View) -> tuple[str, ...]:
    """The region codes a view of the diagram shows, in the diagram's order."""
    return tuple(code for code, _ in region_shapes(view))


def square_thumbnail(data: bytes, edge: int = ICON_EDGE) -> QPixmap:
    """A thumbnail scaled into a square (transparent around it), so every caption under it starts at one height.

    An empty square when the thumbnail cannot be decoded (the caption still says what the photo is).
    """
    square = QPixmap(edge, edge)
    square.fill(Qt.GlobalColor.transparent)
    picture = QPixmap()
    if picture.loadFromData(data):
        picture = picture.scaled(
            edge, edge, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        painter = QPainter(square)
        painter.drawPixmap((edge - picture.width()) // 2, (edge - picture.height()) // 2, picture)
        painter.end()
    return square


class PhotoListModel(QAbstractListModel):
    """A record's photos: the caption as text, the thumbnail as icon, the PhotoInfo under PHOTO_ROLE."""

    PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._photos: tuple[PhotoInfo, ...] = ()
        self._icons: dict[tuple[str, int], QIcon] = {}

    def set_photos(self, photos: Sequence[PhotoInfo]) -> None:
        """Show these photos (the thumbnails already decoded are kept)."""
        self.beginResetModel()
        self._photos = tuple(photos)
        kept = {(info.id, info.version) for info in self._photos}
        self._icons = {key: icon for key, icon in self._icons.items() if key in kept}
        self.endResetModel()

    def photos(self) -> tuple[PhotoInfo, ...]:
        """The photos shown, in order."""
        return self._photos

    def photo_at(self, row: int) -> PhotoInfo | None:
        """The photo of a row, or None."""
        return self._photos[row] if 0 <= row < len(self._photos) else None

    def row_of(self, photo_id: str) -> int:
        """The row of a photo, or -1."""
        return next((row for row, info in enumerate(self._photos) if info.id == photo_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        """One row per photo."""
        return 0 if parent is not None and parent.isValid() else len(self._photos)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The caption, the thumbnail, a tooltip, or the PhotoInfo."""
        info = self.photo_at(index.row()) if index.isValid() else None
        if info is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return thumbnail_caption(info)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(info)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [photo_caption(info), f"Added {info.added_at:%d.%m.%Y %H:%M} by {info.added_by}"]
            if info.original_name:
                lines.append(f"File: {info.original_name}")
            if info.frozen:
                lines.append("Its record is signed: it stays as it is.")
            return "\n".join(lines)
        if role == self.PHOTO_ROLE:
            return info
        return None

    def _icon(self, info: PhotoInfo) -> QIcon:
        key = (info.id, info.version)
        icon = self._icons.get(key)
        if icon is None:
            icon = QIcon(square_thumbnail(info.thumbnail))
            self._icons[key] = icon
        return icon
