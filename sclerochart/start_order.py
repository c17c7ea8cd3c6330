"""What loads when as the window starts, so that the first window shows as soon as Qt can show it.

The sign-in window needs neither SQLAlchemy nor the program's own database layers, which take Python about
a third of a second to import. When the database looks ready to open (a SQLite file with the SQLite header,
or a server address), the sign-in window is shown first and those layers load in a thread while it waits
for a name and a password. Otherwise (a missing, empty, encrypted or unreadable file: recovery, passphrase
or first start come before any sign-in) they are imported first, before Qt, as the careful way.

No Qt here: the command line asks this before Qt is loaded.
"""

from __future__ import annotations

import importlib
from pathlib import Path

BELOW_THE_WINDOW = (
    "sclerochart.services.api",
    "sclerochart.services.backups",
    "sclerochart.store.database",
    "sclerochart.domain.markers",
    "sclerochart.reports.export",
    "sclerochart.reports.lot_recall",
    "sclerochart.reports.outcome_table",
)
"""The window's layers that do not use Qt. Imported before Qt when they load first: PySide6 reads the source
of every module imported after it (to find its optional `__feature__` switches), which costs about a tenth
of a second here; in the thread behind the sign-in window that time is spent while it waits."""

SQLITE_HEADER = b"SQLite format 3\x00"  # as sclerochart.store.engine's, which cannot be imported here (SQLAlchemy)
SERVER_SCHEMES = ("postgresql:", "postgresql+psycopg:", "postgres:")


def opens_early(where: str) -> bool:
    """The sign-in window may show before the database layers load.

    True for a server's address, or a SQLite file that exists and begins with SQLite's header (an encrypted
    file does not: its passphrase comes first).
    """
    text = where.strip()
    if text.startswith(SERVER_SCHEMES):
        return True
    if "://" in text or not text:
        return False
    try:
        with Path(text).expanduser().open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (OSError, ValueError):  # missing, unreadable, a folder, a NUL in the name: the careful way says why
        return False


def load_below_the_window() -> None:
    """Import BELOW_THE_WINDOW (each at most once)."""
    for name in BELOW_THE_WINDOW:
        importlib.import_module(name)
