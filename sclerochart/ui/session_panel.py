"""The session's details: date, practitioner, weight, CEAP per leg, the checklist, consent, compression and notes.

Each change is stored as soon as it is committed: a tick or a choice at once, a typed field with Enter or Tab or
when it is left (no Save button). Until then the field says beside it that it is not saved yet. A value that is
not allowed is shown with its message beside the field and is not stored; the panel says plainly whether
everything is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.checklist import CHECKLIST, ItemKind
from sclerochart.domain.clock import shown_local
from sclerochart.domain.errors import FieldError, UserError, ValidationError
from sclerochart.domain.signing import Amendment
from sclerochart.domain.validation import COMPRESSION_DAYS_RANGE, COMPRESSION_HOURS_RANGE, MIRRORED_CHECKS
from sclerochart.domain.values import Compression, Practitioner, SessionDraft, SessionState, TreatmentSession
from sclerochart.ui.field_form import ERROR_STYLE, NOT_SAVED_YET, PENDING_STYLE, FieldForm, parse_number, put_text
from sclerochart.ui.input_guards import guard_inputs
from sclerochart.ui.session_fields import (
    WEIGHT_CHECK,
    CheckRow,
    NotesEdit,
    ceap_box,
    fill_practitioners,
    show_weight_check,
)

CONSENT_CHECK = "consent_given"
assert {CONSENT_CHECK, WEIGHT_CHECK} == set(MIRRORED_CHECKS), "the checks the session's own fields answer"

CEAP_CHOICES = ("", "C0", "C1", "C2", "C2r", "C3", "C4a", "C4b", "C4c", "C5", "C6", "C6r")
"""Offered in the CEAP fields (DOMAIN.md §5); the field also takes a typed class with ,S or ,A."""

SaveSession = Callable[[SessionDraft, int], None]
"""Stores a session draft made from a version of its details; ValidationError for a bad field, else UserError."""


def _editable(session: TreatmentSession) -> bool:
    return session.state is SessionState.DRAFT and not session.voided


class SessionPanel(QWidget):
    """The open session's details, stored field by field."""

    sign_requested = Signal()
    typing_dropped = Signal(str)  # what was typed could not be kept (the session was signed meanwhile)

    def __init__(self, save: SaveSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.session: TreatmentSession | None = None
        self._loading = False

        self.started = QDateTimeEdit()
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.practitioner = QComboBox()
        self.practitioner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.practitioner.setMinimumContentsLength(10)
        self.weight = QLineEdit()
        self.weight.setPlaceholderText("e.g. 68.5")
        self.weight_reason = QLineEdit()
        self.weight_reason.setPlaceholderText("only if not weighed")
        self.ceap_right = ceap_box(CEAP_CHOICES)
        self.ceap_left = ceap_box(CEAP_CHOICES)
        self.stocking = QLineEdit()
        self.hours = QSpinBox()
        self.hours.setRange(*COMPRESSION_HOURS_RANGE)
        self.hours.setSuffix(" h, not removed")
        self.days = QSpinBox()
        self.days.setRange(*COMPRESSION_DAYS_RANGE)
        self.days.setSuffix(" days")
        self.nights = QCheckBox("nights too")
        self.notes = NotesEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)

        self.form = FieldForm()
        self.form.add_field("Date and time", self.started)
        self.form.add_field("Practitioner", self.practitioner)
        self.form.add_field("Weight", self.weight, label="Weight (kg)")
        self.form.add_field("No weight because", self.weight_reason, label="No weight because")
        self.form.add_field("CEAP right leg", self.ceap_right, label="CEAP right")
        self.form.add_field("CEAP left leg", self.ceap_left, label="CEAP left")
        self.form.add_field("Stockings", self.stocking)
        self.form.add_field("Compression hours without removal", self.hours, label="Stockings on")
        self.form.add_field("Compression days", self.days, label="Then for")
        self.form.add_field("Nights", self.nights, label="")
        self.form.add_field("Notes", self.notes, pending_hint="Not saved yet: press Tab to save.")

        self.checks: dict[str, QCheckBox] = {}
        checklist_box = QGroupBox("Before treatment")
        checklist_layout = QVBoxLayout(checklist_box)
        reviewed = CheckRow("Checklist gone through with the patient (an unticked item means no)")
        reviewed.label.setStyleSheet("font-weight: bold;")
        self.reviewed = reviewed.box
        checklist_layout.addWidget(reviewed)
        for kind, title in (
            (ItemKind.ABSOLUTE, "Absolute contraindications — treating needs a recorded reason"),
            (ItemKind.RELATIVE, "Relative contraindications — record and confirm"),
            (ItemKind.CHECK, "Checks"),
        ):
            heading = QLabel(f"<b>{title}</b>")
            heading.setWordWrap(True)
            checklist_layout.addWidget(heading)
            for item in (i for i in CHECKLIST if i.kind is kind):
                row = CheckRow(item.label + (" (foam only)" if item.foam_only else ""))
                if item.key == WEIGHT_CHECK:
                    row.setEnabled(False)  # ticked by the weight field as it is typed, never apart from it
                    self.weight_row = row
                self.checks[item.key] = row.box
                checklist_layout.addWidget(row)
        self.consent = self.checks[CONSENT_CHECK]
        """Consent is asked here only: the session's consent and the checklist's check are one tick."""
        self.override = QLineEdit()
        self.override.setPlaceholderText("why treatment goes ahead anyway")
        self.override_message = QLabel()
        self.override_message.setWordWrap(True)
        self.override_message.setStyleSheet(ERROR_STYLE)
        self.override_message.setVisible(False)
        checklist_layout.addWidget(QLabel("Override reason"))
        checklist_layout.addWidget(self.override)
        checklist_layout.addWidget(self.override_message)

        self.saved_state = QLabel()
        self.saved_state.setWordWrap(True)
        self.amendments = QLabel()
        self.amendments.setWordWrap(True)
        self.amendments.setTextFormat(Qt.TextFormat.RichText)
        self.amendments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amendments.setStyleSheet("background: #fff8e1; border: 1px solid #e0c070; padding: 6px;")
        self.amendments.hide()
        self.sign_button = QPushButton("Sign session…")
        self.sign_button.setMinimumHeight(34)
        layout = QVBoxLayout(self)
        layout.addWidget(self.saved_state)
        layout.addWidget(self.amendments)
        details = QWidget()
        details.setLayout(self.form)
        layout.addWidget(details)
        layout.addWidget(checklist_box)
        layout.addWidget(self.sign_button)
        layout.addStretch(1)
        self.editable_widgets: list[QWidget] = [details, checklist_box]

        # What a typed field shows, by field name: a change is "not saved yet" until it is stored.
        self.typed: dict[str, Callable[[], object]] = {
            "Date and time": self.started.dateTime,
            "Weight": self.weight.text,
            "No weight because": self.weight_reason.text,
            "CEAP right leg": self.ceap_right.currentText,
            "CEAP left leg": self.ceap_left.currentText,
            "Stockings": self.stocking.text,
            "Compression hours without removal": self.hours.value,
            "Compression days": self.days.value,
            "Notes": self.notes.toPlainText,
            "Override reason": self.override.text,
        }
        self._shown: dict[str, object] = {}
        self._refused = False
        self._saving = False
        self._pending_names: set[str] = set()
        self._newer: tuple[TreatmentSession, tuple[Practitioner, ...]] | None = None
        """A newer session stored while something was typed here: shown once nothing is pending."""
        self._override_error = ""
        self._practitioners: tuple[Practitioner, ...] = ()
        for changed in (
            self.weight.textEdited,
            self.weight_reason.textEdited,
            self.stocking.textEdited,
            self.override.textEdited,
            self.ceap_right.editTextChanged,
            self.ceap_left.editTextChanged,
            self.hours.valueChanged,
            self.days.valueChanged,
            self.started.dateTimeChanged,
            self.notes.textChanged,
        ):
            changed.connect(lambda *_value: self._typed())

        self.started.editingFinished.connect(self.store)
        self.practitioner.currentIndexChanged.connect(self.store)
        for line in (self.weight, self.weight_reason, self.stocking, self.override):
            line.editingFinished.connect(self.store)
        for combo in (self.ceap_right, self.ceap_left):
            combo.activated.connect(self.store)
            line_edit = combo.lineEdit()
            if line_edit is not None:
                line_edit.editingFinished.connect(self.store)
        for box in (self.nights, self.reviewed, *(box for key, box in self.checks.items() if key != WEIGHT_CHECK)):
            box.toggled.connect(self.store)
        self.hours.editingFinished.connect(self.store)
        self.days.editingFinished.connect(self.store)
        self.notes.left.connect(self.store)
        self.sign_button.clicked.connect(self.sign_requested)
        guard_inputs(self)
        self.show_session(None, ())

    # Showing ------------------------------------------------------------------------------------------
    def show_session(self, session: TreatmentSession | None, practitioners: tuple[Practitioner, ...]) -> None:
        """Fill the fields from the stored session (None: no session open)."""
        if (
            not self._saving
            and session is not None
            and self.session is not None
            and self._same_details(session, self.session)
        ):
            self.session = session  # a site was added: only the version moved on; keep what is being typed
            if practitioners != self._practitioners:  # a practitioner added or renamed: offered at once
                self._loading = True
                try:
                    self._practitioners = fill_practitioners(self.practitioner, practitioners, session)
                finally:
                    self._loading = False
            return
        if (
            not self._saving
            and session is not None
            and self.session is not None
            and session.id == self.session.id
            and self.has_pending()
        ):
            if _editable(session):
                # Another room changed the details while something is typed here: keep the typing and the version
                # it was typed on, so storing it is refused with a message rather than overwriting their change.
                # The newer session is shown as soon as nothing is pending any more (the typing taken back).
                self._newer = (session, practitioners)
                return
            what = "voided" if session.voided else "signed"
            self.typing_dropped.emit(f"What you typed in the session's details was not saved: the session was {what}.")
        if (session.id if session else None) != (self.session.id if self.session else None):
            self._clear_status()  # what the status bar said was about the session shown before
        self.session = session
        self._newer = None
        self._loading = True
        try:
            self.form.clear_errors()
            self.form.clear_pending()
            self._refused = False
            self._pending_names = set()
            self._override_error = ""
            self._show_override_message()
            self._practitioners = fill_practitioners(self.practitioner, practitioners, session)
            if session is None:
                for line in (self.weight, self.weight_reason, self.stocking, self.override):
                    line.clear()
                self.notes.clear()
                for box in (self.consent, self.reviewed, self.nights, *self.checks.values()):
                    box.setChecked(False)
                self.amendments.hide()
                self.saved_state.setText("No session open.")
                for widget in self.editable_widgets:
                    widget.setEnabled(False)
                self.sign_button.setEnabled(False)
                return
            self.started.setDateTime(
                QDateTime.fromString(session.started_at.isoformat(timespec="seconds"), "yyyy-MM-ddTHH:mm:ss")
            )
            self.weight.setText("" if session.weight_kg is None else f"{session.weight_kg:g}")
            put_text(self.weight_reason, session.weight_reason)
            self.reviewed.setChecked(session.checklist_reviewed)
            self.ceap_right.setCurrentText(session.ceap_right)
            self.ceap_left.setCurrentText(session.ceap_left)
            self.consent.setChecked(session.consent)
            put_text(self.stocking, session.compression.stocking)
            self.hours.setValue(session.compression.continuous_hours)
            self.days.setValue(session.compression.days)
            self.nights.setChecked(session.compression.nights_too)
            self.notes.setPlainText(session.notes)
            for key, box in self.checks.items():
                box.setChecked(bool(session.checklist.get(key)))
            put_text(self.override, session.checklist_override)
            self._show_weight_check()
            draft = _editable(session)
            for widget in self.editable_widgets:
                widget.setEnabled(draft)
            self.sign_button.setEnabled(draft)
            self.sign_button.setText(
                "Sign session…" if draft else "Voided" if session.voided else f"Signed by {session.signed_by}"
            )
            self._shown = self._showing()
            self._say_saved()
        finally:
            self._loading = False

    def _show_weight_check(self) -> None:
        """The checklist's weight check follows the weight as it is typed: ticked while a weight is entered."""
        show_weight_check(self.weight_row, self.weight.text(), self.weight_reason.text())

    def _clear_status(self) -> None:
        """Take a message about an earlier state off the window's status bar (an empty tip clears it)."""
        QApplication.sendEvent(self, QStatusTipEvent(""))

    def show_amendments(self, amendments: tuple[Amendment, ...]) -> None:
        """The signed session's amendments beside it: who, when, why, what was corrected."""
        if not amendments:
            self.amendments.hide()
            return
        parts = []
        for amendment in amendments:
            lines = [
                f"<b>Amendment {amendment.number}</b>, signed by {escape(amendment.signed_by)} "
                f"on {shown_local(amendment.signed_at)}",
                f"Reason: {escape(amendment.reason)}",
            ]
            if amendment.text:
                lines.append(escape(amendment.text))
            lines.extend(escape(correction.in_words()) for correction in amendment.corrections)
            parts.append("<br>".join(lines))
        self.amendments.setText("<br><br>".join(parts))
        self.amendments.show()

    @staticmethod
    def _same_details(one: TreatmentSession, other: TreatmentSession) -> bool:
        return replace(one, version=0) == replace(other, version=0)

    def _showing(self) -> dict[str, object]:
        return {name: value() for name, value in self.typed.items()}

    def _say_saved(self) -> None:
        assert self.session is not None
        if self.session.voided_at is not None:
            self.saved_state.setText(
                f"Voided {shown_local(self.session.voided_at)} by {self.session.voided_by}: "
                f"{self.session.void_reason}. Kept as a record, left out of every total; read only."
            )
        elif self.session.state is SessionState.SIGNED:
            when = shown_local(self.session.signed_at) if self.session.signed_at else ""
            self.saved_state.setText(
                f"Signed {when} by {self.session.signed_by}: read only. A correction is an amendment "
                "(Session → Amend signed session)."
            )
        elif self.has_pending():
            self.saved_state.setText("Not saved yet: a field marked below shows a change; press Enter or Tab to save.")
            self.saved_state.setStyleSheet(PENDING_STYLE)
            return
        else:
            self.saved_state.setText("Every change is saved when you press Enter or Tab, or leave the field.")
        self.saved_state.setStyleSheet("color: #2b5d34;")

    def _show_override_message(self) -> None:
        pending = "Override reason" in self._pending_names
        text = f"Override reason: {self._override_error}" if self._override_error else NOT_SAVED_YET if pending else ""
        self.override_message.setText(text)
        self.override_message.setStyleSheet(ERROR_STYLE if self._override_error else PENDING_STYLE)
        self.override_message.setVisible(bool(text))

    # Not saved yet ------------------------------------------------------------------------------------
    def _typed(self) -> None:
        """A field changed: say beside each field whether it shows something not stored yet."""
        if self._loading or self.session is None or not _editable(self.session):
            return
        self._show_weight_check()
        showing = self._showing()
        was_pending = bool(self._pending_names)
        self._pending_names = {name for name, value in showing.items() if value != self._shown.get(name)}
        if self._pending_names and not was_pending:
            self._clear_status()  # "saved" in the status bar would now contradict "not saved yet" here
        if not self._pending_names and self._newer is not None:
            QTimer.singleShot(0, self._show_newer)  # typed back: show what is stored now (after this key)
        for name in self.typed:
            if name != "Override reason":
                self.form.set_pending(name, name in self._pending_names)
        self._show_override_message()
        if not self._refused:
            self._say_saved()

    def has_pending(self) -> bool:
        """Whether a field shows a change that is not stored yet."""
        return bool(self._pending_names)

    def commit_pending(self) -> bool:
        """Store what the fields show, as leaving the field would; False (messages shown) when it was not stored."""
        if self.session is None or not _editable(self.session):
            return True
        return self.store()

    # Storing ------------------------------------------------------------------------------------------
    def current_draft(self) -> SessionDraft:
        """The fields as a session draft; ValidationError for a weight that is not a number."""
        try:
            weight = parse_number(self.weight.text())
        except ValueError:
            raise ValidationError([FieldError("Weight", "must be a number of kg, e.g. 68.5.")]) from None
        started = self.started.dateTime().toPython()
        assert isinstance(started, dt.datetime)
        started = started.replace(second=0, microsecond=0)
        if self.session is not None and self.session.started_at.replace(second=0, microsecond=0) == started:
            started = self.session.started_at  # the field shows minutes: the same minute is the stored time
        return SessionDraft(
            practitioner_id=self.practitioner.currentData(),
            started_at=started,
            weight_kg=weight,
            ceap_right=self.ceap_right.currentText(),
            ceap_left=self.ceap_left.currentText(),
            checklist={key: True for key, box in self.checks.items() if box.isChecked()},
            checklist_override=self.override.text(),
            consent=self.consent.isChecked(),
            compression=Compression(
                stocking=self.stocking.text(),
                continuous_hours=self.hours.value(),
                days=self.days.value(),
                nights_too=self.nights.isChecked(),
            ),
            notes=self.notes.toPlainText(),
            checklist_reviewed=self.reviewed.isChecked(),
            weight_reason=self.weight_reason.text(),
            # Scored in their own dialog: kept as stored when a field of the tab is saved.
            vcss_right=self.session.vcss_right if self.session is not None else None,
            vcss_left=self.session.vcss_left if self.session is not None else None,
        )

    def store(self) -> bool:
        """Store the fields if they differ from what is stored; False (messages shown) when not allowed."""
        if self._loading or self.session is None or not _editable(self.session):
            return False
        if self._saving:  # a message about this very change took the focus from a field: not a second change
            return False
        try:
            draft = self.current_draft()
            if self._unchanged(draft):
                self._stored_as_shown()
                return True
            self._saving = True  # what comes back is shown as stored, even when it reads the same (c1 → C1)
            try:
                self.save(draft, self.session.details_version)
            finally:
                self._saving = False
        except ValidationError as error:
            rest = self.form.show_errors(error.errors)
            override = [e.message for e in rest if e.field == "Override reason"]
            self._override_error = " ".join(override)
            self._show_override_message()
            others = [str(e) for e in rest if e.field != "Override reason"]
            self._say_refused("Not saved: " + ("; ".join(others) if others else "see the field marked in red."))
            return False
        except UserError as error:
            self._say_refused(f"Not saved: {error.message} {error.hint}".strip())
            return False
        return True

    def _show_newer(self) -> None:
        """Show the details another room stored while something was typed here, once nothing is pending."""
        if self._newer is not None and not self._pending_names:
            session, practitioners = self._newer
            self.show_session(session, practitioners)

    def _stored_as_shown(self) -> None:
        """The fields show what is stored (a change was typed back, or was the same value written otherwise)."""
        self._shown = self._showing()
        self._refused = False
        if self._newer is not None:
            self._pending_names = set()
            QTimer.singleShot(0, self._show_newer)
        self._override_error = ""
        self.form.clear_errors()
        self._typed()

    def _say_refused(self, text: str) -> None:
        self._refused = True
        self._clear_status()
        self.saved_state.setText(text)
        self.saved_state.setStyleSheet(ERROR_STYLE)

    def _unchanged(self, draft: SessionDraft) -> bool:
        stored = self.session
        assert stored is not None
        ticked = {key: True for key, value in stored.checklist.items() if value}
        return draft == replace(stored.draft(), checklist=ticked)
