"""Screenshots of the charting screen and clinic settings, and page 1 of each document, for the README.

Run with `make screenshots` (under Xvfb when it is installed, else Qt's offscreen platform):
    python -m sclerochart.screenshots OUT_DIR [--size 1366x768 --size 1920x1080]
Everything is written into a temporary folder; only the PNG files land in OUT_DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from sclerochart.bench.offscreen import use_screen
from sclerochart.domain.values import SessionDraft, View
from sclerochart.services import accounts, clinic
from sclerochart.services import sessions as session_service
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD, PRACTITIONERS, generate_demo, leg_spots
from sclerochart.store.database import open_database
from sclerochart.ui.clinic_settings_dialog import ClinicSettingsDialog
from sclerochart.ui.main_window import MainWindow

PRESET_SEQUENCE = (1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 6, 6, 2, 2, 1, 1, 3, 5, 2, 1, 7)
"""The preset keys used for the demo session's sites, one per site, as a practitioner might switch."""

NOON = dt.datetime(2026, 11, 23, 10, 30)
"""The fixed clock of the pictures, so they show the same dates every time."""


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def build_window(folder: Path) -> MainWindow:
    """A main window on a fresh demo clinic with one charted draft session open."""
    db = open_database(str(folder / "screenshots.db"), create=True)
    ctx = ServiceContext(db, "screenshots", clock=lambda: NOON)
    generate_demo(ctx, 40, seed=11)
    accounts.sign_in(ctx, PRACTITIONERS[0][2], DEMO_PASSWORD)  # the pictures show a signed-in practitioner
    clinic.change_settings(
        ctx,
        {
            "clinic_name": "Vein Clinic Nordstrand",
            "clinic_address": "Fjordveien 12, 0170 Oslo",
            "clinic_phone": "+47 22 12 34 56",
        },
        clinic.settings_version(ctx),
    )
    window = MainWindow(ServiceApi(ctx))
    window.search_field.setText("Ø")
    window.run_search()
    window.patient_table.selectRow(0)  # chosen, as a user clicks the first name found
    assert window.patient is not None, "the demo clinic has a patient named with Ø"
    patient_id = window.patient.id
    draft = session_service.new_session_draft(ctx, patient_id)
    started = session_service.start_session(
        ctx,
        patient_id,
        SessionDraft(
            practitioner_id=1,
            started_at=NOON,
            weight_kg=draft.weight_kg or 64.0,
            ceap_right="C1",
            ceap_left="C2,S",
            checklist={"weight_recorded": True, "duplex_done": True, "consent_given": True, "stockings_ready": True},
            checklist_reviewed=True,
            consent=True,
            compression=draft.compression,
            notes="Spider veins lateral thighs, reticular feeders behind both knees.",
        ),
    )
    window.open_session(started.id)
    controller = window.charting.controller
    controller.confirm_over_limit = lambda _findings, _doing: "Screenshot demo"
    for key, (view, x, y) in zip(PRESET_SEQUENCE, leg_spots(5, len(PRESET_SEQUENCE)), strict=True):
        controller.choose_preset_key(key)
        controller.place_site(view, x, y)
    controller.add_tracing(View.RIGHT_LATERAL, tuple((0.42 + 0.04 * i * i / 16, 0.18 + 0.05 * i) for i in range(9)))
    controller.add_tracing(View.POSTERIOR, tuple((0.30 - 0.01 * (i % 3), 0.40 + 0.03 * i) for i in range(8)))
    controller.choose_preset_key(2)
    detail = controller.detail
    assert detail is not None
    window.charting.canvas.select_ids([detail.sites[6].id])
    window.charting.selection.select([detail.sites[6].id])
    return window


def document_pages(window: MainWindow, out: Path) -> list[Path]:
    """Page 1 of the session report, the aftercare handout and the treatment summary as PNGs for the README."""
    import pypdfium2 as pdfium

    from sclerochart.reports.handout import aftercare_handout
    from sclerochart.reports.session_report import session_report
    from sclerochart.reports.summary import treatment_summary

    api, controller = window.api, window.charting.controller
    assert controller.detail is not None
    record = api.session_record(controller.detail.session.id)
    documents = {
        "report-page-1.png": session_report(record, NOON),
        "handout-page-1.png": aftercare_handout(record, NOON),
        "summary-page-1.png": treatment_summary(api.patient_record(record.patient.id), NOON),
    }
    written = []
    for name, pdf in documents.items():
        document = pdfium.PdfDocument(pdf)
        document[0].render(scale=1.4).to_pil().save(out / name)
        document.close()
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write charting-WxH.png and session-WxH.png for each size."""
    parser = argparse.ArgumentParser(prog="python -m sclerochart.screenshots", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", action="append", help="window size as WIDTHxHEIGHT (repeatable)")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in size.split("x")) for size in (args.size or ["1366x768", "1920x1080"])]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sclerochart-shots-") as scratch:
        folder = Path(scratch)
        os.environ["SCLEROCHART_CONFIG_DIR"] = str(folder / "config")  # no remembered layout from a real run
        use_screen(max(w for w, _ in sizes), max(h for _, h in sizes))  # offscreen: a screen the windows fit on
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        window = build_window(folder)
        window.show()
        for width, height in sizes:
            window.resize(width, height)
            _settle(app)
            window.charting.canvas.fit_all()
            for tab, name in ((0, "charting"), (1, "session")):
                window.charting.tabs.setCurrentIndex(tab)
                _settle(app)
                path = args.out / f"{name}-{width}x{height}.png"
                window.grab().save(str(path))
                print(path)
        dialog = ClinicSettingsDialog(window.api, window)
        dialog.tabs.setCurrentIndex(2)
        dialog.resize(760, 700)
        dialog.show()
        _settle(app)
        dialog.grab().save(str(args.out / "settings-handout.png"))
        print(args.out / "settings-handout.png")
        dialog.close()
        for path in document_pages(window, args.out):
            print(path)
        window.close()
        assert isinstance(window.api, ServiceApi)
        window.api.ctx.db.close()
        window.deleteLater()  # deleted now, while Python still runs, not at interpreter shutdown
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
