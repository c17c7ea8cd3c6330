"""The status line while charting: what the pointer or the keyboard cross is over, and why something was not done.

A word on why a click or a drag did nothing stays readable for a few seconds: what the pointer is over does not
take the line back at the next movement of a gloved hand.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QStatusBar

from sclerochart.ui.diagram_canvas import DiagramCanvas

REFUSAL_SHOWN_MS = 8000
"""How long a refusal stays in the status line."""
REFUSAL_HELD_S = 4.0
"""How long no hover text replaces a refusal."""


class ChairStatus:
    """Writes the canvas's hover, cross and refusal words into the window's status line."""

    def __init__(self, bar: QStatusBar, canvas: DiagramCanvas) -> None:
        self.bar = bar
        self.canvas = canvas
        self._held_until = 0.0
        canvas.hovered.connect(self.hovered)
        canvas.refused.connect(self.refused)
        canvas.cross_moved.connect(self.cross_moved)

    def refused(self, text: str) -> None:
        """Why nothing was done: shown at once, and held against hover words for a while."""
        self.bar.showMessage(text, REFUSAL_SHOWN_MS)
        self._held_until = time.monotonic() + REFUSAL_HELD_S

    def hovered(self, label: str) -> None:
        """The region under the pointer ("" beside the legs), with what a click does there."""
        if self._held():
            return
        if label:
            self._say(label, "click to place a site with the current preset")
        else:
            self.bar.clearMessage()

    def cross_moved(self, label: str) -> None:
        """The region under the keyboard cross ("" beside the legs), with what Space does there."""
        if self._held():
            return
        if label:
            self._say(label, "Space places a site at the cross")
        else:
            self.bar.showMessage("The cross is beside the legs: move it onto a leg with the arrow keys.")

    def _say(self, region: str, action: str) -> None:
        """A region and what can be done there; in a session that takes no change, why not."""
        self.bar.showMessage(f"{region} — {action if self.canvas.editable else self.canvas.read_only_reason}")

    def _held(self) -> bool:
        return time.monotonic() < self._held_until and bool(self.bar.currentMessage())
