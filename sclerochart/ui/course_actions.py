"""Opening a patient's course from the main window: the course window, its visit forms and their photos."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sclerochart.domain.follow_up import FollowUpVisit
from sclerochart.readmodels import Changes
from sclerochart.ui.course_window import CourseWindow
from sclerochart.ui.follow_up_dialog import FollowUpDialog
from sclerochart.ui.photo_compare import PhotoCompareDialog
from sclerochart.ui.photo_strip import PhotoStrip

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow


_OPEN: list[CourseWindow] = []
"""The course windows open now (at most one: it is modal), for other rooms' changes to reach them."""


def course_changed(changes: Changes) -> None:
    """Another room changed visits, photos or sessions: an open course window shows what is stored now."""
    for course in list(_OPEN):
        patient_id = course.patient.id
        if changes.everything or patient_id in changes.courses or patient_id in changes.session_patients:
            course.other_room_changed()


def open_course(window: MainWindow) -> None:
    """Show the chosen patient's follow-up visits and outcomes until the user closes them.

    What is still being typed in the open session is stored first; the session list is read again after.
    """
    patient = window.patient
    if patient is None or not window.stored_first("The follow-up window did not open"):
        return

    def visit_dialog(visit: FollowUpVisit | None) -> FollowUpDialog:
        dialog = FollowUpDialog(window.api, patient, visit, course, tasks=window.tasks)
        if dialog.photos is not None:
            window.photos.opened(dialog.photos)
        return dialog

    def compare() -> None:
        PhotoCompareDialog(window.api, patient.id, course).exec()

    photos = PhotoStrip(window.api, window.tasks)
    course = CourseWindow(window.api, patient, window, visit_dialog=visit_dialog, compare_photos=compare, photos=photos)
    _OPEN.append(course)
    try:
        course.exec()
    finally:
        _OPEN.remove(course)
    window.refresh_sessions()
