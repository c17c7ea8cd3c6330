"""The window's layout remembered between starts (size, docks, splitters) and the look every window shares."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from sclerochart import paths


def window_settings() -> QSettings:
    """Where the window layout is remembered (a file in the config folder; no clinical data)."""
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore_layout(window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    """Put the window and its splitters back as they were last closed (nothing when never saved)."""
    settings = window_settings()
    restorers = {"geometry": window.restoreGeometry, "state": window.restoreState}
    restorers.update({key: splitter.restoreState for key, splitter in splitters.items()})
    for key, restore in restorers.items():
        value = settings.value(key)
        if isinstance(value, QByteArray):
            restore(value)


def save_layout(window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    """Remember the window's size and state and where each splitter stands."""
    settings = window_settings()
    settings.setValue("geometry", window.saveGeometry())
    settings.setValue("state", window.saveState())
    for key, splitter in splitters.items():
        settings.setValue(key, splitter.saveState())
    settings.sync()


def quiet_read_only_hints() -> None:
    """A greyed (read-only) field's hint text must not look like a value: a signed session's empty fields read empty."""
    palette = QApplication.palette()
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.PlaceholderText, QColor("#d0d0d0"))
    QApplication.setPalette(palette)
