"""The `sclerochart` command's entry: the window with as little as possible loaded before it shows.

Without a command (at most --db and --user) the window opens without loading the command line's machinery;
`--version` answers at once; anything else is sclerochart.cli's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sclerochart import __version__

VERSION = f"ScleroChart {__version__}"
"""What `sclerochart --version` prints."""

EXIT_PROBLEM = 1
"""The exit code of a problem the user can fix (as the command line's)."""
EXIT_STOPPED = 130
"""The exit code after Ctrl+C (as the command line's)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window, or run the command given; returns the exit code."""
    given = sys.argv[1:] if argv is None else list(argv)
    if given == ["--version"]:  # what argparse would print, without building every command's options first
        print(VERSION)
        return 0
    args = window_arguments(given)
    if args is None:
        from sclerochart import cli  # a command, --help, or something the parser should answer

        return cli.main(given)
    try:
        return open_window(args.db)
    except KeyboardInterrupt:  # Ctrl+C in the terminal the window was started from: as the commands say it
        print("Stopped.", file=sys.stderr)
        return EXIT_STOPPED


def window_arguments(given: Sequence[str]) -> argparse.Namespace | None:
    """What the command line's parser makes of `given` when it only opens the window (--db, --user).

    None for anything else (a command, another option, an option without its value, bytes that are not
    text): the parser reads that as always, and says what is wrong.
    """
    found: dict[str, str] = {}
    words = list(given)
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name not in ("--db", "--user"):
            return None
        if not equals:
            if not words or words[0].startswith("-"):
                return None
            value = words.pop(0)
        if any("\udc80" <= char <= "\udcff" for char in value):
            return None
        found[name[2:]] = value
    return argparse.Namespace(db=found.get("db"), user=found.get("user"), command=None)


def open_window(database: str | None) -> int:
    """Check for Qt's system libraries, then open the window on `database` (None: the default database)."""
    from sclerochart import paths, qt_libraries, start_order

    problem = qt_libraries.check()  # before Qt loads: its own abort names no package to install
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_PROBLEM
    early = start_order.opens_early(database or paths.default_database())
    if not early:
        start_order.load_below_the_window()  # before Qt: see start_order
    from sclerochart.app import run_application  # Qt is loaded only now

    return run_application(database, early=early)
