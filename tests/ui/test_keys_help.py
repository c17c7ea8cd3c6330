"""F1 shows a readable table of the keys, and every key it names for the whole window is a real menu key."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from sclerochart.ui.keys_help import KEYS, KeysDialog
from sclerochart.ui.main_window import MainWindow


def test_f1_opens_the_keys_as_a_table_grouped_by_purpose(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(KeysDialog)
    assert dialog is not None and dialog.isVisible()
    html = dialog.text.toHtml()
    assert html.count("<table") == len(KEYS)
    for title, rows in KEYS:
        assert title in dialog.text.toPlainText()
        for keys, what in rows:
            assert re.search(rf"font-weight:\s*(bold|[6-9]00)[^>]*>{re.escape(keys.replace('<', '&lt;'))}<", html)
            assert what in dialog.text.toPlainText()
    qtbot.keyClick(window, Qt.Key.Key_F1)  # a second F1 brings the same one forward
    assert len(window.findChildren(KeysDialog)) == 1


def test_every_key_listed_for_the_whole_window_belongs_to_a_menu_entry(window: MainWindow) -> None:
    shortcuts = {
        key.toString(QKeySequence.SequenceFormat.PortableText)
        for action in window.findChildren(QAction)
        for key in action.shortcuts()
    }
    everywhere = dict(KEYS)["Everywhere"]
    single = [part.strip() for keys, _ in everywhere for part in keys.split(" / ")]
    named = [key for key in single if key.startswith(("Ctrl+", "F")) and "–" not in key]
    missing = [key for key in named if key not in shortcuts]
    assert not missing, (missing, sorted(shortcuts))
