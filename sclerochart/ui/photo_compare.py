"""Looking at photos whole: one photo in a viewer, or the same view of the leg side by side across dates.

The pictures are read one at a time when the user asks for one (a click, a choice in a list), on the GUI thread:
one photo is stored at most 3000 pixels across, so reading and decoding it takes a moment, not seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.diagram import label_of
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import View
from sclerochart.readmodels import PhotoInfo

BUTTON_HEIGHT = 36
WIDE_SCREEN = 1700
"""Pixels across the screen leaves free from which the comparison shows three photos side by side, not two."""
KEPT_PICTURES = 12
"""Decoded pictures the comparison keeps, so going back to a date already seen is instant."""


def view_words(view: View) -> str:
    """A view as the user reads it ("Right lateral")."""
    return view.value.capitalize()


def record_words(info: PhotoInfo) -> str:
    """What the photo's record is: "session" or "follow-up"."""
    return "session" if info.session_id is not None else "follow-up"


def thumbnail_caption(info: PhotoInfo) -> str:
    """The few words under a thumbnail: the view, the region (when one is named) and the record's date."""
    lines = [view_words(info.view)]
    if info.region:
        lines.append(label_of(info.region))
    lines.append(f"{info.record_day:%d.%m.%Y}")
    return "\n".join(lines)


def photo_caption(info: PhotoInfo) -> str:
    """One line saying what a photo shows and when: date and record, view, region, when it was taken."""
    parts = [f"{info.record_day:%d.%m.%Y} — {record_words(info)}", view_words(info.view)]
    if info.region:
        parts.append(label_of(info.region))
    if info.taken_at is not None:
        parts.append(f"taken {info.taken_at:%d.%m.%Y %H:%M}")
    return " · ".join(parts)


def error_text(error: UserError) -> str:
    """A refusal as one text: what went wrong, then what to do."""
    return f"{error.message} {error.hint}".strip()


def read_picture(api: ClinicApi, photo_id: str) -> tuple[PhotoInfo, QPixmap]:
    """A stored photo and its picture, decoded.

    Raises:
        UserError: the photo is no longer stored, or its picture cannot be shown.
    """
    image = api.photo_image(photo_id)
    pixmap = QPixmap()
    if not pixmap.loadFromData(image.data):
        raise UserError(
            "This photo's picture could not be shown on this computer.",
            "Close this window and try again; if it happens again, tell whoever looks after ScleroChart.",
        )
    return image.info, pixmap


class ScaledPhoto(QLabel):
    """A picture scaled to fit the room it is given (never stretched), or a line of text in its place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picture = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)  # a big photo never widens it
        self.setFrameShape(QFrame.Shape.StyledPanel)

    def set_picture(self, picture: QPixmap) -> None:
        """Show a picture, scaled to fit."""
        self._picture = picture
        self.setText("")
        self._fit()

    def say(self, text: str) -> None:
        """Show a line of text instead of a picture."""
        self._picture = QPixmap()
        self.clear()
        self.setText(text)

    def has_picture(self) -> bool:
        """Whether a picture (not text) is shown."""
        return not self._picture.isNull()

    def picture_size(self) -> QSize:
        """The size of the picture as decoded (before scaling), or an empty size."""
        return self._picture.size()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the picture to the new room."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._picture.isNull():
            return
        room = self.contentsRect().size()
        if room.width() < 2 or room.height() < 2:
            return
        self.setPixmap(
            self._picture.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )


def _fit_to_screen(dialog: QDialog, width: int, height: int) -> None:
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 80)
    dialog.resize(max(width, 480), max(height, 360))


class PhotoViewerDialog(QDialog):
    """One photo whole, scaled to the window, with what it shows and when underneath."""

    def __init__(self, api: ClinicApi, photo_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Photo")
        self.picture = ScaledPhoto()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton("Close")
        close.setMinimumHeight(BUTTON_HEIGHT)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        try:
            info, pixmap = read_picture(api, photo_id)
        except UserError as error:
            self.picture.say(error_text(error))
            self.caption.setText("")
        else:
            self.setWindowTitle(f"Photo — {view_words(info.view)}, {info.record_day:%d.%m.%Y}")
            self.picture.set_picture(pixmap)
            self.caption.setText(photo_caption(info))
        _fit_to_screen(self, 1200, 760)


class ComparePane(QWidget):
    """One side of the comparison: which of the view's photos, and that photo scaled to fit with its caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setMinimumHeight(BUTTON_HEIGHT)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(16)
        self.picture = ScaledPhoto()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choice)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.caption)

    def photo_id(self) -> str | None:
        """The id of the photo chosen, or None."""
        value = self.choice.currentData()
        return value if isinstance(value, str) else None


def choice_labels(photos: list[PhotoInfo]) -> list[str]:
    """The entries of a pane's list, one per photo: "02.03.2026 — session", the region when one is named.

    Two photos that would read the same are told apart by a number ("(2)").
    """
    labels = []
    for info in photos:
        text = f"{info.record_day:%d.%m.%Y} — {record_words(info)}"
        if info.region:
            text += f", {label_of(info.region)}"
        labels.append(text)
    counts: dict[str, int] = {}
    numbered = []
    for text in labels:
        counts[text] = counts.get(text, 0) + 1
        numbered.append(f"{text} ({counts[text]})" if labels.count(text) > 1 else text)
    return numbered


class PhotoCompareDialog(QDialog):
    """The same view of the leg side by side across dates: the earliest on the left, the latest on the right.

    Attributes:
        view_choice: the views that have photos (with how many).
        panes: two (three on a wide screen) panes; `shown_panes()` are those in use for the view chosen.
    """

    def __init__(
        self,
        api: ClinicApi,
        patient_id: str,
        parent: QWidget | None = None,
        view: View | None = None,
        *,
        panes: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.patient_id = patient_id
        self._pictures: dict[tuple[str, int], QPixmap] = {}
        self.setWindowTitle("Compare photos")
        self.view_choice = QComboBox()
        self.view_choice.setMinimumHeight(BUTTON_HEIGHT)
        self.message = QLabel()
        self.message.setWordWrap(True)
        if panes is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            wide = screen is not None and screen.availableGeometry().width() >= WIDE_SCREEN
            panes = 3 if wide else 2
        self.panes = [ComparePane() for _ in range(max(2, min(panes, 3)))]
        top = QHBoxLayout()
        top.addWidget(QLabel("View"))
        top.addWidget(self.view_choice, 1)
        side_by_side = QHBoxLayout()
        for pane in self.panes:
            side_by_side.addWidget(pane, 1)
            pane.choice.currentIndexChanged.connect(lambda _index, pane=pane: self._show(pane))
        close = QPushButton("Close")
        close.setMinimumHeight(BUTTON_HEIGHT)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(side_by_side, 1)
        layout.addLayout(buttons)
        self.view_choice.currentIndexChanged.connect(lambda _index: self._fill_panes())
        _fit_to_screen(self, 1340 if len(self.panes) == 2 else 1860, 760)
        self.reload(view)

    def reload(self, view: View | None = None) -> None:
        """Read the patient's photos again and show `view` (or the view shown, or the first with photos)."""
        wanted = view if view is not None else self.current_view()
        notice = ""
        try:
            self.photos = self.api.patient_photos(self.patient_id)
        except UserError as error:
            self.photos = ()
            notice = error_text(error)
        counts = {each: sum(info.view == each for info in self.photos) for each in View}
        self.view_choice.blockSignals(True)
        self.view_choice.clear()
        for each in View:
            if counts[each]:
                number = f"{counts[each]} photo{'s' if counts[each] != 1 else ''}"
                self.view_choice.addItem(f"{view_words(each)} ({number})", each)
        index = self.view_choice.findData(wanted) if wanted is not None else -1
        self.view_choice.setCurrentIndex(max(index, 0) if self.view_choice.count() else -1)
        self.view_choice.blockSignals(False)
        self.view_choice.setEnabled(self.view_choice.count() > 0)
        if not notice and not self.photos:
            notice = (
                "This patient has no photos yet. Add them in a session or a follow-up visit, then compare them here."
            )
        elif not notice and wanted is not None and index < 0:
            notice = f"There is no {wanted.value} photo of this patient; another view is shown."
        self.message.setText(notice)
        self.message.setVisible(bool(notice))
        self._fill_panes()

    def current_view(self) -> View | None:
        """The view compared, or None when the patient has no photos."""
        value = self.view_choice.currentData()
        return View(value) if value is not None else None

    def view_photos(self) -> list[PhotoInfo]:
        """The photos of the view compared, oldest first (by the record's day, then as they were added)."""
        view = self.current_view()
        chosen = [info for info in self.photos if info.view == view]
        return sorted(chosen, key=lambda info: (info.record_day, info.added_at))

    def shown_panes(self) -> list[ComparePane]:
        """The panes in use: as many as the view has photos (at least two), at most all of them."""
        return [pane for pane in self.panes if not pane.isHidden()]

    def _fill_panes(self) -> None:
        photos = self.view_photos()
        labels = choice_labels(photos)
        used = max(2, min(len(self.panes), len(photos)))
        if photos:
            last = len(photos) - 1
            defaults = [round(last * place / (used - 1)) for place in range(used)]  # earliest … latest
        else:
            defaults = [-1] * used
        for number, pane in enumerate(self.panes):
            pane.setHidden(number >= used)
            pane.choice.blockSignals(True)
            pane.choice.clear()
            for info, text in zip(photos, labels, strict=True):
                pane.choice.addItem(text, info.id)
            if number < used:
                pane.choice.setCurrentIndex(defaults[number])
            pane.choice.setEnabled(bool(photos))
            pane.choice.blockSignals(False)
            if number < used:
                self._show(pane)

    def _show(self, pane: ComparePane) -> None:
        photo_id = pane.photo_id()
        info = next((each for each in self.photos if each.id == photo_id), None)
        if info is None:
            pane.picture.say("No photo of this view.")
            pane.caption.setText("")
            return
        key = (info.id, info.version)
        picture = self._pictures.get(key)
        if picture is None:
            try:
                info, picture = read_picture(self.api, info.id)
            except UserError as error:
                pane.picture.say(error_text(error))
                pane.caption.setText("")
                return
            if len(self._pictures) >= KEPT_PICTURES:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[key] = picture
        pane.picture.set_picture(picture)
        pane.caption.setText(photo_caption(info))
