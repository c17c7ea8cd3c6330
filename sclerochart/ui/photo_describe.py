"""Photos being added: what they show (asked once for the files added together), and the batch stored in turn."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sclerochart.api import ClinicApi
from sclerochart.domain.diagram import label_of
from sclerochart.domain.errors import UserError, ValidationError
from sclerochart.domain.photos import PHOTO_EXTENSIONS, photo_label
from sclerochart.domain.values import View
from sclerochart.readmodels import PhotoInfo
from sclerochart.ui.photo_compare import BUTTON_HEIGHT, error_text, view_words
from sclerochart.ui.photo_model import view_regions


class PhotoDescriptionDialog(QDialog):
    """What photos show: the view of the leg (required) and, if the user wants, one region of that view.

    The treated regions of the record come first in the region list, marked "treated".
    """

    def __init__(
        self,
        *,
        title: str,
        intro: str,
        confirm: str,
        view: View | None = None,
        region: str = "",
        treated: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.treated = tuple(treated)
        self._region = region
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        about = QLabel(intro)
        about.setWordWrap(True)
        self.view_choice = QComboBox()
        self.view_choice.setMinimumHeight(BUTTON_HEIGHT)
        self.view_choice.setPlaceholderText("Choose the view…")
        for each in View:
            self.view_choice.addItem(view_words(each), each.value)
        self.region_choice = QComboBox()
        self.region_choice.setMinimumHeight(BUTTON_HEIGHT)
        form = QFormLayout()
        form.addRow("View of the leg", self.view_choice)
        form.addRow("Region (if one)", self.region_choice)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(confirm)
        for button in self.buttons.buttons():
            button.setMinimumHeight(BUTTON_HEIGHT)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.view_choice.setCurrentIndex(self.view_choice.findData(view.value) if view is not None else -1)
        self.view_choice.currentIndexChanged.connect(lambda _index: self._fill_regions())
        self._fill_regions()
        self.view_choice.setFocus()

    def choose(self, view: View, region: str = "") -> None:
        """Choose a view and a region ("" for none), as the user would in the lists."""
        self.view_choice.setCurrentIndex(self.view_choice.findData(view.value))
        index = self.region_choice.findData(region)
        if index < 0:
            raise ValueError(f"{region!r} is not offered for the {view.value} view")
        self.region_choice.setCurrentIndex(index)

    def view(self) -> View | None:
        """The view chosen, or None."""
        value = self.view_choice.currentData()
        return View(value) if value is not None else None

    def region(self) -> str:
        """The region chosen, or "" for none."""
        value = self.region_choice.currentData()
        return value if isinstance(value, str) else ""

    def description(self) -> tuple[View, str]:
        """The view and region chosen (only once a view is chosen)."""
        view = self.view()
        if view is None:
            raise ValueError("no view chosen")
        return view, self.region()

    def _fill_regions(self) -> None:
        if self.region_choice.count():
            self._region = self.region()
        view = self.view()
        self.ok_button.setEnabled(view is not None)
        self.region_choice.clear()
        if view is None:
            self.region_choice.addItem("Choose the view first", "")
            self.region_choice.setEnabled(False)
            return
        self.region_choice.setEnabled(True)
        self.region_choice.addItem("No particular region", "")
        shown = view_regions(view)
        first = [code for code in dict.fromkeys(self.treated) if code in shown]
        for code in first:
            self.region_choice.addItem(f"{label_of(code)} — treated", code)
        if first:
            self.region_choice.insertSeparator(self.region_choice.count())
        for code in shown:
            if code not in first:
                self.region_choice.addItem(label_of(code), code)
        index = self.region_choice.findData(self._region) if self._region else 0
        self.region_choice.setCurrentIndex(max(index, 0))


def photo_filter() -> str:
    """The file dialog's filter: the photo extensions (both cases, for file systems that tell them apart)."""
    patterns = " ".join(f"*{ext} *{ext.upper()}" for ext in PHOTO_EXTENSIONS)
    return f"Photos ({patterns});;All files (*)"


def refusal_text(path: Path, error: UserError) -> str:
    """Why one file was not added, naming the file."""
    if isinstance(error, ValidationError) and error.errors:
        text = " ".join(each.message for each in error.errors)
    else:
        text = error_text(error)
    if path.name not in text:
        text = f"{photo_label(path.name)} was not added: {text}"
    return text


def plural(count: int, word: str = "photo") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@dataclass
class Batch:
    """Files added together with one description, stored one after the other."""

    paths: list[Path]
    view: View
    region: str
    session_id: str | None
    visit_id: str | None
    added: list[PhotoInfo] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def left(self) -> int:
        return len(self.paths) - len(self.added) - len(self.refused)

    def work(self, api: ClinicApi, path: Path) -> Callable[[], PhotoInfo]:
        """Storing one of the files, as work for a pool thread (plain values only, no widget)."""
        return functools.partial(
            api.add_photo_file,
            path,
            view=self.view,
            region=self.region,
            session_id=self.session_id,
            visit_id=self.visit_id,
        )
