"""A follow-up visit from the window alone: clearance per region, VCSS, a complication; saved, signed, shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from sclerochart.domain.follow_up import ComplicationSide, RegionClearance, Severity, region_words
from sclerochart.domain.outcomes import CLEARANCE_COLOURS, NOT_FOLLOWED_UP_COLOUR
from sclerochart.domain.values import Complication, View
from sclerochart.services import follow_ups
from sclerochart.ui.course_window import CourseWindow
from sclerochart.ui.follow_up_dialog import FollowUpDialog, VisitSignDialog
from sclerochart.ui.follow_up_parts import NOT_RATED
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.outcome_figures_window import OutcomeFiguresWindow
from tests.conftest import NOW
from tests.signing import PASSWORD, signed_in
from tests.ui.helpers import DialogAnswers, click, ctx_of, stored_session


def _charted(window: MainWindow) -> tuple[str, str]:
    """Two sites in two regions of the open session; their region codes."""
    click(window.charting.canvas, View.ANTERIOR, 0, 20)
    click(window.charting.canvas, View.ANTERIOR, 0, 70)
    regions = sorted({site.region for site in stored_session(window).sites})
    assert len(regions) == 2
    return regions[0], regions[1]


def test_a_visit_is_recorded_saved_and_signed_from_the_window(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    first, second = _charted(window)
    ctx = ctx_of(window)
    signed_in(ctx)
    patient = window.patient
    assert patient is not None
    dialog = FollowUpDialog(window.api, patient, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "not saved yet" in dialog.state.text()
    assert set(dialog.clearance.groups) == {first, second}, "each treated region has its row"
    dialog.clearance.press(first, 75)
    assert "not saved yet" in dialog.state.text()
    dialog.scores.combos["right"]["pain"].setCurrentIndex(3)  # score 2
    dialog.scores.combos["right"]["compression"].setCurrentIndex(2)  # score 1
    assert dialog.scores.totals["right"].text().startswith("<b>3</b> of 30")
    dialog.scores.ceap["right"].setText("c1 s ep as pr")
    assert "Telangiectasia" in dialog.scores.ceap_words["right"].text()
    dialog.complications.add_row()
    assert dialog.save() is False, "a complication row without its complication is refused"
    assert "Complication 1" in dialog.message.text()
    kind = dialog.complications._widget(0, 0, type(dialog.practitioner))
    kind.setCurrentIndex(kind.findData(Complication.BRUISING))
    side = dialog.complications._widget(0, 1, type(dialog.practitioner))
    side.setCurrentIndex(side.findData(ComplicationSide.RIGHT))
    severity = dialog.complications._widget(0, 3, type(dialog.practitioner))
    assert severity.currentText() == "Not recorded", "nothing chosen for the practitioner"
    severity.setCurrentIndex(severity.findData(Severity.MILD))
    assert dialog.save() is True
    assert "Saved, not signed" in dialog.state.text()
    stored = follow_ups.patient_visits(ctx, patient.id)
    assert len(stored) == 1
    visit = stored[0]
    assert [(c.region, c.percent) for c in visit.clearances] == [(first, 75)]
    assert visit.vcss_right == {"pain": 2, "compression": 1} and visit.vcss_left is None
    assert visit.ceap_right == "C1,S Ep As Pr"
    assert [(f.kind, f.side, f.severity) for f in visit.complications] == [
        (Complication.BRUISING, ComplicationSide.RIGHT, Severity.MILD)
    ]

    def sign(sign_dialog: QDialog) -> None:
        assert isinstance(sign_dialog, VisitSignDialog)
        sign_dialog.password.setText(PASSWORD)
        sign_dialog.sign_button.click()

    dialogs.answer(sign)
    dialog.sign()
    assert dialogs.seen == ["Sign follow-up visit"]
    assert "Signed by" in dialog.state.text()
    assert not dialog.save_button.isEnabled() and not dialog.clearance.groups[first].button(0).isEnabled()
    assert follow_ups.patient_visits(ctx, patient.id)[0].signed
    dialog.close()


def test_the_course_window_paints_regions_by_latest_clearance_and_marks_the_unrated(
    qtbot: QtBot, window: MainWindow
) -> None:
    first, second = _charted(window)
    ctx = ctx_of(window)
    patient = window.patient
    assert patient is not None
    from sclerochart.domain.follow_up import RegionClearance, VisitDraft

    follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), clearances=(RegionClearance(first, 50),)))
    course = CourseWindow(window.api, patient, window)
    qtbot.addWidget(course)
    course.show()
    rated = course.outcomes.items_by_region[first][0]
    unrated = course.outcomes.items_by_region[second][0]
    assert rated.brush().color().name() == QColor(CLEARANCE_COLOURS[50]).name()
    assert unrated.brush().color().name() == QColor(NOT_FOLLOWED_UP_COLOUR).name()
    assert rated.toolTip().startswith(f"{region_words(first)}: treated ")
    assert rated.toolTip().endswith("50 % cleared")
    assert unrated.toolTip().endswith("never followed up")
    texts = [course.region_model.item(row, 1).text() for row in range(course.region_model.rowCount())]
    assert sorted(texts) == ["50 %", "never followed up"]
    assert course.visit_model.rowCount() == 1
    entry = next(a for a in window.findChildren(QAction) if a.text() == "Follow-up and &outcomes…")
    assert entry.shortcut().toString() == "Ctrl+Shift+F" and entry.isEnabled()


def test_a_visit_changed_in_another_room_is_not_overwritten(
    qtbot: QtBot, window: MainWindow, monkeypatch: object
) -> None:
    first, second = _charted(window)
    ctx = ctx_of(window)
    patient = window.patient
    assert patient is not None
    from sclerochart.domain.follow_up import RegionClearance, VisitDraft

    visit = follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), clearances=(RegionClearance(first, 25),)))
    dialog = FollowUpDialog(window.api, patient, visit, window)
    qtbot.addWidget(dialog)
    dialog.show()
    # Another room rates the second region meanwhile.
    follow_ups.update_visit(
        ctx,
        visit.id,
        visit.version,
        VisitDraft(ctx.today(), clearances=(RegionClearance(first, 25), RegionClearance(second, 100))),
    )
    dialog.clearance.press(first, 50)
    assert dialog.save() is False
    assert "changed after it was shown" in dialog.message.text()
    assert dialog.clearance.groups[second].checkedId() == 100, "the screen shows what is stored"
    assert dialog.clearance.groups[first].checkedId() == 25
    stored = follow_ups.get_visit(ctx, visit.id)
    assert {c.region: c.percent for c in stored.clearances} == {first: 25, second: 100}
    dialog.clearance.press(first, NOT_RATED)
    assert dialog.clearance.chosen() == {second: 100}, "'Not rated' takes a region's rating back"
    dialog._dirty = False
    dialog.close()


def test_the_outcome_figures_window_shows_saves_and_charts_the_figures(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first, _second = _charted(window)
    ctx = ctx_of(window)
    patient = window.patient
    assert patient is not None
    from sclerochart.domain.follow_up import RegionClearance, VisitDraft

    follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), clearances=(RegionClearance(first, 50),)))
    figures = OutcomeFiguresWindow(window.api, window.tasks, window)
    qtbot.addWidget(figures)
    figures.show()
    figures.all_time.setChecked(True)
    figures.read()
    assert "Working out the figures" in figures.outcome.text()
    qtbot.waitUntil(lambda: figures.figures is not None)
    header = [figures.model.horizontalHeaderItem(c).text() for c in range(figures.model.columnCount())]
    assert header[0] == "Sclerosant" and "Mean cleared %" in header
    rows = [[figures.model.item(r, c).text() for c in range(4)] for r in range(figures.model.rowCount())]
    assert rows == [["Polidocanol", "2", "2", "1"], ["All", "2", "2", "1"]]
    assert "2 sites, 2 followed up, 1 rated" in figures.outcome.text()
    assert [row.group for row in figures.chart.rows] == ["Polidocanol"]
    figures.grouping.setCurrentIndex(figures.grouping.findData("vessel"))
    assert figures.model.item(0, 0).text() == "Telangiectasia"
    written = figures.export(tmp_path / "figures")
    assert written is not None and written.suffix == ".csv"
    assert "Telangiectasia" in written.read_text(encoding="utf-8-sig")
    pixels = figures.chart.grab().toImage()
    assert any(
        pixels.pixelColor(x, y).name() == "#2e8b57" for x in range(0, pixels.width(), 3) for y in range(pixels.height())
    ), "the green bar of the mean cleared fraction is drawn"
    entry = next(a for a in window.findChildren(QAction) if a.text() == "Outcome &figures…")
    assert entry.shortcut().toString() == "Ctrl+Shift+O"


def test_another_rooms_visit_shows_in_the_open_course_window(qtbot: QtBot, window: MainWindow) -> None:
    from sclerochart.domain.follow_up import RegionClearance, VisitDraft
    from sclerochart.readmodels import Changes
    from sclerochart.ui import course_actions

    first, _second = _charted(window)
    ctx = ctx_of(window)
    patient = window.patient
    assert patient is not None
    course = CourseWindow(window.api, patient, window)
    qtbot.addWidget(course)
    course.show()
    assert course.visit_model.rowCount() == 0
    follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), clearances=(RegionClearance(first, 75),)))
    course_actions._OPEN.append(course)
    try:
        course_actions.course_changed(Changes(courses=frozenset({patient.id}), elsewhere=True))
    finally:
        course_actions._OPEN.remove(course)
    assert course.visit_model.rowCount() == 1
    assert course.outcomes.items_by_region[first][0].toolTip().endswith("75 % cleared")


def test_from_the_window_alone_a_visit_with_clearance_vcss_and_a_photo_reaches_the_diagram_and_the_summary(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers, tmp_path: Path
) -> None:
    """The issue's "done when": rate a region, score VCSS, add a photo; see it painted and printed."""
    from PIL import Image

    from sclerochart.reports.summary import treatment_summary
    from tests.integration.documents import pdf_text
    from tests.ui.test_photos_window import describe_as

    first, _second = _charted(window)
    patient = window.patient
    assert patient is not None
    dialog = FollowUpDialog(window.api, patient, None, window, tasks=window.tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.clearance.press(first, 100)
    dialog.scores.combos["right"]["pain"].setCurrentIndex(2)
    picture = tmp_path / "after.jpg"
    Image.new("RGB", (320, 240), (220, 180, 160)).save(picture)
    strip = dialog.photos
    assert strip is not None
    dialogs.answer(describe_as(View.ANTERIOR))
    assert strip.offer_files([picture])
    qtbot.waitUntil(lambda: not strip.busy() and strip.count() == 1, timeout=15_000)
    assert dialog.visit is not None, "the photo's visit was saved first"
    stored = follow_ups.get_visit(ctx_of(window), dialog.visit.id)
    assert stored.clearances == (RegionClearance(first, 100),) and stored.vcss_right == {"pain": 1}
    assert stored.photo_count == 1
    dialog.close()
    course = CourseWindow(window.api, patient, window)
    qtbot.addWidget(course)
    assert course.outcomes.items_by_region[first][0].brush().color().name() == QColor(CLEARANCE_COLOURS[100]).name()
    words = " ".join(pdf_text(treatment_summary(window.api.patient_record(patient.id, with_photos=True), NOW)))
    assert "100 % (" in words and "Photos" in words and "VCSS 1" in words


def test_baseline_and_latest_are_each_legs_own_first_and_last_record(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    from sclerochart.domain.follow_up import VisitDraft
    from sclerochart.services import sessions

    _charted(window)
    ctx = ctx_of(window)
    patient = window.patient
    assert patient is not None
    session = stored_session(window).session
    sessions.update_session(
        ctx, session.id, replace(session.draft(), vcss_left={"pain": 1}, ceap_left="C1,A"), session.details_version
    )
    follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), vcss_right={"pain": 2}))
    course = CourseWindow(window.api, patient, window)
    qtbot.addWidget(course)
    rows = {
        course.scores_model.item(row, 0).text(): [
            course.scores_model.item(row, c).text() for c in range(1, course.scores_model.columnCount())
        ]
        for row in range(course.scores_model.rowCount())
    }
    assert rows["VCSS total"][:2] == ["2 (1 of 10 items scored)"] * 2, "right: the visit, the only record"
    assert rows["VCSS total"][2:] == ["1 (1 of 10 items scored)"] * 2, "left: the session, not the later visit"
    assert rows["CEAP"] == ["—", "—", "C1,A", "C1,A"]


def test_a_visit_signed_in_another_room_meanwhile_is_shown_as_signed_when_this_room_saves(
    qtbot: QtBot, window: MainWindow
) -> None:
    from sclerochart.domain.follow_up import RegionClearance, VisitDraft

    first, _second = _charted(window)
    ctx = ctx_of(window)
    person = signed_in(ctx)
    patient = window.patient
    assert patient is not None
    visit = follow_ups.record_visit(ctx, patient.id, VisitDraft(ctx.today(), person.id, (RegionClearance(first, 25),)))
    dialog = FollowUpDialog(window.api, patient, visit, window)
    qtbot.addWidget(dialog)
    dialog.show()
    size = dialog.size()
    changed = follow_ups.update_visit(
        ctx, visit.id, visit.version, VisitDraft(ctx.today(), person.id, (RegionClearance(first, 100),))
    )
    follow_ups.sign_visit(ctx, visit.id, changed.version, PASSWORD)  # the other room
    dialog.clearance.press(first, 50)
    assert dialog.save() is False
    assert "signed" in dialog.message.text()
    assert dialog.clearance.groups[first].checkedId() == 100, "the screen shows what is stored"
    assert "Signed by" in dialog.state.text() and not dialog.save_button.isEnabled()
    assert not dialog.sign_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert dialog.size() == size, "a refusal does not shrink the form"
