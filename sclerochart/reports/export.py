"""Writing a finished document to a file: all of it or nothing, with a message that says what to do."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from sclerochart.domain.errors import UserError


def save_pdf(data: bytes, path: Path | str, suggested_name: str = "document.pdf") -> Path:
    """Write the PDF through a temporary file in the same folder, then put it in place in one step.

    A folder given as the path gets the file under `suggested_name` inside it. No name, a missing folder, a
    folder that may not be written, or a full disk raises UserError, and no partial file is left behind (an
    older file of that name stays as it was).
    """
    return save_file(data, path, ".pdf", suggested_name)


def save_file(data: bytes, path: Path | str, suffix: str, suggested_name: str) -> Path:
    """`save_pdf` for a file of any kind: `suffix` (".csv") is added to a name that lacks it."""
    kind = suffix.lstrip(".").upper()
    if not str(path).strip():
        raise UserError(
            f"No file name was given for the {kind} file.", f"Name the file to write, for example -o list{suffix}."
        )
    target = Path(path).expanduser()
    if target.is_dir():
        target = target / suggested_name
    if target.suffix.lower() != suffix:
        target = target.with_name(target.name + suffix)
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.", "Choose an existing folder or create it first.")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise _explained(error, target, suffix) from error
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return target


def _explained(error: OSError, target: Path, suffix: str) -> UserError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return UserError(f"The disk is full: {target.name} was not saved.", "Free some space or choose another disk.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError(
            f"{target.parent} may not be written to: {target.name} was not saved.", "Choose another folder."
        )
    if error.errno == errno.EISDIR:
        return UserError(f"{target} is a folder.", f"Give a file name ending in {suffix}.")
    return UserError(f"{target.name} could not be saved: {error.strerror or error}.", "Choose another folder.")
