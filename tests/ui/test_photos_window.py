"""Photos of a session or a follow-up visit: added off the GUI thread, refused by name, described, removed, compared.

Real database, real photos made with Pillow, the real description dialog answered as a user would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import shiboken6
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.domain.errors import UserError
from sclerochart.domain.follow_up import VisitDraft
from sclerochart.domain.values import SessionDraft, View
from sclerochart.services import follow_ups, patients, sessions
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.photo_compare import PhotoCompareDialog, PhotoViewerDialog
from sclerochart.ui.photo_describe import PhotoDescriptionDialog
from sclerochart.ui.photo_model import PhotoListModel, view_regions
from sclerochart.ui.photo_strip import PhotoStrip
from sclerochart.ui.photo_watch import PhotoFolderWatch, survey
from sclerochart.ui.tasks import TaskRunner
from tests.conftest import patient_draft
from tests.signing import sign
from tests.ui.helpers import DialogAnswers, press

THIGH = "right.anterior.thigh-middle"


@dataclass
class Chair:
    """A patient with a draft session, the api, and a photo strip showing that session."""

    api: ServiceApi
    ctx: ServiceContext
    patient_id: str
    session_id: str
    strip: PhotoStrip
    changes: list[None]


def photo(path: Path, size: tuple[int, int] = (640, 480), colour: str = "tan") -> Path:
    """A real JPEG (Pillow) at `path`."""
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def describe_as(view: View, region: str = "") -> Callable[[QDialog], None]:
    """An answer to the description dialog: choose the view and region, press its OK button."""

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PhotoDescriptionDialog)
        dialog.choose(view, region)
        press(dialog, QDialogButtonBox.StandardButton.Ok)

    return answer


def added(qtbot: QtBot, strip: PhotoStrip, count: int) -> None:
    """Wait for the background adding to end with `count` photos shown."""
    qtbot.waitUntil(lambda: not strip.busy() and strip.count() == count, timeout=15_000)


@pytest.fixture
def chair(qtbot: QtBot, ctx: ServiceContext, warnings: list[str]) -> Iterator[Chair]:
    patient = patients.create_patient(ctx, patient_draft())
    session = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    api = ServiceApi(ctx)
    tasks = TaskRunner()
    strip = PhotoStrip(api, tasks)
    qtbot.addWidget(strip)
    strip.resize(900, 420)
    strip.show()
    changes: list[None] = []
    strip.changed.connect(lambda: changes.append(None))
    strip.show_record(patient.id, session_id=session.id, regions=(THIGH,))
    yield Chair(api, ctx, patient.id, session.id, strip, changes)
    tasks.wait()


def test_two_photos_offered_are_stored_off_the_gui_thread_and_shown(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, tmp_path: Path
) -> None:
    strip = chair.strip
    assert strip.count() == 0 and "No photos yet" in strip.status.text()
    assert strip.add_button.minimumHeight() >= 36
    offered: list[str] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PhotoDescriptionDialog)
        assert not dialog.ok_button.isEnabled(), "the view must be chosen first"
        dialog.view_choice.setCurrentIndex(dialog.view_choice.findData(View.ANTERIOR.value))
        offered.extend(dialog.region_choice.itemText(row) for row in range(3))
        describe_as(View.ANTERIOR, THIGH)(dialog)

    dialogs.answer(answer)
    files = [photo(tmp_path / "before.jpg"), photo(tmp_path / "after.jpg", colour="brown")]
    assert strip.offer_files(files)
    assert strip.status.text() == "Adding 2 photos…", "the work runs off the GUI thread and says so"
    added(qtbot, strip, 2)
    assert dialogs.seen == ["Add 2 photos"]
    assert offered[0] == "No particular region" and offered[1] == "Right anterior thigh, middle third — treated"
    stored = chair.api.patient_photos(chair.patient_id)
    assert sorted((p.original_name, p.view, p.region, p.session_id) for p in stored) == [
        ("after.jpg", View.ANTERIOR, THIGH, chair.session_id),
        ("before.jpg", View.ANTERIOR, THIGH, chair.session_id),
    ]
    assert strip.status.text() == "2 photos added."
    assert len(chair.changes) == 2
    first = strip.model.index(0)
    icon = strip.model.data(first, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    assert icon.pixmap(160, 160).toImage().pixelColor(80, 80).alpha() == 255, "the thumbnail is drawn"
    assert (
        strip.model.data(first, Qt.ItemDataRole.DisplayRole)
        == "Anterior\nRight anterior thigh, middle third\n23.11.2026"
    )
    assert isinstance(strip.model, PhotoListModel)


def test_a_text_file_named_jpg_is_refused_by_name_and_the_good_photo_is_still_added(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, warnings: list[str], tmp_path: Path
) -> None:
    fake = tmp_path / "notes.jpg"
    fake.write_text("not a picture at all", encoding="utf-8")
    good = photo(tmp_path / "leg.jpg")
    dialogs.answer(describe_as(View.POSTERIOR))
    assert chair.strip.offer_files([fake, good])
    added(qtbot, chair.strip, 1)
    qtbot.waitUntil(lambda: bool(warnings))
    assert len(warnings) == 1 and "“notes.jpg”" in warnings[0] and "JPEG" in warnings[0]
    assert "DOMAIN" not in warnings[0] and "§" not in warnings[0]
    assert [p.original_name for p in chair.api.patient_photos(chair.patient_id)] == ["leg.jpg"]
    assert chair.strip.status.text() == "1 photo added; 1 could not be added (the message says why)."


def test_remove_works_on_a_draft_sessions_photo_and_is_off_for_a_signed_ones(
    qtbot: QtBot, chair: Chair, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api, strip = chair.api, chair.strip
    draft_photo = api.add_photo_file(photo(tmp_path / "a.jpg"), view=View.ANTERIOR, session_id=chair.session_id)
    strip.reload()
    strip.select(draft_photo.id)
    assert strip.remove_button.isEnabled() and strip.describe_button.isEnabled()
    asked: list[str] = []

    def yes(_parent: object, title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    assert strip.remove_photo()
    assert asked and "Remove this photo" in asked[0], "it asks first"
    assert api.patient_photos(chair.patient_id) == () and strip.count() == 0
    assert chair.changes == [None]

    older = sessions.start_session(
        chair.ctx, chair.patient_id, SessionDraft(None, dt.datetime(2026, 3, 2, 9, 0), weight_kg=70.0)
    )
    kept = api.add_photo_file(photo(tmp_path / "b.jpg"), view=View.ANTERIOR, session_id=older.id)
    sign(chair.ctx, older.id)
    strip.show_record(chair.patient_id, session_id=older.id)
    strip.select(kept.id)
    assert strip.selected() is not None and strip.selected().frozen  # type: ignore[union-attr]
    assert not strip.remove_button.isEnabled() and not strip.describe_button.isEnabled()
    assert "signed" in strip.remove_button.toolTip()
    assert strip.view_button.isEnabled(), "a signed record's photo can still be looked at"
    assert not strip.remove_photo()
    assert [p.id for p in api.patient_photos(chair.patient_id)] == [kept.id]

    strip.show_record(chair.patient_id, session_id=chair.session_id, frozen=True)
    still = api.add_photo_file(photo(tmp_path / "c.jpg"), view=View.ANTERIOR, session_id=chair.session_id)
    strip.reload()
    strip.select(still.id)
    assert not strip.remove_button.isEnabled() and not strip.describe_button.isEnabled()


def test_describe_changes_the_view_and_region_and_a_stale_change_is_refused_and_reloaded(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, warnings: list[str], tmp_path: Path
) -> None:
    api, strip = chair.api, chair.strip
    shown = api.add_photo_file(photo(tmp_path / "a.jpg"), view=View.ANTERIOR, session_id=chair.session_id)
    strip.reload()
    strip.select(shown.id)
    knee = next(code for code in view_regions(View.POSTERIOR) if code.endswith("knee"))

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, PhotoDescriptionDialog)
        assert dialog.view() == View.ANTERIOR and dialog.region() == "", "it starts from what is stored"
        describe_as(View.POSTERIOR, knee)(dialog)

    dialogs.answer(answer)
    assert strip.describe_photo()
    stored = api.patient_photos(chair.patient_id)[0]
    assert (stored.view, stored.region) == (View.POSTERIOR, knee)
    assert str(strip.model.data(strip.model.index(0), Qt.ItemDataRole.DisplayRole)).startswith("Posterior\n")
    assert chair.changes == [None]

    api.describe_photo(stored.id, stored.version, View.LEFT_MEDIAL, "")  # another room, meanwhile
    dialogs.answer(describe_as(View.ANTERIOR, THIGH))
    assert not strip.describe_photo()
    assert len(warnings) == 1 and "changed after it was shown" in warnings[0]
    assert strip.photos()[0].view == View.LEFT_MEDIAL, "the strip shows what is stored now"
    assert api.patient_photos(chair.patient_id)[0].view == View.LEFT_MEDIAL


def test_photos_are_added_to_the_record_the_visit_saves_first_or_not_at_all(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, warnings: list[str], tmp_path: Path
) -> None:
    strip = chair.strip
    strip.show_record(chair.patient_id)  # a visit not saved yet
    assert strip.count() == 0 and not strip.add_button.isEnabled()

    def refuse() -> tuple[str | None, str | None]:
        raise UserError("The visit could not be saved.", "Correct the date, then add the photo again.")

    strip.record_needed = refuse
    assert strip.add_button.isEnabled() or strip.can_add()
    dialogs.answer(describe_as(View.ANTERIOR))
    assert not strip.offer_files([photo(tmp_path / "a.jpg")])
    assert warnings == ["ScleroChart: The visit could not be saved. Correct the date, then add the photo again."]
    assert chair.api.patient_photos(chair.patient_id) == ()

    visit = follow_ups.record_visit(chair.ctx, chair.patient_id, VisitDraft(chair.ctx.today()))
    strip.record_needed = lambda: (None, visit.id)
    dialogs.answer(describe_as(View.ANTERIOR))
    assert strip.offer_files([tmp_path / "a.jpg"])
    added(qtbot, strip, 1)
    assert strip.visit_id == visit.id
    assert [p.visit_id for p in chair.api.patient_photos(chair.patient_id)] == [visit.id]


def test_dropped_files_are_added_and_a_double_click_shows_the_photo_whole(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, tmp_path: Path
) -> None:
    strip = chair.strip
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(photo(tmp_path / "drop.jpg", size=(900, 1200))))])
    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    dialogs.answer(describe_as(View.RIGHT_MEDIAL))
    strip.dropEvent(drop)
    assert drop.isAccepted()
    added(qtbot, strip, 1)
    where = strip.list.visualRect(strip.model.index(0)).center()
    qtbot.mouseClick(strip.list.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a real double-click's first
    qtbot.mouseDClick(strip.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    viewer = strip.findChild(PhotoViewerDialog)
    assert viewer is not None and viewer.isVisible()
    qtbot.waitExposed(viewer)
    assert viewer.picture.has_picture() and viewer.picture.picture_size().toTuple() == (900, 1200)
    assert viewer.width() <= 1366 and viewer.height() <= 768
    assert "Right medial" in viewer.caption.text()
    viewer.accept()


def test_the_comparison_lists_a_views_photos_across_dates_earliest_left_latest_right(
    qtbot: QtBot, chair: Chair, tmp_path: Path
) -> None:
    api, ctx = chair.api, chair.ctx
    first = sessions.start_session(
        ctx, chair.patient_id, SessionDraft(None, dt.datetime(2026, 3, 2, 9, 0), weight_kg=70.0)
    )
    visit = follow_ups.record_visit(ctx, chair.patient_id, VisitDraft(dt.date(2026, 4, 20)))
    # the later photo added first: the comparison goes by the record's date, not by when a photo was added
    later = api.add_photo_file(photo(tmp_path / "later.jpg", colour="white"), view=View.ANTERIOR, visit_id=visit.id)
    earlier = api.add_photo_file(
        photo(tmp_path / "earlier.jpg", colour="red"), view=View.ANTERIOR, region=THIGH, session_id=first.id
    )
    api.add_photo_file(photo(tmp_path / "back.jpg"), view=View.POSTERIOR, session_id=first.id)

    dialog = PhotoCompareDialog(api, chair.patient_id, panes=2)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    views = [dialog.view_choice.itemText(row) for row in range(dialog.view_choice.count())]
    assert views == ["Anterior (2 photos)", "Posterior (1 photo)"]
    left, right = dialog.shown_panes()
    entries = [left.choice.itemText(row) for row in range(left.choice.count())]
    assert entries == ["02.03.2026 — session, Right anterior thigh, middle third", "20.04.2026 — follow-up"]
    assert (left.photo_id(), right.photo_id()) == (earlier.id, later.id)
    assert left.picture.has_picture() and right.picture.has_picture()
    assert left.caption.text().startswith("02.03.2026 — session · Anterior")
    assert right.caption.text().startswith("20.04.2026 — follow-up · Anterior")
    right.choice.setCurrentIndex(0)
    assert right.caption.text().startswith("02.03.2026"), "any date can be chosen on either side"

    dialog.view_choice.setCurrentIndex(1)
    assert [pane.choice.count() for pane in dialog.shown_panes()] == [1, 1]
    assert dialog.shown_panes()[0].caption.text().startswith("02.03.2026 — session · Posterior")

    wide = PhotoCompareDialog(api, chair.patient_id, view=View.ANTERIOR, panes=3)
    qtbot.addWidget(wide)
    assert len(wide.shown_panes()) == 2, "three panes only when the view has three photos"
    assert [pane.photo_id() for pane in wide.shown_panes()] == [earlier.id, later.id]

    nobody = patients.create_patient(ctx, patient_draft(chart_number="SC-0002", given_name="Ida"))
    empty = PhotoCompareDialog(api, nobody.id)
    qtbot.addWidget(empty)
    assert "no photos yet" in empty.message.text() and not empty.view_choice.isEnabled()


def test_the_camera_folder_reports_a_new_photo_once_and_ignores_temporary_and_old_files(
    qtbot: QtBot, tmp_path: Path
) -> None:
    camera = tmp_path / "camera"
    camera.mkdir()
    old = photo(camera / "old.jpg")
    watch = PhotoFolderWatch(interval_ms=100)
    reported: list[list[Path]] = []
    watch.arrived.connect(reported.append)
    watch.start(camera)
    qtbot.wait(300)  # the first look notes what is there already
    with qtbot.waitSignal(watch.arrived, timeout=5000) as arrival:
        (camera / "IMG_0002.JPG.tmp").write_bytes(b"half a photo")
        (camera / ".IMG_0003.jpg").write_bytes(b"hidden")
        new = photo(camera / "IMG_0001.JPG")
    assert arrival.args == [[new]]
    qtbot.wait(600)
    assert reported == [[new]], "each file once; temporary, hidden and old files never"
    assert old.exists() and new.exists() and (camera / "IMG_0002.JPG.tmp").exists(), "nothing moved or deleted"
    watch.stop()
    assert not watch.is_watching()


def test_a_photo_still_being_copied_waits_until_its_size_stays_the_same(tmp_path: Path) -> None:
    growing = tmp_path / "IMG_0004.jpg"
    growing.write_bytes(b"\xff\xd8" + b"x" * 100)
    first = survey(tmp_path, {}, frozenset(), now=0.0, settle=2.0)
    assert first.ready == () and "IMG_0004.jpg" in first.seen
    assert survey(tmp_path, first.seen, frozenset(), now=1.0, settle=2.0).ready == (), "not yet stable long enough"
    with growing.open("ab") as stream:
        stream.write(b"y" * 100)
    grown = survey(tmp_path, first.seen, frozenset(), now=2.5, settle=2.0)
    assert grown.ready == (), "it grew: wait again"
    assert survey(tmp_path, grown.seen, frozenset(), now=4.6, settle=2.0).ready == (growing,)
    assert survey(tmp_path, grown.seen, frozenset({growing.name}), now=9.0, settle=2.0).ready == ()


def test_photos_offered_are_all_stored_even_when_the_strip_closes_meanwhile(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, tmp_path: Path
) -> None:
    tasks = TaskRunner()
    strip = PhotoStrip(chair.api, tasks)
    strip.show_record(chair.patient_id, session_id=chair.session_id)
    dialogs.answer(describe_as(View.ANTERIOR))
    assert strip.offer_files([photo(tmp_path / f"{n}.jpg") for n in range(3)])
    shiboken6.delete(strip)  # the visit closed while the photos were being added
    qtbot.waitUntil(lambda: len(chair.api.patient_photos(chair.patient_id)) == 3, timeout=15_000)
    qtbot.waitUntil(lambda: not tasks.busy)


def test_files_offered_while_the_question_is_open_are_asked_about_after_it(
    qtbot: QtBot, chair: Chair, dialogs: DialogAnswers, tmp_path: Path
) -> None:
    strip = chair.strip
    later = photo(tmp_path / "IMG_0002.jpg")

    def first(dialog: QDialog) -> None:
        assert not strip.offer_files([later]), "the camera went on: asked about once this question is answered"
        describe_as(View.ANTERIOR)(dialog)
        dialogs.answer(describe_as(View.POSTERIOR))

    dialogs.answer(first)
    assert strip.offer_files([photo(tmp_path / "IMG_0001.jpg")])
    added(qtbot, strip, 2)
    assert dialogs.seen == ["Add 1 photo", "Add 1 photo"]
    stored = {p.original_name: p.view for p in chair.api.patient_photos(chair.patient_id)}
    assert stored == {"IMG_0001.jpg": View.ANTERIOR, "IMG_0002.jpg": View.POSTERIOR}


def test_a_camera_folder_that_cannot_be_read_is_said_plainly_and_watched_until_it_can(
    qtbot: QtBot, tmp_path: Path
) -> None:
    card = tmp_path / "card"
    watch = PhotoFolderWatch(interval_ms=100)
    with qtbot.waitSignal(watch.unavailable, timeout=5000) as refusal:
        watch.start(card)
    message = refusal.args[0]
    assert f"The camera folder {card} cannot be read" in message and "connected" in message
    assert "Errno" not in message and "Error" not in message
    with qtbot.waitSignal(watch.available, timeout=5000):
        card.mkdir()
    with qtbot.waitSignal(watch.arrived, timeout=5000) as arrival:
        new = photo(card / "IMG_0009.jpg")
    assert arrival.args == [[new]]
    watch.stop()
