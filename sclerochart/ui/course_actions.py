"""Opening a patient's course from the main window: the course window, its visit forms and their photos."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sclerochart.domain.follow_up import FollowUpVisit
from sclerochart.domain.values import Patient
from sclerochart.ui.course_window import CourseWindow
from sclerochart.ui.follow_up_dialog import FollowUpDialog

if TYPE_CHECKING:
    from sclerochart.ui.main_window import MainWindow


def open_course(window: MainWindow, patient: Patient) -> None:
    """Show the patient's follow-up visits and outcomes until the user closes them."""

    def visit_dialog(visit: FollowUpVisit | None) -> FollowUpDialog:
        return FollowUpDialog(window.api, patient, visit, course)

    course = CourseWindow(window.api, patient, window, visit_dialog=visit_dialog)
    course.exec()
