"""The 'selftest' command: the window opened without a screen, a patient shown and a document made from it.

For an IT person after installing (and for CI on the bundle): it shows that the program's window, its
database, its fonts and its PDF documents all work on this computer, without anyone clicking. The window
opens on Qt's offscreen platform unless another is chosen; it closes by itself.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from sclerochart.cli_common import EXIT_OK, EXIT_PROBLEM, add_user_option, opened
from sclerochart.domain.errors import UserError


def add_parsers(commands: Any) -> None:
    """Add 'selftest' to the command line."""
    selftest = commands.add_parser(
        "selftest",
        help="open the window without a screen, show a patient and write their treatment summary (needs --user)",
        description="Shows that the window, the database, the fonts and the documents work on this computer. "
        "The window opens offscreen and closes by itself.",
    )
    selftest.add_argument("--export", metavar="FILE", help="write the treatment summary of the first patient here")
    add_user_option(selftest, after_command=True)


def run_selftest(args: argparse.Namespace) -> int:
    """Open the window offscreen, show the first patient with a session, export their summary, close."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sclerochart.reports.export import save_pdf
    from sclerochart.services.api import ServiceApi
    from sclerochart.ui.documents import SUMMARY
    from sclerochart.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["sclerochart"])
    with opened(args, doing="Trying the window") as ctx:
        started = time.perf_counter()
        api = ServiceApi(ctx)
        window = MainWindow(api)
        window.show()
        app.processEvents()
        shown = time.perf_counter() - started
        hit = next((hit for hit in api.search_patients("") if api.list_sessions(hit.id)), None)
        if hit is None:
            window.close()
            print(f"The window opened in {shown:.2f} s; no patient has a session, so no document was made.")
            return EXIT_OK
        window.show_patient(api.get_patient(hit.id))
        window.open_session(api.list_sessions(hit.id)[0].id)
        app.processEvents()
        try:
            prepared = window.documents._prepare(SUMMARY)
            pdf = prepared.build()
        except UserError as error:
            window.close()
            print(f"The window opened, but the treatment summary could not be made: {error.message} {error.hint}")
            return EXIT_PROBLEM
        window.close()
        app.processEvents()
        print(f"The window opened in {shown:.2f} s and showed patient {prepared.chart_number}.")
        if args.export:
            written = save_pdf(pdf, args.export, f"{prepared.chart_number}_summary.pdf")
            print(f"Treatment summary written: {written} ({len(pdf) // 1024 + 1} KB)")
        else:
            print(f"Treatment summary made in memory ({len(pdf) // 1024 + 1} KB); --export FILE writes it.")
    return EXIT_OK
