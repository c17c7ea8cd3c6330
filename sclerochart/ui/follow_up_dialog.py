"""A follow-up visit from the patient's chart, saved as a draft and signed like a session.

Clearance per treated region, complications, CEAP and VCSS, photos and notes.

Nothing typed here is stored until Save (or Sign, which saves first); the line at the top says plainly
whether what is shown is stored. A visit changed in another room meanwhile is not overwritten: the save is
refused, the stored visit is shown, and the user makes the change again.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.accounts import PasswordRefused
from sclerochart.domain.errors import FieldError, NotFoundError, UserError, ValidationError
from sclerochart.domain.follow_up import VISIT_SIGNATURE_MEANING, FollowUpVisit, VisitDraft, visit_gaps
from sclerochart.domain.values import Patient
from sclerochart.readmodels import Course
from sclerochart.ui.field_form import ERROR_STYLE, FormMessage
from sclerochart.ui.follow_up_parts import ClearanceGrid, ComplicationTable
from sclerochart.ui.input_guards import guard_inputs
from sclerochart.ui.leg_scores import LEGS, LegScores
from sclerochart.ui.photo_strip import PhotoStrip
from sclerochart.ui.sign_in_dialog import password_field
from sclerochart.ui.tasks import TaskRunner
from sclerochart.ui.window_layout import large_dialog_size

NOT_STORED_STYLE = "color: #8a5a00; font-weight: bold;"
STORED_STYLE = "color: #2e5e2e;"


class FollowUpDialog(QDialog):
    """One follow-up visit of a patient: a new one (`visit` None) or a stored one."""

    stored = Signal()
    """The visit was saved, signed or removed (a list showing visits reads them again)."""

    def __init__(
        self,
        api: ClinicApi,
        patient: Patient,
        visit: FollowUpVisit | None = None,
        parent: QWidget | None = None,
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.patient = patient
        self.visit = visit
        self.course: Course = api.course(patient.id)
        self._dirty = False
        self.setWindowTitle(f"Follow-up visit — {patient.display_name} ({patient.chart_number})")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.setMinimumHeight(36)
        self.date.setMaximumWidth(220)
        self.practitioner = QComboBox()
        self.practitioner.setMinimumHeight(36)
        self.practitioner.setMaximumWidth(480)
        self.practitioner.addItem("Choose…", None)
        for person in api.list_practitioners():
            self.practitioner.addItem(person.name, person.id)
        form = QFormLayout()
        form.addRow("Date of the visit", self.date)
        form.addRow("Practitioner", self.practitioner)
        self.clearance = ClearanceGrid()
        self.complications = ComplicationTable()
        self.scores = LegScores()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What the patient reports, what was seen, what is planned.")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.clearance, "Clearance by region")
        self.tabs.addTab(self.complications, "Complications")
        self.tabs.addTab(_scrolled(self.scores), "CEAP and VCSS")
        self.photos = PhotoStrip(api, tasks) if tasks is not None else None
        self.photos_note = QLabel()
        self.photos_note.setWordWrap(True)
        if self.photos is not None:
            self.photos.record_needed = self.stored_visit
            photos_tab = QWidget()
            photos_layout = QVBoxLayout(photos_tab)
            photos_layout.addWidget(self.photos_note)
            photos_layout.addWidget(self.photos, 1)
            self.tabs.addTab(photos_tab, "Photos")
        self.tabs.addTab(self.notes, "Notes")
        self.message = FormMessage(grow=False)  # a refusal must not shrink the form to its smallest
        self.save_button = QPushButton("Save")
        self.sign_button = QPushButton("Sign…")
        self.remove_button = QPushButton("Remove visit…")
        close = QPushButton("Close")
        for button in (self.save_button, self.sign_button, self.remove_button, close):
            button.setMinimumHeight(40)
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.sign_button.clicked.connect(self.sign)
        self.remove_button.clicked.connect(self.remove)
        close.clicked.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self.date.dateChanged.connect(self._date_changed)
        for signal in (
            self.clearance.edited,
            self.complications.edited,
            self.scores.edited,
            self.notes.textChanged,
            self.practitioner.currentIndexChanged,
        ):
            signal.connect(self._edited)
        self.show_visit(visit)
        guard_inputs(self)  # the wheel scrolling past a date or a list never changes it
        self.resize(large_dialog_size(self, QSize(1180, 720)))

    # What is shown ---------------------------------------------------------------------------------------
    def show_visit(self, visit: FollowUpVisit | None) -> None:
        """Show a stored visit (or an empty new one) as stored: nothing unsaved afterwards."""
        self.visit = visit
        widgets = (self.date, self.practitioner, self.notes, self.scores, self.complications, self.clearance)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if visit is None:
                today = self.api.clock().date()
                self.date.setDate(QDate(today.year, today.month, today.day))
                person = self.api.signed_in()
                self.practitioner.setCurrentIndex(max(0, self.practitioner.findData(person.id if person else None)))
                self.notes.setPlainText("")
                self.scores.set_values({}, {})
                self.complications.set_findings(())
                chosen: dict[str, int] = {}
            else:
                day = visit.examined_on
                self.date.setDate(QDate(day.year, day.month, day.day))
                index = self.practitioner.findData(visit.practitioner_id)
                if index < 0 and visit.practitioner_id is not None:
                    self.practitioner.addItem(visit.practitioner_name, visit.practitioner_id)
                    index = self.practitioner.count() - 1
                self.practitioner.setCurrentIndex(max(0, index))
                self.notes.setPlainText(visit.notes)
                self.scores.set_values(
                    {"right": visit.ceap_right, "left": visit.ceap_left},
                    {"right": visit.vcss_right, "left": visit.vcss_left},
                )
                self.complications.set_findings(visit.complications)
                chosen = {each.region: each.percent for each in visit.clearances}
            self.complications.offer_regions(self.course.outcomes)
            self.clearance.show_regions(self.course.outcomes.values(), self._day(), self._visit_id(), chosen)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._dirty = False
        self._show_state()
        if self.photos is not None:
            day = self.visit.examined_on if self.visit is not None else self._day()
            self.photos.record_words = (
                f"Follow-up visit of {day:%d.%m.%Y} — {self.patient.display_name} ({self.patient.chart_number})"
            )
            self.photos.show_record(
                self.patient.id, visit_id=self._visit_id(), frozen=False, regions=tuple(self.course.outcomes)
            )

    def _visit_id(self) -> str | None:
        return self.visit.id if self.visit is not None else None

    def _day(self) -> dt.date:
        day = self.date.date()
        return dt.date(day.year(), day.month(), day.day())

    def _show_state(self) -> None:
        visit = self.visit
        signed = visit is not None and visit.signed
        frozen = visit is not None and visit.frozen
        for widget in (self.date, self.practitioner):
            widget.setEnabled(not frozen)
        self.notes.setReadOnly(frozen)
        self.scores.set_read_only(frozen)
        self.complications.set_read_only(frozen)
        self.clearance.set_read_only(frozen)
        self.save_button.setEnabled(not frozen)
        self.sign_button.setEnabled(not frozen)
        self.remove_button.setEnabled(visit is not None and not frozen)
        self.photos_note.setText(
            "The visit can no longer be changed, but a photo can still be added (from the camera afterwards, "
            "say): each photo says when and by whom it was added."
            if frozen
            else "Photos are kept with the visit; adding one to a new visit saves the visit first."
        )
        if visit is None:
            text, style = "New visit — not saved yet. Save stores it (Ctrl+S).", NOT_STORED_STYLE
        elif signed:
            when = f"{visit.signed_at:%d.%m.%Y %H:%M}" if visit.signed_at else ""
            text, style = f"Signed by {visit.signed_by} on {when}. It can no longer be changed.", STORED_STYLE
        elif visit.imported:
            text, style = (
                "Carried over from an earlier version of ScleroChart, as it was recorded. It cannot be changed.",
                STORED_STYLE,
            )
        elif self._dirty:
            text, style = "Changed — not saved yet. Save stores the changes (Ctrl+S).", NOT_STORED_STYLE
        else:
            text, style = "Saved, not signed. What you see is stored.", STORED_STYLE
        self.state.setText(text)
        self.state.setStyleSheet(style)

    def _edited(self, *_args: object) -> None:
        self._dirty = True
        self.message.hide()
        self._show_state()

    def _date_changed(self, _date: QDate) -> None:
        chosen = self.clearance.chosen()
        self.clearance.show_regions(self.course.outcomes.values(), self._day(), self._visit_id(), chosen)
        self._edited()

    # Storing ---------------------------------------------------------------------------------------------
    def draft(self) -> VisitDraft:
        """What the form holds as a visit draft.

        Raises:
            ValidationError: a complication row has no complication chosen.
        """
        findings, unchosen = self.complications.findings()
        if unchosen:
            raise ValidationError(
                [
                    FieldError(f"Complication {n}", "choose the complication from the list, or remove the row.")
                    for n in unchosen
                ]
            )
        vcss = {leg: self.scores.vcss(leg) or None for leg in LEGS}
        return VisitDraft(
            examined_on=self._day(),
            practitioner_id=self.practitioner.currentData(),
            clearances=self.clearance.clearances(),
            complications=findings,
            notes=self.notes.toPlainText(),
            ceap_right=self.scores.ceap_text("right"),
            ceap_left=self.scores.ceap_text("left"),
            vcss_right=vcss["right"],
            vcss_left=vcss["left"],
        )

    def save(self) -> bool:
        """Store what is shown; True when it is stored (nothing to store counts)."""
        if self.visit is not None and (self.visit.frozen or not self._dirty):
            return True
        try:
            draft = self.draft()
            if self.visit is None:
                stored = self.api.record_visit(self.patient.id, draft)
            else:
                stored = self.api.update_visit(self.visit.id, self.visit.version, draft)
        except ValidationError as error:
            self.message.refusal(error)
            return False
        except UserError as error:  # changed, signed or removed elsewhere: show what is stored now
            self._reload()
            self.message.say(f"{error.message} {error.hint}")
            return False
        self.course = self.api.course(self.patient.id)
        self.show_visit(stored)
        self.stored.emit()
        return True

    def stored_visit(self) -> tuple[str | None, str | None]:
        """(None, visit id) of the visit, saving it first when it is new or changed (for adding a photo).

        Raises:
            UserError: it could not be saved (the message says why).
        """
        if not self.save():
            raise UserError(
                "The visit must be saved before a photo can be added to it, and it could not be saved.",
                "The message at the foot of the visit says why; correct it, then add the photo again.",
            )
        assert self.visit is not None
        return None, self.visit.id

    def other_room_changed(self) -> None:
        """Another room changed this patient's course: show the stored visit.

        When something is typed here, only say so: a save made from it is refused if the visit itself changed.
        """
        if self.visit is None:
            self.course = self.api.course(self.patient.id)
            chosen = self.clearance.chosen()
            self.clearance.show_regions(self.course.outcomes.values(), self._day(), None, chosen)
            return
        if self._dirty:
            self.message.say(
                "This visit's patient was changed in another room; if this visit was, saving will be refused."
            )
            return
        self._reload()
        if self.photos is not None:
            self.photos.reload()

    def _reload(self) -> None:
        if self.visit is None:
            return
        try:
            self.course = self.api.course(self.patient.id)
            self.show_visit(self.api.get_visit(self.visit.id))
        except NotFoundError:  # removed in another room: nothing of it is stored any more
            self.visit = None
            self._dirty = True
            self._show_state()
            self.state.setText("This visit was removed in another room. Save would record what you see as a new visit.")
        except UserError as error:
            self.message.refusal(error)

    def sign(self) -> None:
        """Save, then sign with the password typed again (the visit becomes read-only)."""
        if not self.save():
            return
        visit = self.visit
        if visit is None:
            return
        dialog = VisitSignDialog(self.api, visit, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.signed is not None:
            self.show_visit(dialog.signed)
            self.stored.emit()
        elif dialog.refusal is not None:
            self._reload()
            self.message.say(f"{dialog.refusal.message} {dialog.refusal.hint}")

    def remove(self) -> None:
        """Remove a draft visit recorded by mistake, after asking."""
        visit = self.visit
        if visit is None or visit.frozen:
            return
        answer = QMessageBox.question(
            self,
            "Remove visit",
            f"Remove the follow-up visit of {visit.examined_on:%d.%m.%Y} and its photos? "
            "The audit trail keeps what it held.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.api.remove_visit(visit.id, visit.version)
        except UserError as error:
            self._reload()
            self.message.say(f"{error.message} {error.hint}")
            return
        self._dirty = False
        self.stored.emit()
        self.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask before unsaved changes are dropped: save them, drop them, or stay."""
        if self._dirty and (self.visit is None or not self.visit.frozen):
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "This visit has changes that are not saved. Save them?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                event.ignore()
                return
        event.accept()

    def reject(self) -> None:
        """Escape closes as the Close button does (asking about unsaved changes)."""
        self.close()


class VisitSignDialog(QDialog):
    """What is missing, who signs, what it means, and the password again."""

    def __init__(self, api: ClinicApi, visit: FollowUpVisit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.visit = visit
        self.signed: FollowUpVisit | None = None
        self.refusal: UserError | None = None
        self.setWindowTitle("Sign follow-up visit")
        self.setMinimumWidth(560)
        signer = api.signed_in()
        gaps = visit_gaps(visit, signer.id if signer is not None else None)
        summary = QLabel(
            f"Follow-up visit of {visit.examined_on:%d.%m.%Y}: {len(visit.clearances)} region"
            f"{'s' if len(visit.clearances) != 1 else ''} rated, {len(visit.complications)} complication"
            f"{'s' if len(visit.complications) != 1 else ''}."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        for gap in gaps:
            line = QLabel("✗ " + gap)
            line.setStyleSheet(ERROR_STYLE)
            line.setWordWrap(True)
            layout.addWidget(line)
        who = QLabel(
            f"<b>Signed by:</b> {signer.label if signer else 'nobody is signed in'}<br>"
            "<b>Date and time:</b> when you press Sign"
        )
        who.setTextFormat(Qt.TextFormat.RichText)
        meaning = QLabel(f"<b>Meaning of the signature:</b> {VISIT_SIGNATURE_MEANING}")
        meaning.setTextFormat(Qt.TextFormat.RichText)
        meaning.setWordWrap(True)
        self.password = password_field()
        form = QFormLayout()
        form.addRow("Your password", self.password)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign")
        self.sign_button.setMinimumHeight(40)
        can_sign = not gaps and signer is not None
        self.sign_button.setEnabled(can_sign)
        self.password.setEnabled(can_sign)
        buttons.accepted.connect(self.try_sign)
        buttons.rejected.connect(self.reject)
        layout.addWidget(who)
        layout.addWidget(meaning)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_sign(self) -> bool:
        """Sign with the password typed; True when signed."""
        try:
            self.signed = self.api.sign_visit(self.visit.id, self.visit.version, self.password.text())
        except PasswordRefused as error:
            self.password.clear()
            self.message.refusal(error)
            self.password.setFocus()
            return False
        except UserError as error:
            self.refusal = error
            self.reject()
            return False
        finally:
            self.password.clear()
        self.accept()
        return True


def _scrolled(widget: QWidget) -> QWidget:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area
