"""Photos from the main window: the open session's photos, and the camera's import folder.

The camera folder is set for each user account of a computer (File → Camera folder…); photos arriving in
it are offered to the record whose photos are open (a session's photos, or a follow-up visit's Photos
tab), described once and then stored with it. When none is open, the status line says how many arrived
and where to add them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sclerochart.domain.values import SessionState
from sclerochart.ui.documents import preferences
from sclerochart.ui.photo_strip import PhotoStrip
from sclerochart.ui.photo_watch import PhotoFolderWatch

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow

CAMERA_KEY = "photos/camera_folder"


class PhotoActions(QObject):
    """The window's photo entries: the session's photos and the camera folder."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.strips: list[PhotoStrip] = []
        """Strips open now, newest last: photos from the camera go to the newest visible one."""
        self.watch = PhotoFolderWatch(self)
        self.watch.arrived.connect(self._arrived)
        self.watch.unavailable.connect(lambda text: window.statusBar().showMessage(text, 15_000))
        self.session_photos_action = QAction("&Photos of the session…", window)
        self.session_photos_action.setStatusTip(
            "Add, describe and view the open session's photos (file dialog, drag and drop, or the camera folder)."
        )
        self.session_photos_action.triggered.connect(lambda _checked=False: self.show_session_photos())
        self.camera_action = QAction("&Camera folder…", window)
        self.camera_action.setStatusTip(
            "The folder a clinic camera saves into: new photos there are offered to the open record."
        )
        self.camera_action.triggered.connect(lambda _checked=False: self.choose_camera_folder())
        folder = self.camera_folder()
        if folder is not None:
            self.watch.start(folder)

    def camera_folder(self) -> Path | None:
        """The camera folder set on this computer, or None."""
        value = preferences().value(CAMERA_KEY, "")
        return Path(str(value)) if value else None

    def choose_camera_folder(self) -> None:
        """Ask for the camera folder (cancel keeps the one set; an empty choice stops watching)."""
        current = self.camera_folder()
        chosen = QFileDialog.getExistingDirectory(
            self.window, "Camera folder: where the clinic camera saves its photos", str(current or Path.home())
        )
        if not chosen:
            return
        preferences().setValue(CAMERA_KEY, chosen)
        self.watch.stop()
        self.watch.start(Path(chosen))
        self.window.statusBar().showMessage(
            f"New photos in {chosen} are offered to the session or follow-up visit whose photos are open.", 10_000
        )

    def opened(self, strip: PhotoStrip) -> None:
        """A strip is showing: camera photos go to it while it is the newest one open."""
        self.strips.append(strip)
        strip.destroyed.connect(lambda _obj=None, strip=strip: self._closed(strip))

    def _closed(self, strip: PhotoStrip) -> None:
        if strip in self.strips:
            self.strips.remove(strip)

    def _arrived(self, paths: list[Path]) -> None:
        visible = [strip for strip in self.strips if _alive(strip) and strip.isVisible() and strip.can_add()]
        if visible:
            visible[-1].offer_files(paths)
            return
        count = len(paths)
        self.window.statusBar().showMessage(
            f"{count} new photo{'s' if count != 1 else ''} in the camera folder: open the session's photos or a "
            "follow-up visit's Photos tab, then Add photos….",
            20_000,
        )

    def _patient_words(self) -> str:
        patient = self.window.patient
        return f"{patient.display_name} ({patient.chart_number})" if patient is not None else ""

    def show_session_photos(self) -> None:
        """The open session's photos in a window of their own."""
        controller = self.window.charting.controller
        detail = controller.detail
        if detail is None:
            self.window.statusBar().showMessage("Open a session first: its photos are kept with it.", 8000)
            return
        session = detail.session
        dialog = QDialog(self.window)
        dialog.setWindowTitle(f"Photos of the session of {session.started_at:%d.%m.%Y %H:%M}")
        strip = PhotoStrip(self.window.api, self.window.tasks, dialog)
        strip.show_record(
            session.patient_id,
            session_id=session.id,
            frozen=session.voided or session.state is SessionState.SIGNED,
            regions=tuple(sorted({site.region for site in detail.sites})),
        )
        strip.record_words = f"Session of {session.started_at:%d.%m.%Y} — {self._patient_words()}"
        self.opened(strip)
        hint = QLabel(
            "Drop photos here, use Add photos…, or set a camera folder (File → Camera folder…). "
            "Each photo is stored without its location and camera details."
        )
        hint.setWordWrap(True)
        close = QPushButton("Close")
        close.setMinimumHeight(40)
        close.clicked.connect(dialog.accept)
        layout = QVBoxLayout(dialog)
        layout.addWidget(hint)
        layout.addWidget(strip, 1)
        foot = QHBoxLayout()
        foot.addStretch(1)
        foot.addWidget(close)
        layout.addLayout(foot)
        dialog.resize(900, 600)
        dialog.exec()
        self._closed(strip)


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # the C++ side is gone
        return False
    return True
