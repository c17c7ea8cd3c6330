"""Print and export the documents: session report, aftercare handout and treatment summary.

Only what the database holds is printed: a change still being typed is stored first, and when it cannot be
stored nothing is printed or exported. The record is read on the GUI thread (a few milliseconds); building the
PDF, writing it and rendering its pages for the printer run on the TaskRunner's threads. The export folder is
remembered between runs. Every document printed or saved is written to the disclosure log once it is made.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QSettings
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from sclerochart import paths
from sclerochart.api import ClinicApi
from sclerochart.domain.errors import UserError
from sclerochart.ui.field_form import unsaved_value_error
from sclerochart.ui.tasks import TaskRunner

FOLDER_KEY = "documents/folder"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


PHOTOS_KEY = "documents/with_photos"
"""Whether the session report and the summary print the photos (kept for this user account on this computer)."""


def preferences() -> QSettings:
    """User preferences (the export folder): a file in the config folder, never clinical data."""
    return QSettings(str(paths.config_dir() / "preferences.ini"), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class Document:
    """One kind of document: what it is called and how it is made from the database."""

    title: str
    for_patient: bool
    """Made from the chosen patient (the summary) rather than the open session."""


@dataclass(frozen=True)
class Prepared:
    """A document's data read from the database, and the work that turns it into PDF bytes."""

    build: Callable[[], bytes]
    chart_number: str
    day: dt.date
    paper: str
    entity: str
    """What the document discloses, for the disclosure log: "session" or "patient"."""
    entity_id: str


REPORT = Document("Session report", for_patient=False)
HANDOUT = Document("Aftercare handout", for_patient=False)
SUMMARY = Document("Treatment summary", for_patient=True)


def file_name(chart_number: str, day: dt.date, document: Document) -> str:
    """A suggested file name: chart number, date and document, without characters a file system refuses."""
    name = f"{chart_number} {day:%Y-%m-%d} {document.title.lower()}.pdf"
    return _UNSAFE.sub("-", name).strip(" .") or "document.pdf"


def render_pages(pdf: bytes, dpi: int) -> list[QImage]:
    """Each page as an image at the printer's resolution (QImage may be made off the GUI thread)."""
    import pypdfium2 as pdfium  # loaded only when something is printed

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72.0, prefer_bgrx=True)  # 4 bytes a pixel, as Format_RGB32 wants
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
            images.append(image.copy())  # the bitmap's memory is freed with it
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


def paint_pages(printer: QPrinter, images: list[QImage]) -> None:
    """Send the page images to the printer, each filling the paper."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("The printer could not be opened.", "Check that it is switched on and try again.")
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            target = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(target, image)
    finally:
        painter.end()


class DocumentActions(QObject):
    """The Print and Export actions and what they do; enabled when there is a session or patient to print.

    Args:
        api: The clinic's records.
        runner: Runs the slow work off the GUI thread.
        window: The parent of the dialogs.
        session_id: The open session, or None.
        patient_id: The chosen patient, or None.
        show_error: Says what went wrong (status bar and message box).
        show_message: A line in the status bar.
        commit_pending: Stores the changes typed but not yet stored; False when one could not be stored.
    """

    def __init__(
        self,
        api: ClinicApi,
        runner: TaskRunner,
        window: QWidget,
        session_id: Callable[[], str | None],
        patient_id: Callable[[], str | None],
        show_error: Callable[[UserError], None],
        show_message: Callable[[str], None],
        commit_pending: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(window)
        self.api, self.runner, self.window = api, runner, window
        self.session_id, self.patient_id = session_id, patient_id
        self.show_error, self.show_message = show_error, show_message
        self.commit_pending = commit_pending
        self._printers: list[QPrinter] = []
        self.print_report_action = self._action(
            "&Print session report…", "Ctrl+P", lambda: self.print_document(REPORT), "Print the open session's report."
        )
        self.print_report_action.setIconText("Print report")
        self.print_handout_action = self._action(
            "Print &aftercare handout…",
            "Ctrl+Shift+P",
            lambda: self.print_document(HANDOUT),
            "Print the handout the patient takes home, with their own dates.",
        )
        self.print_handout_action.setIconText("Print handout")
        self.export_report_action = self._action(
            "Export session &report as PDF…", None, lambda: self.export(REPORT), "Save the session report as a file."
        )
        self.export_handout_action = self._action(
            "Export aftercare &handout as PDF…", None, lambda: self.export(HANDOUT), "Save the handout as a file."
        )
        self.photos_action = QAction("Include &photos in the report and summary", self.window)
        self.photos_action.setCheckable(True)
        self.photos_action.setChecked(bool(preferences().value(PHOTOS_KEY, False, type=bool)))
        self.photos_action.setStatusTip("The session report and the treatment summary print the photos too.")
        self.photos_action.toggled.connect(lambda checked: preferences().setValue(PHOTOS_KEY, checked))
        self.export_summary_action = self._action(
            "Export treatment &summary as PDF…",
            None,
            lambda: self.export(SUMMARY),
            "Every session of the chosen patient, their totals and one combined diagram.",
        )
        self.update_enabled()

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], None], tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    @property
    def session_actions(self) -> tuple[QAction, ...]:
        """Actions that need an open session."""
        return (
            self.print_report_action,
            self.print_handout_action,
            self.export_report_action,
            self.export_handout_action,
        )

    def update_enabled(self) -> None:
        """Enable what can be made now: session documents with an open session, the summary with a patient."""
        for action in self.session_actions:
            action.setEnabled(self.session_id() is not None)
        self.export_summary_action.setEnabled(self.patient_id() is not None)

    # Building ----------------------------------------------------------------------------------------
    def _stored_first(self, document: Document, outcome: str) -> bool:
        """Store what is still being typed; False (and say so) when it cannot be, so nothing unstored prints."""
        if self.commit_pending():
            return True
        self.show_error(unsaved_value_error(f"The {document.title.lower()} was not {outcome}"))
        return False

    def _prepare(self, document: Document) -> Prepared:
        """Read what the document needs now (GUI thread) and return the work that makes its bytes.

        A text no font can print is refused here, before any print or save dialog.
        """
        from sclerochart.reports import printable  # the PDF library is loaded when a document is first made
        from sclerochart.reports.fonts import check_printable

        generated = self.api.clock()
        if document.for_patient:
            patient_id = self.patient_id()
            if patient_id is None:
                raise UserError("No patient is chosen.", "Choose a patient in the list first.")
            patient_record = self.api.patient_record(patient_id, with_photos=self.photos_action.isChecked())
            check_printable(printable.patient_record_texts(patient_record))

            def summary() -> bytes:
                from sclerochart.reports.summary import treatment_summary

                return treatment_summary(patient_record, generated)

            patient = patient_record.patient
            return Prepared(
                summary, patient.chart_number, generated.date(), patient_record.clinic.paper_size, "patient", patient.id
            )
        session_id = self.session_id()
        if session_id is None:
            raise UserError("No session is open.", "Open a session from the patient's list first.")
        record = self.api.session_record(session_id, with_photos=document is REPORT and self.photos_action.isChecked())
        check_printable(
            printable.handout_texts(record) if document is HANDOUT else printable.session_record_texts(record)
        )

        def session_document() -> bytes:
            if document is HANDOUT:
                from sclerochart.reports.handout import aftercare_handout

                return aftercare_handout(record, generated)
            from sclerochart.reports.session_report import session_report

            return session_report(record, generated)

        started = record.detail.session.started_at.date()
        return Prepared(
            session_document, record.patient.chart_number, started, record.clinic.paper_size, "session", session_id
        )

    def _disclose(self, action: str, document: Document, prepared: Prepared, what: str) -> None:
        """Write to the disclosure log that the document left the program; say so when that fails."""
        outcome = "printed" if action == "print" else "saved"
        try:
            self.api.record_disclosure(action, prepared.entity, prepared.entity_id, what)
        except UserError as error:
            self.show_error(
                UserError(
                    f"The {document.title.lower()} was {outcome}, but the record of it in the disclosure log could "
                    f"not be written: {error.message}",
                    error.hint or "Tell whoever looks after ScleroChart.",
                )
            )

    # Export ------------------------------------------------------------------------------------------
    def export(self, document: Document, path: Path | None = None) -> None:
        """Ask where to save (starting in the last folder used), then build and write the file off the GUI thread."""
        if not self._stored_first(document, "exported"):
            return
        try:
            prepared = self._prepare(document)
        except UserError as error:
            self.show_error(error)
            return
        if path is None:
            prefs = preferences()
            folder = str(prefs.value(FOLDER_KEY, "") or Path.home())
            chosen, _filter = QFileDialog.getSaveFileName(
                self.window,
                f"Export {document.title.lower()}",
                str(Path(folder) / file_name(prepared.chart_number, prepared.day, document)),
                "PDF documents (*.pdf)",
            )
            if not chosen:
                return
            path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
            prefs.setValue(FOLDER_KEY, str(path.parent))
            prefs.sync()
        target = path
        self.show_message(f"Making the {document.title.lower()}…")

        def work() -> Path:
            from sclerochart.reports.export import save_pdf

            return save_pdf(prepared.build(), target)

        def done(written: Path) -> None:
            self.show_message(f"{document.title} saved: {written}")
            self._disclose("export", document, prepared, f"{document.title.lower()} to {written.name}")

        self.runner.run(work, done, self.show_error)

    # Print -------------------------------------------------------------------------------------------
    def print_document(self, document: Document) -> None:
        """The platform's print dialog; on OK the pages are made off the GUI thread, then printed."""
        if not self._stored_first(document, "printed"):
            return
        try:
            prepared = self._prepare(document)
        except UserError as error:
            self.show_error(error)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(document.title)
        letter = prepared.paper == "Letter"
        size = QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
        printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF()))
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle(f"Print {document.title.lower()}")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self._printers.append(printer)  # kept alive until its pages are printed
        dpi = min(printer.resolution(), 300)  # sharp on paper; 600 dpi would be 140 MB per A4 page
        self.show_message(f"Preparing the {document.title.lower()} for the printer…")

        def work() -> list[QImage]:
            return render_pages(prepared.build(), dpi)

        def done(images: list[QImage]) -> None:
            self._printers.remove(printer)
            try:
                paint_pages(printer, images)
            except UserError as error:
                self.show_error(error)
                return
            pages = f"{len(images)} page{'s' if len(images) != 1 else ''}"
            self.show_message(f"{document.title}: {pages} sent to the printer.")
            where = f" on {printer.printerName()}" if printer.printerName() else ""
            self._disclose("print", document, prepared, f"{document.title.lower()}, {pages}, printed{where}")

        def failed(error: UserError) -> None:
            self._printers.remove(printer)
            self.show_error(error)

        self.runner.run(work, done, failed)
