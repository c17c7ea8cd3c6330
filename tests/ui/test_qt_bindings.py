"""The Qt bindings must not drop references to None: on Python 3.11 that crashes a long session.

PySide6 6.12.0 on Python 3.11 lost one reference to None on every call of a method that returns nothing
(QLabel.setText, QGraphicsItem.setPos, ...). None is not immortal before Python 3.12, so after enough clicks
the program died with "deallocating None". requirements.lock pins a release without the fault; this test
fails if an upgrade brings it back.
"""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtWidgets import QGraphicsRectItem, QLabel

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")


def _none_references() -> int:
    gc.collect()
    return sys.getrefcount(None)


def test_calls_returning_nothing_keep_none_alive(qtbot: object) -> None:
    label = QLabel()
    item = QGraphicsRectItem(0, 0, 1, 1)
    before = _none_references()
    for index in range(500):
        label.setText(str(index))
        item.setPos(index, index)
    assert _none_references() >= before - 5  # a few may come and go with the garbage collector
