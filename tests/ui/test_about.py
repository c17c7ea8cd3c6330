"""Help → About names the program's components and where their licences are."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.ui.menus import show_about


def test_about_lists_every_component_and_its_licence(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[QMessageBox] = []

    def record(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    show_about(None, "/tmp/clinic.sqlite3")  # type: ignore[arg-type]
    (box,) = shown
    assert "PySide6 (LGPL 3)" in box.text() and "/tmp/clinic.sqlite3" in box.text()
    details = box.detailedText()
    for component in ("Qt 6 and PySide6", "ReportLab", "psycopg", "SQLCipher", "DejaVu fonts", "NanumGothic"):
        assert component in details, component
