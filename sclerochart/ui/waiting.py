"""Work that would freeze the windows runs in a thread while Qt's event loop keeps them painted and answering.

Loading the database layers behind the sign-in window, and opening the database: a server that does not answer
for seconds, or a file another copy is upgrading, must not leave a window that cannot be moved or quit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop, QObject, Signal

T = TypeVar("T")


class _Finished(QObject):
    finished = Signal()


def while_answering(call: Callable[[], T], name: str) -> T:
    """`call`'s result, worked out in a thread named `name` while the event loop runs; what it raised is raised here.

    The thread starts once the loop first waits for input, so the windows shown are painted before it competes
    with them. The caller goes on only when `call` has returned (a window closed meanwhile stays closed: the caller
    looks). Needs the Qt application. Before the main window exists this is the way; inside it, slow work goes to
    the window's task pool (sclerochart.ui.tasks).
    """
    result: list[T] = []
    failed: list[BaseException] = []
    finished = _Finished()
    loop = QEventLoop()
    finished.finished.connect(loop.quit)  # emitted in the thread: Qt queues it to this one

    def work() -> None:
        try:
            result.append(call())
        except BaseException as error:  # handed to this thread, raised here
            failed.append(error)
        finally:
            finished.finished.emit()

    thread = threading.Thread(target=work, name=name, daemon=True)
    dispatcher = QAbstractEventDispatcher.instance()

    def start() -> None:
        dispatcher.aboutToBlock.disconnect(start)
        thread.start()

    dispatcher.aboutToBlock.connect(start)
    loop.exec()
    if thread.ident is None:  # the loop ended before it ever waited (the application was told to quit): here, then
        start()
    thread.join()
    if failed:
        raise failed[0]
    return result[0]
