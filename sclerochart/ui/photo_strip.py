"""The photos of one session or follow-up visit as thumbnails: add (button, drop, camera), view, describe, remove.

A photo file is prepared and stored off the GUI thread (`ClinicApi.add_photo_file` decodes it, strips its metadata
and makes its thumbnail), one file after the other, through the TaskRunner. The view and region are asked once for
the files added together. The thumbnails are small JPEGs made when the photo was added; decoding them here is quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.domain.photos import photo_label
from sclerochart.readmodels import PhotoInfo
from sclerochart.ui.photo_compare import (
    BUTTON_HEIGHT,
    PhotoViewerDialog,
    error_text,
    photo_caption,
)
from sclerochart.ui.photo_describe import Batch, PhotoDescriptionDialog, photo_filter, plural, refusal_text
from sclerochart.ui.photo_model import ICON_EDGE, PhotoListModel
from sclerochart.ui.tasks import TaskRunner

SIGNED_TIP = "This photo belongs to a signed record and stays as it is; add a new photo if another is needed."
FROZEN_TIP = "The photos of this record can no longer be changed or removed."


class PhotoStrip(QWidget):
    """The photos of one record (a session or a follow-up visit) as thumbnails, and the buttons to look after them.

    Attributes:
        record_needed: when set, called before photos are added, for the (session id, visit id) to add them to;
            the visit dialog saves an unsaved visit there. A UserError it raises is shown and nothing is added.
        changed: emitted after a photo was added, described again or removed.
    """

    changed = Signal()

    def __init__(self, api: ClinicApi, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.tasks = tasks
        self.record_needed: Callable[[], tuple[str | None, str | None]] | None = None
        self.patient_id: str | None = None
        self.session_id: str | None = None
        self.visit_id: str | None = None
        self.whole_patient = False
        """Every photo of the patient is shown (the course window): none can be added here."""
        self.record_words = ""
        """Whose record the photos join, said when they are described (camera photos arrive unasked)."""
        self.frozen = False
        self.regions: tuple[str, ...] = ()
        self._queue: list[tuple[Batch, Path]] = []
        self._asking = False
        self._offered_later: list[Path] = []
        self._storing = False
        self._notice = ""  # how the last adding went
        self._problem = ""  # why the photos could not be read, when they could not
        self._folder = ""
        self.model = PhotoListModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(ICON_EDGE, ICON_EDGE))
        self.list.setGridSize(QSize(ICON_EDGE + 36, ICON_EDGE + 70))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setMinimumHeight(ICON_EDGE + 80)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.add_button = QPushButton("Add photos…")
        self.view_button = QPushButton("View whole")
        self.describe_button = QPushButton("Describe…")
        self.remove_button = QPushButton("Remove…")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.view_button, self.describe_button, self.remove_button):
            button.setMinimumHeight(BUTTON_HEIGHT)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setAcceptDrops(True)
        self.add_button.clicked.connect(lambda: self.add_photos())
        self.view_button.clicked.connect(lambda: self.open_photo())
        self.describe_button.clicked.connect(lambda: self.describe_photo())
        self.remove_button.clicked.connect(lambda: self.remove_photo())
        self.list.doubleClicked.connect(lambda index: self.open_photo(self.model.photo_at(index.row())))
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.selectionModel().selectionChanged.connect(lambda *_args: self._update())
        self.model.modelReset.connect(self._update)
        for keys, act in (
            (QKeySequence.StandardKey.Delete, lambda: self.remove_photo()),
            (QKeySequence(Qt.Key.Key_Return), lambda: self.open_photo()),
            (QKeySequence(Qt.Key.Key_Enter), lambda: self.open_photo()),
        ):
            shortcut = QShortcut(keys, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(act)
        self._update()

    # --- What is shown ---------------------------------------------------------------------------------------

    def show_record(
        self,
        patient_id: str,
        *,
        session_id: str | None = None,
        visit_id: str | None = None,
        frozen: bool = False,
        regions: Sequence[str] = (),
    ) -> None:
        """Show the photos of a session or a visit (neither: a record not saved yet, shown empty).

        Args:
            patient_id: whose record it is.
            session_id: the session, or None.
            visit_id: the follow-up visit, or None.
            frozen: the record can no longer be changed: its photos cannot be described again or removed
                (photos can still be added, e.g. from the camera after a signed visit: each says when and by whom).
            regions: the record's treated region codes, offered first when a region is chosen.
        """
        self.patient_id = patient_id
        self.session_id = session_id
        self.visit_id = visit_id
        self.whole_patient = False
        self.frozen = frozen
        self.regions = tuple(regions)
        self._notice = ""
        self.reload()

    def show_patient(self, patient_id: str) -> None:
        """Show every photo of the patient, oldest record first (adding is done from a session or a visit)."""
        self.patient_id = patient_id
        self.session_id = self.visit_id = None
        self.whole_patient = True
        self.frozen = False
        self.regions = ()
        self._notice = ""
        self.reload()

    def reload(self) -> None:
        """Read the record's photos again (after a change here or in another room)."""
        chosen = self.selected()
        photos: tuple[PhotoInfo, ...] = ()
        self._problem = ""
        if self.patient_id is not None and (
            self.whole_patient or self.session_id is not None or self.visit_id is not None
        ):
            try:
                every = self.api.patient_photos(self.patient_id)
            except UserError as error:
                self._problem = error_text(error)
            else:
                photos = tuple(info for info in every if self._belongs(info))
                if self.whole_patient:
                    photos = tuple(sorted(photos, key=lambda info: (info.record_day, info.added_at)))
        self.model.set_photos(photos)
        if chosen is not None and (row := self.model.row_of(chosen.id)) >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        self._update()

    def count(self) -> int:
        """How many photos the strip shows."""
        return self.model.rowCount()

    def photos(self) -> tuple[PhotoInfo, ...]:
        """The photos shown, in the order they were added."""
        return self.model.photos()

    def selected(self) -> PhotoInfo | None:
        """The photo chosen in the strip, or None."""
        indexes = self.list.selectionModel().selectedIndexes()
        return self.model.photo_at(indexes[0].row()) if indexes else None

    def select(self, photo_id: str) -> None:
        """Choose a photo in the strip (as a click on it would)."""
        row = self.model.row_of(photo_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def busy(self) -> bool:
        """Whether photos are still being added (a window may wait for them before it closes)."""
        return self._storing or bool(self._queue)

    def can_add(self) -> bool:
        """Whether photos can be added: a patient's record is shown, or can be saved first (`record_needed`)."""
        has_record = self.session_id is not None or self.visit_id is not None
        if self.whole_patient:
            return False
        return self.patient_id is not None and (has_record or self.record_needed is not None)

    def can_change(self, info: PhotoInfo | None) -> bool:
        """Whether a photo's view and region can be corrected or the photo removed."""
        return info is not None and not self.frozen and not info.frozen

    def _belongs(self, info: PhotoInfo) -> bool:
        if self.whole_patient:
            return True
        if self.session_id is not None:
            return info.session_id == self.session_id
        return self.visit_id is not None and info.visit_id == self.visit_id

    def _update(self) -> None:
        info = self.selected()
        self.add_button.setEnabled(self.can_add())
        self.view_button.setEnabled(info is not None)
        changeable = self.can_change(info)
        self.describe_button.setEnabled(changeable)
        self.remove_button.setEnabled(changeable)
        tip = FROZEN_TIP if self.frozen else SIGNED_TIP if info is not None and info.frozen else ""
        self.describe_button.setToolTip(tip)
        self.remove_button.setToolTip(tip)
        if self.busy():
            left = len(self._queue) + (1 if self._storing else 0)
            self.status.setText(f"Adding {plural(left)}…")
        elif self._problem or self._notice:
            self.status.setText(self._problem or self._notice)
        elif not self.count() and self.can_add():
            self.status.setText("No photos yet. Press “Add photos…” or drop photo files here.")
        elif not self.count():
            self.status.setText("No photos.")
        else:
            self.status.setText(plural(self.count()) + ". Double-click a photo to see it whole.")

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, "ScleroChart", text)

    # --- Adding ----------------------------------------------------------------------------------------------

    def add_photos(self) -> bool:
        """Ask for photo files, then for what they show, then add them; True when adding started."""
        if not self.can_add():
            return False
        chosen, _filter = QFileDialog.getOpenFileNames(
            self, "Add photos", self._folder or str(Path.home()), photo_filter()
        )
        if not chosen:
            return False
        self._folder = str(Path(chosen[0]).parent)
        return self.offer_files([Path(name) for name in chosen])

    def offer_files(self, paths: Sequence[Path]) -> bool:
        """Add these files (chosen, dropped, or arrived in the camera folder) after asking what they show.

        The view (required) and a region are asked once for all of them; each file is then stored off the GUI
        thread, one after the other. A file that is refused is named in a message at the end; the others are
        added. Returns True when adding started (False: nothing to add, cancelled, or no record to add to).

        Files offered while the question about others is open (the camera went on) are asked about after it.
        """
        files = list(dict.fromkeys(Path(path) for path in paths))
        if not files:
            return False
        if self._asking:
            self._offered_later.extend(files)
            return False
        if not self.can_add():
            self._warn("Open a session or a follow-up visit first, then add the photos to it.")
            return False
        self._asking = True
        try:
            return self._describe_and_add(files)
        finally:
            self._asking = False
            if self._offered_later:
                later, self._offered_later = self._offered_later, []
                QTimer.singleShot(0, lambda: self.offer_files(later))

    def _describe_and_add(self, files: list[Path]) -> bool:
        names = ", ".join(photo_label(path.name) for path in files[:5])
        if len(files) > 5:
            names += f" and {plural(len(files) - 5, 'more')}"
        dialog = PhotoDescriptionDialog(
            title=f"Add {plural(len(files))}",
            intro=(
                f"{self.record_words + ': ' if self.record_words else ''}"
                f"what {'does the photo' if len(files) == 1 else 'do the photos'} show? {names}"
            ),
            confirm=f"Add {plural(len(files))}",
            treated=self.regions,
            parent=self,
        )
        answered = dialog.exec() == QDialog.DialogCode.Accepted and dialog.view() is not None
        description = dialog.description() if answered else None
        dialog.deleteLater()
        if description is None:
            return False
        view, region = description
        session_id, visit_id = self.session_id, self.visit_id
        if self.record_needed is not None:
            try:
                session_id, visit_id = self.record_needed()
            except UserError as error:
                self._warn(error_text(error))
                return False
            if (session_id, visit_id) != (self.session_id, self.visit_id):
                self.session_id, self.visit_id = session_id, visit_id
                self.reload()
        if session_id is None and visit_id is None:
            self._warn("These photos have no session or visit to go with yet. Save the visit first, then add them.")
            return False
        batch = Batch(files, view, region, session_id, visit_id)
        self._queue.extend((batch, path) for path in files)
        self._notice = ""
        self._next()
        return True

    def _next(self) -> None:
        if self._storing or not self._queue:
            self._update()
            return
        batch, path = self._queue.pop(0)
        self._storing = True
        self._update()
        self.tasks.run(
            batch.work(self.api, path),
            lambda info: self._stored(batch, info),
            lambda error: self._refused(batch, path, error),
        )

    def _stored(self, batch: Batch, info: PhotoInfo) -> None:
        batch.added.append(info)
        self._after(batch, added=True)

    def _refused(self, batch: Batch, path: Path, error: UserError) -> None:
        batch.refused.append(refusal_text(path, error))
        self._after(batch, added=False)

    def _after(self, batch: Batch, *, added: bool) -> None:
        self._storing = False
        if not shiboken6.isValid(self):
            # The strip was closed while photos were being added: the rest are still stored, as the user asked.
            if self._queue:
                self._next_unseen()
            return
        if added:
            self.reload()
            self.changed.emit()
        if batch.left == 0:
            self._finished(batch)
        self._next()

    def _next_unseen(self) -> None:
        """Store the files still waiting, with no strip left to show them."""
        batch, path = self._queue.pop(0)

        def then(_outcome: object) -> None:
            if self._queue:
                self._next_unseen()

        self.tasks.run(batch.work(self.api, path), then, then)

    def _finished(self, batch: Batch) -> None:
        added, refused = len(batch.added), len(batch.refused)
        if refused:
            self._notice = (
                f"{plural(added)} added; {refused} could not be added (the message says why)."
                if added
                else f"{'The photo' if refused == 1 else 'The photos'} could not be added (the message says why)."
            )
        else:
            self._notice = f"{plural(added)} added."
        self._update()
        if refused:
            self._warn("\n\n".join(batch.refused))

    # --- Looking at, describing and removing one photo -------------------------------------------------------

    def open_photo(self, info: PhotoInfo | None = None) -> PhotoViewerDialog | None:
        """Show a photo (by default the one chosen) whole in a window of its own."""
        info = info or self.selected()
        if info is None:
            return None
        viewer = PhotoViewerDialog(self.api, info.id, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()
        return viewer

    def describe_photo(self, info: PhotoInfo | None = None) -> bool:
        """Correct the view and region of a photo (by default the one chosen); True when changed."""
        info = info or self.selected()
        if info is None or not self.can_change(info):
            return False
        dialog = PhotoDescriptionDialog(
            title="Describe the photo",
            intro=f"What does this photo show? ({photo_caption(info)})",
            confirm="Save",
            view=info.view,
            region=info.region,
            treated=self.regions,
            parent=self,
        )
        answered = dialog.exec() == QDialog.DialogCode.Accepted and dialog.view() is not None
        description = dialog.description() if answered else None
        dialog.deleteLater()
        if description is None:
            return False
        view, region = description
        if (view, region) == (info.view, info.region):
            return False
        try:
            self.api.describe_photo(info.id, info.version, view, region)
        except UserError as error:
            self._warn(error_text(error))
            self.reload()
            return False
        self.reload()
        self.changed.emit()
        return True

    def remove_photo(self, info: PhotoInfo | None = None) -> bool:
        """Remove a photo (by default the one chosen) after asking; True when removed."""
        info = info or self.selected()
        if info is None or not self.can_change(info):
            return False
        answer = QMessageBox.question(
            self,
            "Remove photo",
            f"Remove this photo from the record? ({photo_caption(info)})\n\n"
            "It is removed for good; the record's history keeps that it was added and removed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.api.remove_photo(info.id, info.version)
        except UserError as error:
            self._warn(error_text(error))
            self.reload()
            return False
        self.reload()
        self.changed.emit()
        return True

    def _menu(self, point: QPoint) -> None:
        index = self.list.indexAt(point)
        if index.isValid():
            self.list.setCurrentIndex(index)
        info = self.selected() if index.isValid() else None
        menu = QMenu(self)
        look = menu.addAction("View whole", lambda: self.open_photo(info))
        describe = menu.addAction("Describe…", lambda: self.describe_photo(info))
        remove = menu.addAction("Remove…", lambda: self.remove_photo(info))
        menu.addSeparator()
        add = menu.addAction("Add photos…", lambda: self.add_photos())
        look.setEnabled(info is not None)
        describe.setEnabled(self.can_change(info))
        remove.setEnabled(self.can_change(info))
        add.setEnabled(self.can_add())
        menu.exec(self.list.viewport().mapToGlobal(point))

    # --- Dropping files --------------------------------------------------------------------------------------

    @staticmethod
    def _dropped(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        data = event.mimeData()
        if not data.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Take files dragged onto the strip."""
        if self.can_add() and self._dropped(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Keep taking the files while they move over the strip."""
        if self.can_add() and self._dropped(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Add the files dropped (asked about once the drop is over, not inside it)."""
        paths = self._dropped(event)
        if not paths or not self.can_add():
            event.ignore()
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.offer_files(paths))
