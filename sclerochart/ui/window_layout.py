"""The window layout remembered between starts (size per screen, docks, splitters) and the look all windows share."""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QMargins, QRect, QSettings, QSize
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QScreen
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QWidget

from sclerochart import paths

FIRST_SIZE = QSize(1360, 820)
"""The window's size on first start where the screen has room for it."""


def window_settings() -> QSettings:
    """Where the window layout is remembered (a file in the config folder; no clinical data)."""
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def screen_key(screen: QScreen | None) -> str:
    """The name a screen's remembered window size is kept under: its name and size ("HDMI-1 1920x1080")."""
    if screen is None:
        return "geometry"
    size = screen.geometry().size()
    name = re.sub(r"[^0-9A-Za-z._-]+", "_", screen.name()) or "screen"
    return f"geometry-{name}-{size.width()}x{size.height()}"


def fitted(frame: QRect, margins: QMargins, room: QRect) -> QRect:
    """The window's inner rectangle moved and shrunk so that its frame (`frame` with `margins`) lies inside `room`.

    Args:
        frame: the window's inner geometry (without title bar and borders).
        margins: the width of the frame on each side (the title bar on top).
        room: the screen's available geometry (without task bars).
    """
    width = min(frame.width(), room.width() - margins.left() - margins.right())
    height = min(frame.height(), room.height() - margins.top() - margins.bottom())
    left = min(max(frame.left(), room.left() + margins.left()), room.right() + 1 - margins.right() - width)
    top = min(max(frame.top(), room.top() + margins.top()), room.bottom() + 1 - margins.bottom() - height)
    return QRect(left, top, max(width, 1), max(height, 1))


def _frame_margins(window: QWidget) -> QMargins:
    outer, inner = window.frameGeometry(), window.geometry()
    return QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


def first_size(screen: QScreen | None) -> QSize:
    """The size of a first window: 1360×820 where it fits, else what the screen leaves free (a title bar allowed)."""
    if screen is None:
        return FIRST_SIZE
    room = screen.availableGeometry()
    return QSize(min(FIRST_SIZE.width(), room.width()), min(FIRST_SIZE.height(), room.height() - 32))


def large_dialog_size(window: QWidget, least: QSize) -> QSize:
    """A large dialog's size: most of the screen it opens on (at least `least` where the screen has room)."""
    room = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    width = max(min(least.width(), room.width() - 40), int(room.width() * 0.9))
    height = max(min(least.height(), room.height() - 80), int(room.height() * 0.88))
    return QSize(min(width, room.width() - 20), min(height, room.height() - 48))


def fit_on_screen(window: QWidget) -> None:
    """Keep the whole window, title bar included, on the screen it is on (a maximized one is left as it is)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    inner = fitted(window.geometry(), _frame_margins(window), screen.availableGeometry())
    if inner != window.geometry():
        window.setGeometry(inner)


def restore_layout(window: QMainWindow) -> None:
    """Put the window back as it was last closed (nothing when never saved); its splitters: `restore_splitters`.

    The window's size is remembered per screen: a laptop's 1366×768 and the office's 1920×1080 each keep
    their own, and a size saved on a larger screen is never forced onto a smaller one.
    """
    settings = window_settings()
    screen = window.screen() or QGuiApplication.primaryScreen()
    restorers = {screen_key(screen): window.restoreGeometry, "state": window.restoreState}
    for key, restore in restorers.items():
        value = settings.value(key)
        if isinstance(value, QByteArray):
            restore(value)
    fit_on_screen(window)


def restore_splitters(splitters: dict[str, QSplitter]) -> None:
    """Put the splitters back where they stood; called once the window is laid out at its size (first shown).

    Restored earlier, a splitter still at Qt's default 640 px would squeeze the remembered sizes into that.
    """
    settings = window_settings()
    for key, splitter in splitters.items():
        value = settings.value(key)
        if isinstance(value, QByteArray):
            splitter.restoreState(value)


def save_layout(window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    """Remember the window's size (for the screen it is on) and state, and where each splitter stands."""
    settings = window_settings()
    settings.setValue(screen_key(window.screen()), window.saveGeometry())
    settings.setValue("state", window.saveState())
    for key, splitter in splitters.items():
        settings.setValue(key, splitter.saveState())
    settings.sync()


def quiet_read_only_hints() -> None:
    """A greyed (read-only) field's hint text must not look like a value: a signed session's empty fields read empty."""
    palette = QApplication.palette()
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.PlaceholderText, QColor("#d0d0d0"))
    QApplication.setPalette(palette)
