"""The clinic settings dialog: clinic details and logo, treatment defaults, and the aftercare handout's text.

Every field comes from the settings registry (title, help, limits). OK saves all changes in one transaction
or, when a value is not allowed, none of them, and says which field and what is allowed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sclerochart import settings
from sclerochart.api import ClinicApi
from sclerochart.domain import handout
from sclerochart.domain.errors import UserError, ValidationError
from sclerochart.ui.input_guards import guard_inputs

LOGO_MAX_PIXELS = (600, 240)
"""A logo is scaled down to at most this size: plenty for 30 × 14 mm at 300 dpi, and a small database row."""

CLINIC_KEYS = ("clinic_name", "clinic_address", "clinic_phone", "paper_size")
RECORD_KEYS = (
    "lock_after_minutes",
    "signing_needs_weight",
    "signing_needs_sites",
    "signing_needs_ceap",
    "signing_needs_compression",
    "signing_needs_lot_numbers",
)
BACKUP_KEYS = (
    "backup_folder",
    "backup_every_hours",
    "backup_keep_daily",
    "backup_keep_weekly",
    "backup_keep_monthly",
)
TREATMENT_KEYS = (
    "interval_weeks",
    "compression_stocking",
    "compression_continuous_hours",
    "compression_days",
    "compression_nights_too",
)


def logo_png(image: QImage) -> bytes:
    """The picture scaled down to fit LOGO_MAX_PIXELS, as PNG bytes."""
    width, height = LOGO_MAX_PIXELS
    if image.width() > width or image.height() > height:
        image = image.scaled(
            width, height, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes; PySide6 6.11 wants str
    buffer.close()
    return bytes(data.data())


class ClinicSettingsDialog(QDialog):
    """Edit the clinic's settings; shared by every room of the clinic."""

    def __init__(self, api: ClinicApi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.setWindowTitle("Clinic settings")
        self.resize(760, 640)
        self.current = api.load_settings()
        self.version = api.settings_version()
        """The settings' stored version when the dialog opened: saving names it, so another room's change wins."""
        self.logo: bytes | None = api.load_logo()
        self.logo_changed = False
        self.editors: dict[str, QWidget] = {}

        tabs = QTabWidget()
        tabs.addTab(self._form(CLINIC_KEYS, self._logo_row()), "&Clinic")
        tabs.addTab(self._form(TREATMENT_KEYS), "&Treatment")
        tabs.addTab(self._handout_tab(), "&Aftercare handout")
        tabs.addTab(self._form(RECORD_KEYS, self._always_required(), ""), "&Records and signing")
        tabs.addTab(self._form(BACKUP_KEYS), "&Backups")
        self.tabs = tabs
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("These settings are shared by every room that uses this database.")
        note.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        guard_inputs(self)

    # Building ----------------------------------------------------------------------------------------
    @staticmethod
    def _always_required() -> QLabel:
        label = QLabel(
            "Consent, the checklist and the practitioner are always needed before a session is signed; "
            "the items ticked above are needed too."
        )
        label.setWordWrap(True)
        return label

    def _editor(self, key: str) -> QWidget:
        spec = settings.SPECS[key]
        value = getattr(self.current, key)
        editor: QWidget
        if spec.multiline:
            text_editor = QPlainTextEdit(str(value))
            lines = max(len(str(value).splitlines()), len(settings.handout_defaults().get(key, "").splitlines()))
            text_editor.setFixedHeight(min(200, 46 + 19 * max(lines, 2)))  # room for the text and a little more
            text_editor.setTabChangesFocus(True)
            editor = text_editor
        elif spec.choices:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentText(str(value))
            editor = combo
        elif isinstance(value, bool):
            box = QCheckBox(spec.title)
            box.setChecked(value)
            editor = box
        elif isinstance(value, int):
            spin = QSpinBox()
            spin.setRange(spec.minimum or 0, spec.maximum or 999)
            spin.setValue(value)
            editor = spin
        else:
            line = QLineEdit(str(value))
            line.setMaxLength(settings.TEXT_LIMIT)
            editor = line
        editor.setToolTip(spec.help)
        editor.setStatusTip(spec.help)
        editor.setAccessibleName(spec.title)
        editor.setMinimumHeight(max(editor.minimumHeight(), 30))
        self.editors[key] = editor
        return editor

    def _form(self, keys: tuple[str, ...], extra: QWidget | None = None, extra_label: str = "Logo") -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for key in keys:
            spec = settings.SPECS[key]
            editor = self._editor(key)
            label = "" if isinstance(editor, QCheckBox) else spec.title
            form.addRow(label, self._with_chooser(editor) if spec.is_folder else editor)
            hint = QLabel(spec.help)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555555;")
            form.addRow("", hint)
        if extra is not None:
            form.addRow(extra_label, extra)
        return page

    def _with_chooser(self, line: QWidget) -> QWidget:
        """A folder's path with a button that picks it (typing it, a network path say, works too)."""
        assert isinstance(line, QLineEdit)
        line.setPlaceholderText("Backups, beside the database")
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(line, 1)
        choose = QPushButton("Choose…")
        choose.setMinimumHeight(30)
        choose.setAccessibleName("Choose the backup folder")
        choose.clicked.connect(lambda: self._choose_folder(line))
        layout.addWidget(choose)
        return row

    def _choose_folder(self, line: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Backup folder", line.text())
        if folder:
            line.setText(folder)

    def _logo_row(self) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.logo_preview = QLabel()
        self.logo_preview.setMinimumSize(160, 64)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #c9ced6; background: white;")
        choose = QPushButton("Choose picture…")
        choose.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton("Remove")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        layout.addWidget(self.logo_preview)
        layout.addWidget(choose)
        layout.addWidget(self.remove_logo_button)
        layout.addStretch(1)
        self._show_logo()
        return row

    def _handout_tab(self) -> QWidget:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        names = ", ".join("{" + key + "}" for key in handout.PLACEHOLDERS)
        intro = QLabel(
            "The handout prints these texts under its headings, in large type, with the patient's own dates. "
            "A blank line starts a paragraph; a line starting with “- ” is a bullet point. "
            f"Placeholders are filled in per patient: {names}. "
            "The stockings paragraph is made from the Treatment tab."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for section in handout.SECTIONS:
            title_row = QHBoxLayout()
            title = QLabel(f"<b>{section.title}</b>")
            reset = QPushButton("Reset to default")
            reset.setToolTip(f"Put back the default text of “{section.title}”.")
            reset.clicked.connect(lambda _=False, key=section.key: self.reset_text(key))
            title_row.addWidget(title)
            title_row.addStretch(1)
            title_row.addWidget(reset)
            layout.addLayout(title_row)
            layout.addWidget(self._editor(section.key))
            source = QLabel(f"Default from: {settings.handout_source(section.key)}")
            source.setWordWrap(True)
            source.setStyleSheet("color: #555555;")
            layout.addWidget(source)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    # Values ------------------------------------------------------------------------------------------
    def value_of(self, key: str) -> Any:
        """What the editor for a setting holds now."""
        editor = self.editors[key]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def reset_text(self, key: str) -> None:
        """Put a handout section's default text in its editor (saved with OK)."""
        editor = self.editors[key]
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(settings.handout_defaults()[key])

    def choose_logo(self) -> None:
        """Pick a picture file; it is scaled down and kept as PNG."""
        path, _filter = QFileDialog.getOpenFileName(self, "Clinic logo", "", "Pictures (*.png *.jpg *.jpeg *.bmp)")
        if path:
            self.set_logo_image(QImage(path), path)

    def set_logo_image(self, image: QImage, where: str = "") -> None:
        """Use a picture as the logo (shown at once, saved with OK)."""
        if image.isNull():
            QMessageBox.warning(
                self, "Clinic logo", f"The picture {where} could not be read. Choose a PNG or JPEG file.".strip()
            )
            return
        self.logo = logo_png(image)
        self.logo_changed = True
        self._show_logo()

    def remove_logo(self) -> None:
        """Print documents without a logo (saved with OK)."""
        self.logo = None
        self.logo_changed = True
        self._show_logo()

    def _show_logo(self) -> None:
        self.remove_logo_button.setEnabled(self.logo is not None)
        if self.logo is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(self.logo)
        self.logo_preview.setPixmap(
            pixmap.scaled(150, 60, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )

    def accept(self) -> None:
        """Save every change, or none with a message naming what is not allowed."""
        changes = {key: value for key in self.editors if (value := self.value_of(key)) != getattr(self.current, key)}
        try:
            if changes or self.logo_changed:
                if self.logo_changed:
                    self.current = self.api.change_settings(changes, self.version, logo=self.logo)
                else:
                    self.current = self.api.change_settings(changes, self.version)
                self.version = self.api.settings_version()
                self.logo_changed = False
        except ValidationError as error:
            lines = "\n".join(f"• {e.field}: {e.message}" for e in error.errors)
            QMessageBox.warning(self, "Clinic settings", f"{lines}\n\n{error.hint}")
            return
        except UserError as error:
            QMessageBox.warning(self, "Clinic settings", f"{error.message}\n\n{error.hint}".strip())
            return
        super().accept()
