"""The main window's modules load one per event-loop turn while the sign-in window waits."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sclerochart.ui.warm_up import WarmUp, window_modules

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
                  "main_window": "sclerochart.ui.main_window" in sys.modules, "done": warm.done,
                  "documents_and_pictures": sorted({"reportlab", "PIL"} & set(sys.modules))}))
"""


WHAT_THE_MAIN_WINDOW_LOADS = """
import json, sys
import sclerochart.app, sclerochart.open_and_run, sclerochart.ui.first_start_dialog, sclerochart.ui.sign_in_dialog
before = set(sys.modules)
import sclerochart.ui.main_window
print(json.dumps(sorted(name for name in set(sys.modules) - before if name.startswith("sclerochart.ui."))))
"""


def test_the_list_is_what_the_main_window_loads_with_itself_last() -> None:
    names = window_modules()
    assert names[-1] == "sclerochart.ui.main_window"
    assert len(names) == len(set(names))
    out = subprocess.run(
        [sys.executable, "-c", WHAT_THE_MAIN_WINDOW_LOADS], check=True, capture_output=True, text=True
    ).stdout
    assert sorted(names) == json.loads(out)


def test_they_load_a_few_at_a_time_until_the_main_window_is_ready() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", IN_A_FRESH_PROCESS], env=env, check=True, capture_output=True, text=True
    ).stdout
    seen = json.loads(out.splitlines()[-1])
    assert seen["done"] and seen["main_window"]
    assert seen["after_one_turn"] < seen["at_start"] + 15  # one module (and what it needs), not the whole window
    assert seen["turns"] >= len(window_modules())
    assert seen["documents_and_pictures"] == []  # ReportLab and Pillow load when a document or photo is made


BELOW_THE_WINDOW = """
import json, sys
from sclerochart.start_order import BELOW_THE_WINDOW
for name in BELOW_THE_WINDOW:
    __import__(name)
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] == "PySide6")))
"""


def test_what_loads_before_qt_does_not_itself_load_qt() -> None:
    out = subprocess.run([sys.executable, "-c", BELOW_THE_WINDOW], check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == []


def test_after_the_modules_it_prepares_what_the_first_screen_needs_and_an_error_there_is_only_logged(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    door = QDialog()
    qtbot.addWidget(door)
    called: list[str] = []
    warm = WarmUp(door, modules=["sclerochart.ui.tables", "sclerochart.ui.field_form"], then=lambda: called.append("x"))
    qtbot.waitUntil(lambda: warm.done and called == ["x"])

    def broken() -> None:
        raise OSError("the disk went away")

    failing = WarmUp(door, modules=["sclerochart.ui.tables"], then=broken)
    with caplog.at_level(logging.WARNING, logger="sclerochart.ui.warm_up"):
        qtbot.waitUntil(lambda: failing.done and "preparing ahead" in caplog.text)
    qtbot.wait(10)  # nothing more happens: the timer stopped
