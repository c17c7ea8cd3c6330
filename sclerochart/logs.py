"""The rotating log file: start-up, unexpected errors with tracebacks, migrations, backups and slow work.

Every module logs through ``logging.getLogger(__name__)``, which is a child of the ``sclerochart`` logger
that `setup_logging` gives its file. The log is for whoever looks after the computer, and it is read by
people who may not see patient records, so:

The rule: a log line names records only by id, and says counts, durations, sizes, schema revisions and
file paths or database addresses (``Database.display``, never with a password). It never holds a
patient's name, chart number, date of birth, contact details or any clinical value (doses, sites, notes),
not even in a message built for the user. No filter can tell a name from other text, so the rule is kept
where a line is written; the one exception the formatter does catch is SQLAlchemy's echo of a statement's
parameters in an error (``[parameters: ...]``), which is replaced by ``[parameters hidden]``.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import re
from io import TextIOWrapper
from pathlib import Path

from sclerochart import paths

LOGGER_NAME = "sclerochart"
LOG_FILE_NAME = "sclerochart.log"
MAX_BYTES = 1_000_000
"""A log file is rotated once it reaches this size ..."""
BACKUP_COUNT = 5
"""... and this many older files are kept (sclerochart.log.1 is the newest of them)."""

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PARAMETERS = re.compile(r"^\[parameters: .*$", re.MULTILINE)

log = logging.getLogger(__name__)


class _Formatter(logging.Formatter):
    """ISO 8601 local time with its offset and milliseconds; statement parameters in errors hidden."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        return _PARAMETERS.sub("[parameters hidden]", super().format(record))


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file, and each file it rotates into, readable and writable by the owner only."""

    def _open(self) -> TextIOWrapper:
        path = Path(self.baseFilename)
        try:
            paths.private_file(path)
        except FileExistsError:
            if os.name == "posix":
                path.chmod(paths.PRIVATE_FILE)
        return super()._open()


def setup_logging(
    folder: Path | None = None,
    level: int = logging.INFO,
    *,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Send the program's log lines (``sclerochart`` and below) at `level` and above into a rotating file.

    The folder (by default `paths.log_dir()`) is created owner-only, and so is every log file. Calling it
    again adds no second file: with the same folder it only sets the level; with another folder the log
    moves there.

    Returns:
        The path of the log file.

    Raises:
        OSError: the folder or the file cannot be made (the program goes on without a log file).
    """
    folder = paths.log_dir() if folder is None else folder
    paths.private_folder(folder)
    path = folder / LOG_FILE_NAME
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level)
    for handler in [handler for handler in logger.handlers if isinstance(handler, _LogFile)]:
        if Path(handler.baseFilename) == path.absolute() and (handler.maxBytes, handler.backupCount) == (
            max_bytes,
            backup_count,
        ):
            return path
        logger.removeHandler(handler)
        handler.close()
    handler = _LogFile(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(_Formatter(FORMAT))
    logger.addHandler(handler)
    return path


def stop_logging() -> None:
    """Close the log file (at exit, or after a test): the lines logged after go nowhere of ours."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in [handler for handler in logger.handlers if isinstance(handler, _LogFile)]:
        logger.removeHandler(handler)
        handler.close()


def log_file() -> Path | None:
    """The log file in use, or None before `setup_logging` (or when it could not be made)."""
    for handler in logging.getLogger(LOGGER_NAME).handlers:
        if isinstance(handler, _LogFile):
            return Path(handler.baseFilename)
    return None


def log_slow(what: str, seconds: float, threshold: float, logger: logging.Logger | None = None) -> bool:
    """Log a warning ``slow: <what> took <seconds> s`` when `seconds` is over `threshold`; whether it did.

    `what` follows the log's rule: an action and ids or sizes, never a name or a clinical value.
    """
    if seconds <= threshold:
        return False
    (logger or log).warning("slow: %s took %.2f s", what, seconds)
    return True
