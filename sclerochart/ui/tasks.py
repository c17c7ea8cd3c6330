"""The one way slow work (PDF building, rendering for print) leaves the GUI thread and reports back to it.

`TaskRunner.run(work, done)` calls `work()` on a pool thread and then `done(result)` on the GUI thread, or
`failed(error)` with a UserError the window can show. `work` gets plain values only: it never touches a
widget or the database session of the GUI thread.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from sclerochart.domain.errors import UserError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a pool thread reaches its slot there (queued)."""

    finished = Signal(int, object)
    crashed = Signal(int, object)

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__(runner)
        self.runner = runner
        self.finished.connect(self._finished)
        self.crashed.connect(self._crashed)

    @Slot(int, object)
    def _finished(self, task_id: int, result: object) -> None:
        self.runner._finish(task_id, result, None)

    @Slot(int, object)
    def _crashed(self, task_id: int, error: object) -> None:
        self.runner._finish(task_id, None, error)


class _Job(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.task_id, self.work, self.relay = task_id, work, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.work()
        except UserError as error:
            self.relay.crashed.emit(self.task_id, error)
        except Exception as error:  # a bug must reach the user as a message, not vanish with the thread
            log.exception(
                "unexpected error in background work (task %d); the user is told it was not finished", self.task_id
            )
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            self.relay.crashed.emit(
                self.task_id,
                UserError(
                    f"This could not be finished: {detail}",
                    "Nothing was written. Try again; if it happens again, tell whoever looks after ScleroChart.",
                ),
            )
        else:
            self.relay.finished.emit(self.task_id, result)


class TaskRunner(QObject):
    """Runs work on a small thread pool and hands results back on the GUI thread."""

    busy_changed = Signal(bool)
    """True when the first task starts, False when the last one ends (for a wait cursor or a status line)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._next_id = 0
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[UserError], None]]] = {}

    @property
    def busy(self) -> bool:
        """Whether any task is still running."""
        return bool(self._pending)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[UserError], None]) -> None:
        """Start `work` off the GUI thread; `done(result)` or `failed(error)` follows on the GUI thread."""
        self._next_id += 1
        self._pending[self._next_id] = (done, failed)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Job(self._next_id, work, self._relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running work (before the window closes, so no file is left half-written)."""
        return self.pool.waitForDone(msecs)

    def _finish(self, task_id: int, result: object, error: object) -> None:
        done, failed = self._pending.pop(task_id)
        if not self._pending:
            self.busy_changed.emit(False)
        if isinstance(error, UserError):
            failed(error)
        else:
            done(result)
