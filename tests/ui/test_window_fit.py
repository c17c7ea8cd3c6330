"""The first window fits the screen it opens on, title bar and status bar included, and its size is kept per screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMargins, QRect

from sclerochart.ui.window_layout import fitted

ROOT = Path(__file__).resolve().parents[2]


def _open_on(screen: tuple[int, int], tmp_path: Path, *resize: int) -> dict[str, Any]:
    """What a user sees of the window opened on a single screen of `screen` pixels (in a child process)."""
    width, height = screen
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps({"screens": [{"name": "Screen", "x": 0, "y": 0, "width": width, "height": height}]}),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "SCLEROCHART_CONFIG_DIR": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.window_on_screen", str(tmp_path / "clinic.sqlite3"), *map(str, resize)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _within(frame: list[int], room: list[int]) -> bool:
    x, y, w, h = frame
    rx, ry, rw, rh = room
    return rx <= x and ry <= y and x + w <= rx + rw and y + h <= ry + rh


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080), (1280, 720)])
def test_the_first_window_fits_its_screen_with_new_session_and_the_status_bar(
    screen: tuple[int, int], tmp_path: Path
) -> None:
    seen = _open_on(screen, tmp_path)
    assert _within(seen["frame"], seen["room"]), seen
    assert seen["new_session_inside"] and seen["status_bar_inside"], seen


def test_the_size_is_remembered_per_screen_and_never_forced_onto_a_smaller_one(tmp_path: Path) -> None:
    _open_on((1920, 1080), tmp_path, 1700, 1000)  # made larger on the big screen, then closed
    small = _open_on((1366, 768), tmp_path)
    assert _within(small["frame"], small["room"]), "the big screen's size is not forced onto the laptop"
    _open_on((1366, 768), tmp_path, 1200, 700)  # the laptop's own size
    assert _open_on((1920, 1080), tmp_path)["size"] == [1700, 1000]
    assert _open_on((1366, 768), tmp_path)["size"] == [1200, 700]


def test_a_frame_is_moved_and_shrunk_into_the_free_area() -> None:
    room = QRect(0, 0, 1366, 728)  # a task bar takes the bottom 40 px
    title = QMargins(1, 30, 1, 1)
    inner = fitted(QRect(0, 0, 1360, 820), title, room)
    assert inner == QRect(1, 30, 1360, 697)  # the title bar is on the screen, the bottom above the task bar
    moved = fitted(QRect(900, 500, 800, 400), title, room)
    assert QRect(moved.x() - 1, moved.y() - 30, moved.width() + 2, moved.height() + 31) == QRect(564, 297, 802, 431)
