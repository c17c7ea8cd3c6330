"""Qt's offscreen platform with a screen of a chosen size (its default screen is 800×800).

The window keeps itself on the screen it opens on, so a window measured "at 1920×1080" needs a screen at least
that large: the benchmarks and the tests give the offscreen platform one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

PLATFORM_VARIABLE = "QT_QPA_PLATFORM"


def use_screen(width: int = 1920, height: int = 1080) -> None:
    """Before the QApplication exists: make the offscreen platform's one screen `width`×`height` pixels.

    Nothing changes when another platform (xcb under Xvfb, a desktop) is chosen.
    """
    if os.environ.get(PLATFORM_VARIABLE, "offscreen") != "offscreen":
        return
    config = Path(tempfile.gettempdir()) / f"sclerochart-offscreen-{width}x{height}.json"
    if not config.exists():  # written whole, then renamed: another process never reads half of it
        screen = {"name": "Offscreen", "x": 0, "y": 0, "width": width, "height": height}
        partial = config.with_name(f"{config.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
        partial.replace(config)
    os.environ[PLATFORM_VARIABLE] = f"offscreen:configfile={config}"
