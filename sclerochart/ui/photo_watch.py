"""A clinic camera's import folder, watched: each new photo file is reported once, when the camera has finished it.

Usage: ``watch.arrived.connect(strip.offer_files)`` and ``watch.start(folder)``. Importing into a record is the
caller's: the PhotoStrip asks what the photos show and adds them, as for files chosen by hand. The watch only
reads the folder's listing and the files' sizes: it never deletes, moves, renames or writes the camera's files.

What counts as new: a file that appears after ``start`` (the photos already in the folder are not offered; "Add
photos…" reaches them). Only the folder itself is looked at, not the folders inside it. A file is reported when its
name ends in a photo extension, it is not hidden or temporary (a name starting with "." or "~", a Windows hidden
file), it is not empty, and its size and time stayed the same across two looks one interval apart (a file still
being copied keeps growing). Each file is reported at most once between ``start`` and ``stop``.

The folder is looked at every two seconds (a network share does not tell when files arrive), and at once when the
system says the folder changed. The looking happens off the GUI thread (a network drive can be slow to answer),
through a TaskRunner of the watch's own, so the window's busy cursor does not flicker every two seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from sclerochart.domain.errors import UserError
from sclerochart.domain.photos import PHOTO_EXTENSIONS
from sclerochart.ui.tasks import TaskRunner

POLL_MS = 2000
TEMPORARY_ENDINGS = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".filepart", ".lock", "~")
_WINDOWS_HIDDEN = 0x2  # FILE_ATTRIBUTE_HIDDEN


@dataclass(frozen=True)
class Seen:
    """A file as it was last seen: its size and time, and since when (monotonic seconds) it has looked so."""

    size: int
    mtime_ns: int
    since: float


@dataclass(frozen=True)
class Survey:
    """One look at the folder: the files present at the start (first look only), or those still settling and ready."""

    present: frozenset[str] | None = None
    seen: dict[str, Seen] = field(default_factory=dict)
    ready: tuple[Path, ...] = ()


def is_photo_name(name: str) -> bool:
    """Whether a file name is one a camera's finished photo has (not hidden, not temporary, a photo extension)."""
    lowered = name.lower()
    if name.startswith((".", "~")) or lowered.endswith(TEMPORARY_ENDINGS):
        return False
    return lowered.endswith(PHOTO_EXTENSIONS)


def _can_read(path: Path) -> bool:
    """Whether the file can be opened for reading now (a camera may hold it locked while writing)."""
    try:
        with path.open("rb") as stream:
            stream.read(1)
    except OSError:
        return False
    return True


def survey(folder: Path, seen: Mapping[str, Seen], skip: frozenset[str], now: float, settle: float) -> Survey:
    """Look at the folder once: which photo files are still settling, which are ready (unchanged for `settle` s).

    Args:
        folder: the folder looked at.
        seen: the files still settling at the last look.
        skip: names not to report (present at the start, or reported already).
        now: monotonic seconds now.
        settle: seconds a file's size and time must stay the same before it is ready.

    Raises:
        OSError: the folder cannot be read.
    """
    settling: dict[str, Seen] = {}
    ready: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in skip or not is_photo_name(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue  # gone since the listing: looked at again next time
            if getattr(stat, "st_file_attributes", 0) & _WINDOWS_HIDDEN:
                continue
            before = seen.get(entry.name)
            if before is None or (before.size, before.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                settling[entry.name] = Seen(stat.st_size, stat.st_mtime_ns, now)
            elif stat.st_size > 0 and now - before.since >= settle and _can_read(Path(entry.path)):
                ready.append(Path(entry.path))
            else:
                settling[entry.name] = before
    return Survey(seen=settling, ready=tuple(sorted(ready)))


def present_names(folder: Path) -> frozenset[str]:
    """The names in the folder now (what the watch does not report).

    Raises:
        OSError: the folder cannot be read.
    """
    with os.scandir(folder) as entries:
        return frozenset(entry.name for entry in entries)


def unavailable_message(folder: Path, error: OSError) -> UserError:
    """Why the camera folder cannot be read, in the user's words."""
    if isinstance(error, FileNotFoundError):
        reason = "it cannot be found (the camera, the memory card or the network drive may not be connected)"
    elif isinstance(error, PermissionError):
        reason = "this computer does not allow ScleroChart to read it"
    elif isinstance(error, NotADirectoryError):
        reason = "it is a file, not a folder"
    else:
        reason = f"the computer answered: {error.strerror or error}"
    return UserError(
        f"The camera folder {folder} cannot be read: {reason}.",
        "Check that the camera, its memory card or the network drive is connected; new photos are picked up as soon "
        "as the folder can be read again.",
    )


class PhotoFolderWatch(QObject):
    """Reports new photo files in a folder (a clinic camera's import folder), each once, when it is whole.

    Signals:
        arrived(list[Path]): new photo files, ready to be added.
        unavailable(str): the folder cannot be read (once, until it can be read again); the watch keeps looking.
        available(): the folder can be read again after `unavailable`.
    """

    arrived = Signal(list)
    unavailable = Signal(str)
    available = Signal()

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.tasks = TaskRunner(self)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self._look(changed=False))
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self._look(changed=True))
        self._folder: Path | None = None
        self._run = 0
        self._reset()

    def _reset(self) -> None:
        self._seen: dict[str, Seen] = {}
        self._skip: set[str] = set()
        self._started = False  # the files present at the start are known
        self._looking = False
        self._again = False
        self._failing = False

    @property
    def folder(self) -> Path | None:
        """The folder watched, or None."""
        return self._folder

    def is_watching(self) -> bool:
        """Whether a folder is watched."""
        return self._folder is not None

    def start(self, folder: Path) -> None:
        """Watch a folder (instead of the one watched before); the files in it now are not reported."""
        self.stop()
        self._folder = Path(folder)
        self._watch_folder()
        self.timer.start()
        self._look()

    def stop(self) -> None:
        """Stop watching (a look still under way is forgotten)."""
        self._run += 1
        self.timer.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self._folder = None
        self._reset()

    def _watch_folder(self) -> None:
        folder = self._folder
        if folder is not None and not self.watcher.directories() and folder.is_dir():
            self.watcher.addPath(str(folder))  # may fail on a network share: the timer still looks

    def _look(self, *, changed: bool = True) -> None:
        """Look at the folder off the GUI thread; while a look is under way, a change is looked at after it."""
        folder = self._folder
        if folder is None:
            return
        if self._looking:
            self._again = self._again or changed  # the timer's tick is skipped: a slow share is not looked at nonstop
            return
        self._looking = True
        run, first = self._run, not self._started
        seen, skip, settle = dict(self._seen), frozenset(self._skip), self.interval_ms * 0.9 / 1000

        def work() -> Survey:
            try:
                if first:
                    return Survey(present=present_names(folder))
                return survey(folder, seen, skip, time.monotonic(), settle)
            except OSError as error:
                raise unavailable_message(folder, error) from error

        self.tasks.run(work, lambda result: self._looked(run, result), lambda error: self._failed(run, error))

    def _looked(self, run: int, result: Survey) -> None:
        if run != self._run:
            return
        self._looking = False
        if self._failing:
            self._failing = False
            self._watch_folder()
            self.available.emit()
        if result.present is not None:
            self._skip.update(result.present)
            self._started = True
        else:
            self._seen = result.seen
            fresh = [path for path in result.ready if path.name not in self._skip]
            self._skip.update(path.name for path in fresh)
            if fresh:
                self.arrived.emit(fresh)
        if self._again:
            self._again = False
            self._look()

    def _failed(self, run: int, error: UserError) -> None:
        if run != self._run:
            return
        self._looking = False
        self._again = False
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())  # a folder made again is a new one to watch
        if not self._failing:
            self._failing = True
            self.unavailable.emit(f"{error.message} {error.hint}".strip())
