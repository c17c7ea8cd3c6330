"""The audit trail window: events in words with the offset, filters, the view it logs, CSV and PDF saved whole."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sclerochart.domain.diagram import point_for
from sclerochart.domain.values import AuditEntry, SessionDraft, View
from sclerochart.reports.audit_report import Kind
from sclerochart.services import audit, catalogue, patients, session_detail, sessions, sites
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.audit_files import CSV_HEADER
from sclerochart.ui.audit_window import AuditWindow
from tests.conftest import FixedClock, patient_draft
from tests.signing import sign, signed_in

TITLE = "Łukasiewicz-Ødegård, Zoë (SC-0001)"


@dataclass
class Charted:
    """A signed session of one patient: three sites placed a minute apart, the first one changed, then signed."""

    ctx: ServiceContext
    patient_id: str
    session_id: str


@pytest.fixture
def berlin() -> Iterator[None]:
    """The computer's clock in Berlin, so times show as 23.11.2026 10:30 UTC+01:00 wherever the tests run."""
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone can be set for a test on Unix only")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def charted(ctx: ServiceContext, clock: FixedClock, berlin: None) -> Charted:
    ctx = replace(ctx, room="Room 2")
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, clock(), weight_kg=68.0))
    presets = catalogue.list_presets(ctx)
    for number in range(3):
        clock.now += dt.timedelta(minutes=1)
        where = point_for(View.ANTERIOR, 0, 30.0 + 15 * number, 0.0)
        sites.add_site(ctx, session.id, presets[0].site_draft(View.ANTERIOR, *where))
    clock.now += dt.timedelta(minutes=1)
    first = session_detail.get_session(ctx, session.id).sites[0]
    sites.edit_site(ctx, first.id, replace(first.draft(), lot_number="LOT-4711"), first.version)
    clock.now += dt.timedelta(minutes=1)
    sign(ctx, session.id)
    return Charted(ctx, patient.id, session.id)


def open_window(qtbot: QtBot, charted: Charted, entity: str = "session") -> AuditWindow:
    entity_id = charted.session_id if entity == "session" else charted.patient_id
    window = AuditWindow(ServiceApi(charted.ctx), entity=entity, entity_id=entity_id, title=TITLE)
    qtbot.addWidget(window)
    window.resize(1180, 680)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown(window: AuditWindow, column: int) -> list[str]:
    return [str(window.proxy.index(row, column).data()) for row in range(window.proxy.rowCount())]


def trail(charted: Charted) -> tuple[AuditEntry, ...]:
    return audit.session_trail(charted.ctx, charted.session_id)


def test_the_window_lists_the_sessions_events_in_words_with_the_offset(
    qtbot: QtBot, charted: Charted, qtmodeltester: ModelTester
) -> None:
    window = open_window(qtbot, charted)
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.proxy)
    assert window.windowTitle() == f"Audit trail – {TITLE}"
    assert not window.isModal()
    what = shown(window, 3)
    assert what[:4] == ["Session started", "Site 1 added", "Site 2 added", "Site 3 added"]
    assert {"Site 1 changed", "Session details changed", "Session signed"} <= set(what)
    assert what[-1] == "Viewed"  # the window's own opening, logged
    assert shown(window, 0)[0] == "23.11.2026 10:30:00 UTC+01:00"  # stored as 09:30 UTC
    assert shown(window, 0)[1] == "23.11.2026 10:31:00 UTC+01:00"
    assert set(shown(window, 1)) == {"Dr. Ana Müller (ana)"}
    assert set(shown(window, 2)) == {"Room 2"}
    changed = shown(window, 4)[what.index("Site 1 changed")]
    assert "lot number: — → LOT-4711" in changed
    assert shown(window, 4)[what.index("Session signed")].endswith("state: draft → signed")
    assert window.count.text() == f"{len(trail(charted))} events"


def test_choosing_an_event_shows_all_of_it_below_the_list(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    window.table.selectRow(shown(window, 3).index("Site 1 changed"))
    assert window.detail.toPlainText().startswith("Site 1 changed — 23.11.2026 10:34:00 UTC+01:00, by Dr. Ana Müller")
    assert "on Room 2" in window.detail.toPlainText()
    assert "LOT-4711" in window.detail.toPlainText()


def test_typing_and_choosing_a_kind_narrow_the_rows(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    everything = window.proxy.rowCount()
    qtbot.keyClicks(window.search, "lot-4711")
    assert shown(window, 3) == ["Site 1 changed"]
    assert window.count.text() == f"1 of {everything} events shown"
    window.search.setText("müller signed")  # every word must be found, in any column
    assert shown(window, 3) == ["Session signed"]
    window.search.clear()
    window.kind.setCurrentIndex(window.kind.findData(Kind.SIGNATURE))
    assert shown(window, 3) == ["Session signed"]
    window.kind.setCurrentIndex(window.kind.findData(Kind.DISCLOSURE))
    assert shown(window, 3) == ["Viewed"]
    window.kind.setCurrentIndex(window.kind.findData(Kind.CHANGE))
    assert "Session signed" not in shown(window, 3) and "Viewed" not in shown(window, 3)
    assert "Site 2 added" in shown(window, 3)
    window.search.setText("nothing like this")
    assert window.proxy.rowCount() == 0
    assert window.detail.placeholderText().startswith("No event matches the filters")
    assert not window.csv_button.isEnabled() and not window.pdf_button.isEnabled()
    window.clear_button.click()
    assert window.proxy.rowCount() == everything
    assert window.kind.currentIndex() == 0 and window.search.text() == ""


def test_the_dates_narrow_the_rows_to_local_days(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    everything = window.proxy.rowCount()
    assert window.first.date().toString("dd.MM.yyyy") == "23.11.2026"  # the trail's first and last day
    window.first.setDate(window.first.date().addDays(1))  # choosing a date turns its filter on
    assert window.use_first.isChecked()
    assert window.proxy.rowCount() == 0
    window.first.setDate(window.first.date().addDays(-1))
    assert window.proxy.rowCount() == everything
    window.last.setDate(window.last.date().addDays(-1))
    assert window.proxy.rowCount() == 0
    window.use_last.setChecked(False)
    assert window.proxy.rowCount() == everything


def test_opening_the_window_logs_that_the_trail_was_viewed(qtbot: QtBot, charted: Charted) -> None:
    before = len(trail(charted))
    open_window(qtbot, charted)
    events = trail(charted)
    assert len(events) == before + 1
    assert (events[-1].action, events[-1].entity, events[-1].entity_id) == ("view", "session", charted.session_id)
    assert events[-1].after == {"what": "audit trail"}
    assert events[-1].actor == "Dr. Ana Müller (ana)"
    patient_window = open_window(qtbot, charted, "patient")
    viewed = audit.history(charted.ctx, "patient", charted.patient_id)[-1]
    assert (viewed.action, viewed.after) == ("view", {"what": "audit trail"})
    assert "Patient added" in shown(patient_window, 3)
    assert shown(patient_window, 3).count("Viewed") == 2  # the session's trail belongs to the patient's


def test_refresh_reads_what_was_done_since(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    before = window.proxy.rowCount()
    audit.record_disclosure(charted.ctx, "print", "session", charted.session_id, "session report, 2 pages")
    window.refresh_button.click()
    assert window.proxy.rowCount() == before + 1  # and no second "view": refreshing is not opening
    assert shown(window, 3)[-1] == "Printed"
    assert shown(window, 4)[-1] == "printed: session report, 2 pages"


def test_every_button_is_big_enough_to_hit_with_gloves(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    buttons = window.findChildren(QPushButton)
    assert len(buttons) >= 5
    assert all(button.height() >= 34 for button in buttons if button.isVisible()), [
        (button.text(), button.height()) for button in buttons
    ]
    assert window.search.height() >= 34 and window.kind.height() >= 34


def test_save_as_csv_writes_the_rows_shown_and_logs_the_export(qtbot: QtBot, charted: Charted, tmp_path: Path) -> None:
    window = open_window(qtbot, charted)
    window.kind.setCurrentIndex(window.kind.findData(Kind.CHANGE))
    expected = [
        [window.proxy.index(row, column).data() for column in range(5)] for row in range(window.proxy.rowCount())
    ]
    folder = tmp_path / "out"
    folder.mkdir()
    with qtbot.waitSignal(window.saved, timeout=10_000) as saved:
        window.save_csv(folder / "trail")  # the extension is added
    target = folder / "trail.csv"
    assert saved.args == [target]
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark: spreadsheet programs then read Ł and ü
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(CSV_HEADER)
    assert [row[:5] for row in rows[1:]] == expected
    assert all(row[5].startswith(("session ", "site ")) and row[6].isdigit() for row in rows[1:])
    assert "Session signed" not in {row[3] for row in rows[1:]}  # only the rows shown
    assert [p.name for p in folder.iterdir()] == ["trail.csv"]
    exported = trail(charted)[-1]
    assert (exported.action, exported.entity, exported.entity_id) == ("export", "session", charted.session_id)
    assert exported.after == {"what": "audit trail as CSV to trail.csv"}
    window.kind.setCurrentIndex(0)
    assert shown(window, 3)[-1] == "Exported"  # the list was read again


def test_save_as_pdf_writes_a_pdf_of_the_events_and_logs_the_export(
    qtbot: QtBot, charted: Charted, tmp_path: Path
) -> None:
    window = open_window(qtbot, charted)
    with qtbot.waitSignal(window.saved, timeout=20_000):
        window.save_pdf(tmp_path / "trail.pdf")
    reader = PdfReader(tmp_path / "trail.pdf")
    whole = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    for expected in (TITLE, "Session started", "Site 1 changed", "Session signed", "Dr. Ana Müller", "LOT-4711"):
        assert expected in whole, expected
    assert "10:30:00" in whole and "UTC+01:00" in whole
    assert f"Page 1 of {len(reader.pages)}" in whole
    assert trail(charted)[-1].after == {"what": "audit trail as PDF to trail.pdf"}


def test_a_pdf_of_filtered_rows_says_which_ones_it_holds(qtbot: QtBot, charted: Charted, tmp_path: Path) -> None:
    window = open_window(qtbot, charted)
    window.search.setText("LOT-4711")
    with qtbot.waitSignal(window.saved, timeout=20_000):
        window.save_pdf(tmp_path / "filtered.pdf")
    whole = " ".join(page.extract_text() for page in PdfReader(tmp_path / "filtered.pdf").pages).replace("\n", " ")
    assert "1 event — filtered from" in whole and "containing “LOT-4711”" in whole
    assert "Site 1 changed" in whole and "Session signed" not in whole


def test_saving_into_a_folder_that_may_not_be_written_says_so_and_leaves_no_file(
    qtbot: QtBot, charted: Charted, tmp_path: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, charted)
    before = len(trail(charted))
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: refuse the way a read-only folder does

        def refused(*_args: object, **_kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refused)
    try:
        for save in (window.save_csv, window.save_pdf):
            with qtbot.waitSignal(window.save_failed, timeout=20_000):
                save(folder / "trail")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    assert len(warnings) == 2
    assert all(f"The folder {folder} may not be written to" in shown_text for shown_text in warnings)
    assert "Choose another folder." in warnings[0]
    assert len(trail(charted)) == before  # nothing was exported, so nothing is logged
    assert window.csv_button.isEnabled() and window.pdf_button.isEnabled()


def test_a_full_disk_keeps_the_earlier_file_and_leaves_no_part(
    qtbot: QtBot, charted: Charted, tmp_path: Path, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, charted)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "trail.csv").write_bytes(b"the earlier file")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with qtbot.waitSignal(window.save_failed, timeout=10_000):
        window.save_csv(folder / "trail.csv")
    assert [p.name for p in folder.iterdir()] == ["trail.csv"]
    assert (folder / "trail.csv").read_bytes() == b"the earlier file"
    assert warnings == [
        "Audit trail: The disk is full: trail.csv was not saved.\n\nFree some space or choose another disk."
    ]


def test_closing_while_a_file_is_written_still_finishes_and_logs_it(
    qtbot: QtBot, charted: Charted, tmp_path: Path
) -> None:
    window = open_window(qtbot, charted)
    window.save_pdf(tmp_path / "closing.pdf")
    window.close()
    assert (tmp_path / "closing.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".part"]
    assert trail(charted)[-1].after == {"what": "audit trail as PDF to closing.pdf"}


def test_a_filter_never_puts_another_event_in_place_of_the_one_chosen(qtbot: QtBot, charted: Charted) -> None:
    window = open_window(qtbot, charted)
    window.table.selectRow(shown(window, 3).index("Session signed"))
    window.kind.setCurrentIndex(window.kind.findData(Kind.SIGNATURE))
    chosen = window.selected_row()
    assert chosen is not None and chosen.what == "Session signed"  # still shown, still chosen
    window.kind.setCurrentIndex(window.kind.findData(Kind.CHANGE))
    assert window.selected_row() is None  # filtered out: nothing else is chosen in its place
    assert window.detail.toPlainText() == ""
