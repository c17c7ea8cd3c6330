"""Saving the audit trail to a file: CSV bytes, a temporary file beside the target, and messages when it fails."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sclerochart.domain.errors import UserError
from sclerochart.reports.audit_report import COLUMNS, AuditRow, cells

CSV_HEADER = (*COLUMNS, "Record", "Event number")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting so would be a formula to a spreadsheet program: it is saved with a leading apostrophe."""


@dataclass(frozen=True)
class FileFormat:
    """A kind of file the trail is saved as."""

    name: str
    suffix: str
    files: str


CSV = FileFormat("CSV", ".csv", "Spreadsheet files (*.csv)")
PDF = FileFormat("PDF", ".pdf", "PDF documents (*.pdf)")


def csv_bytes(rows: Sequence[AuditRow]) -> bytes:
    """The rows as CSV in UTF-8 with a byte order mark (so spreadsheet programs read accents), header first.

    A cell that a spreadsheet would take for a formula (starting with =, +, -, @) is kept as text with a leading '.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([_as_text(cell) for cell in (*cells(row), row.record, str(row.event_id))])
    return out.getvalue().encode("utf-8-sig")


def _as_text(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def write_beside(data: bytes, target: Path) -> Path:
    """Write `data` whole to a temporary file in the target's folder; its path (put it in place with os.replace).

    A missing folder, a folder that may not be written, or a full disk raises UserError and leaves no file.
    """
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.", "Choose an existing folder or create it first.")
    if target.is_dir():
        raise UserError(f"{target} is a folder.", f"Give a file name ending in {target.suffix}.")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise explained(error, target) from error
    return Path(temporary)


def explained(error: OSError, target: Path, *, replacing: bool = False) -> UserError:
    """A file error in the user's words: what was not saved and what to do."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError(f"The disk is full: {target.name} was not saved.", "Free some space or choose another disk.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        if replacing and target.exists():
            return UserError(
                f"{target.name} could not be replaced: it may be open in another program or protected.",
                "Close it in the other program, or choose another name.",
            )
        return UserError(
            f"The folder {target.parent} may not be written to: {target.name} was not saved.", "Choose another folder."
        )
    return UserError(f"{target.name} could not be saved: {error.strerror or error}.", "Choose another folder.")


class Unplaced:
    """Finished temporary files waiting to be put in place, each with its target; filled from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[Path, tuple[Path, FileFormat]] = {}

    def add(self, written: Path, target: Path, kind: FileFormat) -> None:
        """A temporary file is finished."""
        with self._lock:
            self._waiting[written] = (target, kind)

    def take(self, written: Path) -> tuple[Path, FileFormat] | None:
        """The target and format of a finished file, once: None when it was taken already."""
        with self._lock:
            return self._waiting.pop(written, None)

    def files(self) -> list[Path]:
        """The finished files still waiting."""
        with self._lock:
            return list(self._waiting)
