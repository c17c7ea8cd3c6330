"""Other rooms' changes reach this window by themselves: a cheap look at the change feed every second."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.readmodels import Changes, FeedMark

POLL_INTERVAL_MS = 1000
"""How often the feed is asked: another room's change shows within about this long (plus a read)."""


class ChangeWatch(QObject):
    """Asks the database every second whether another room changed something, and says what.

    While nothing changes each look is one read of the newest audit event's id (a few tenths of a
    millisecond); only when something changed are the new events read. A database that stops answering
    (a server gone away) is said once, and the watch keeps trying.
    """

    changed = Signal(object)  # Changes made in another room (or by another copy of the program)
    failed = Signal(object)  # UserError, once per outage
    recovered = Signal()

    def __init__(self, api: ClinicApi, parent: QObject | None = None, interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.api = api
        self.mark: FeedMark | None = None
        self._down = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Start from the changes stored now (what the window shows)."""
        try:
            self.mark = self.api.latest_change()
        except UserError as error:
            self._failed(error)
        self.timer.start()

    def stop(self) -> None:
        """Stop looking (the window is closing)."""
        self.timer.stop()

    def poll(self) -> Changes:
        """Look once; emit and return what other rooms changed since the last look."""
        try:
            if self.mark is None:  # the database did not answer at the start: everything may have changed
                self.mark, found = self.api.latest_change(), Changes(everything=True, elsewhere=True)
            else:
                self.mark, found = self.api.changes_since(self.mark)
        except UserError as error:
            self._failed(error)
            return Changes()
        if self._down:
            self._down = False
            self.recovered.emit()
        if found:
            self.changed.emit(found)
        return found

    def _failed(self, error: UserError) -> None:
        if not self._down:
            self._down = True
            self.failed.emit(error)
