"""Where ScleroChart keeps its files: one place, with environment overrides that tests redirect."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

APP_NAME = "ScleroChart"
DATA_DIR_VARIABLE = "SCLEROCHART_DATA_DIR"
DATABASE_VARIABLE = "SCLEROCHART_DB"
CONFIG_DIR_VARIABLE = "SCLEROCHART_CONFIG_DIR"
DATABASE_FILE_NAME = "sclerochart.sqlite3"


def data_dir() -> Path:
    """The folder for the database and backups: $SCLEROCHART_DATA_DIR, else the user data folder."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs  # loaded when a folder is first asked for

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
"""Patient records are for the computer's user alone: owner only, whatever the umask."""


def private_folder(folder: Path) -> Path:
    """Create the folder (and its parents) readable by the owner only, or make it so; the folder."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    if os.name == "posix":
        folder.chmod(PRIVATE_FOLDER)
    return folder


def private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner only (whatever the umask); an existing one is left."""
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    os.close(descriptor)
    if os.name == "posix":
        path.chmod(PRIVATE_FILE)


def config_dir() -> Path:
    """The folder for window layout and user preferences, never clinical data ($SCLEROCHART_CONFIG_DIR)."""
    override = os.environ.get(CONFIG_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs  # loaded when a folder is first asked for

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


LOG_DIR_VARIABLE = "SCLEROCHART_LOG_DIR"


def log_dir() -> Path:
    """The folder of the rotating log file ($SCLEROCHART_LOG_DIR, else the user log folder); never clinical data."""
    override = os.environ.get(LOG_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs  # loaded when a folder is first asked for

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


PASSWORD_VARIABLE = "SCLEROCHART_PASSWORD"
"""Where a script gives the signing-in practitioner's password (else it is asked for)."""
PASSPHRASE_VARIABLE = "SCLEROCHART_DB_PASSPHRASE"
"""Where a script gives the clinic passphrase of an encrypted database (else it is asked for)."""


def default_database() -> str:
    """The database the program opens when told nothing: $SCLEROCHART_DB, else a file in data_dir()."""
    override = os.environ.get(DATABASE_VARIABLE)
    if override:
        return override
    return str(data_dir() / DATABASE_FILE_NAME)


def resources_dir() -> Path:
    """The shipped data files (fonts, the handout's text, licences, icon): the package sclerochart.resources.

    Its folder on disk, wherever the package was installed from: a checkout (editable), a wheel, or a
    PyInstaller bundle, which unpacks the package's files beside the program (ReportLab registers fonts by
    path, so a real folder is needed, not only importlib.resources' readers).
    """
    package = importlib.import_module("sclerochart.resources")
    for folder in package.__path__:
        if (Path(folder) / "fonts").is_dir():
            return Path(folder)
    return Path(next(iter(package.__path__)))


def licences_dir() -> Path | None:
    """The folder of the bundled components' licence texts in a bundle (make bundle); None elsewhere."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:
        return None
    folder = Path(bundle) / "licences"
    return folder if folder.is_dir() else None


def fonts_dir() -> Path:
    """The DejaVu fonts embedded in every PDF."""
    return resources_dir() / "fonts"
