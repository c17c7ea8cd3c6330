"""The main window's modules load one per event-loop turn while the sign-in window waits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import sclerochart.ui
from sclerochart.ui.warm_up import LAST, window_modules

IN_A_FRESH_PROCESS = """
import json, sys
from PySide6.QtWidgets import QApplication, QDialog
from sclerochart.ui.warm_up import WarmUp

app = QApplication([])
door = QDialog()
warm = WarmUp(door)
loaded = lambda: sum(name.startswith("sclerochart.ui.") for name in sys.modules)
at_start = loaded()
app.processEvents()
after_one_turn = loaded()
turns = 1
while not warm.done and turns < 500:
    app.processEvents()
    turns += 1
print(json.dumps({"at_start": at_start, "after_one_turn": after_one_turn, "turns": turns,
                  "main_window": "sclerochart.ui.main_window" in sys.modules, "done": warm.done}))
"""


def test_every_window_module_is_listed_with_the_main_window_last() -> None:
    names = window_modules()
    assert names[-1] == LAST
    assert len(names) == len(set(names)) > 50
    folder = os.path.dirname(sclerochart.ui.__file__)
    on_disk = {f"sclerochart.ui.{f[:-3]}" for f in os.listdir(folder) if f.endswith(".py") and f != "__init__.py"}
    assert set(names) == on_disk


def test_they_load_a_few_at_a_time_until_the_main_window_is_ready() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", IN_A_FRESH_PROCESS], env=env, check=True, capture_output=True, text=True
    ).stdout
    seen = json.loads(out.splitlines()[-1])
    assert seen["done"] and seen["main_window"]
    assert seen["after_one_turn"] < seen["at_start"] + 15  # one module (and what it needs), not the whole window
    assert seen["turns"] >= len(window_modules())
