"""What is done to a whole session once charting is over: sign it, amend it, void or delete a draft, read its trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from sclerochart.domain.accounts import PasswordRefused
from sclerochart.domain.errors import UserError, ValidationError
from sclerochart.domain.signing import AmendmentDraft, corrected_sites
from sclerochart.domain.values import SessionState
from sclerochart.readmodels import Changes, SessionDetail
from sclerochart.ui.field_form import unsaved_value_error
from sclerochart.ui.signing_dialogs import AmendmentDialog, SignDialog

if TYPE_CHECKING:
    from sclerochart.ui.charting_screen import ChartingScreen


def _sites(count: int) -> str:
    return f"{count} injection site{'s' if count != 1 else ''}"


class SessionActions(QObject):
    """The Session menu's sign, amend, void, delete and audit-trail entries, enabled as the open session allows."""

    def __init__(self, screen: ChartingScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.controller = screen.controller
        self.api = screen.api
        self.sign_action = self._action(
            "Si&gn session…", self.sign, "Sign the open session with your password: afterwards it cannot change."
        )
        self.amend_action = self._action(
            "&Amend signed session…",
            self.amend,
            "Add a signed correction to a signed session; the session stays as it was signed.",
        )
        self.void_action = self._action(
            "&Void session…",
            self.void,
            "Set a session with sites aside (started in error, treatment stopped): it is kept, marked, not counted.",
        )
        self.delete_action = self._action(
            "Delete &empty session…", self.delete_empty, "Delete a session started by mistake that holds no sites."
        )
        self.trail_action = self._action(
            "Session's audit &trail…", self.show_trail, "Who did what to this session and when."
        )
        self.windows: list[QWidget] = []
        self.update_enabled(None)

    def _action(self, text: str, slot: object, tip: str) -> QAction:
        action = QAction(text, self.screen)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def update_enabled(self, detail: SessionDetail | None) -> None:
        """Offer what the open session allows: a draft is signed, voided or deleted; a signed one amended."""
        session = detail.session if detail is not None else None
        draft = session is not None and session.state is SessionState.DRAFT and not session.voided
        self.sign_action.setEnabled(draft)
        self.void_action.setEnabled(draft and detail is not None and bool(detail.sites))
        self.delete_action.setEnabled(draft and detail is not None and not detail.sites)
        self.amend_action.setEnabled(session is not None and session.state is SessionState.SIGNED)
        self.trail_action.setEnabled(session is not None)

    def _now(self) -> str:
        return f"{self.api.clock():%d.%m.%Y %H:%M}"

    def sign(self) -> None:
        """Check the completeness list and sign with the password typed again."""
        detail = self.controller.detail
        if detail is None:
            return
        if not self.screen.commit_pending():
            self.controller.failed.emit(unsaved_value_error("The session was not signed"))
            return
        detail = self.controller.detail  # as stored now, with what was still being typed
        if detail is None or detail.session.state is not SessionState.DRAFT or detail.session.voided:
            self.controller.message.emit("This session is signed or voided already; it can no longer be changed.")
            return
        try:
            gaps = self.api.signing_gaps(detail.session.id)
        except UserError as error:
            self.controller.failed.emit(error)
            return
        version = detail.session.version
        # What was shown when the signature was asked for is what is signed: a change another room made while the
        # dialog was open refuses the signature.
        dialog = SignDialog(
            detail,
            gaps,
            self.api.signed_in(),
            self._now(),
            lambda password: self.sign_with(password, version),
            self.screen,
        )
        dialog.exec()

    def sign_with(self, password: str, seen_version: int) -> UserError | None:
        """Sign the open session as it was shown, as the signed-in practitioner; None when signed, else why not.

        A password refused is only returned (the signing dialog asks again); any other refusal also shows what
        is stored and says why, as every refused change does.

        Args:
            password: the signer's password, typed again (the signature's second component).
            seen_version: the session's version when the signature was asked for.
        """
        controller = self.controller
        if controller.detail is None:
            return UserError("No session is open.")
        try:
            signed = self.api.sign_session(controller.session_id, seen_version, password)
        except PasswordRefused as error:
            return error
        except UserError as error:
            controller.refused(error)
            return error
        controller.undo_stack.clear()
        controller.refresh()
        controller.changed.emit(Changes(sessions=frozenset({controller.session_id})))
        controller.message.emit(f"Session signed by {signed.signed_by}. It can no longer be changed; amend to correct.")
        return None

    def amend(self) -> None:
        """Write a signed amendment to the open signed session."""
        detail = self.controller.detail
        if detail is None or detail.session.state is not SessionState.SIGNED:
            return
        session_id = detail.session.id

        def store(draft: AmendmentDraft, password: str) -> UserError | None:
            try:
                amendment = self.api.amend_session(session_id, draft, password)
            except UserError as error:
                return error
            self.controller.refresh()
            self.controller.changed.emit(Changes(sessions=frozenset({session_id})))
            self.controller.message.emit(f"Amendment {amendment.number} signed by {amendment.signed_by}.")
            return None

        current = corrected_sites(detail.sites, detail.amendments)
        AmendmentDialog(detail, current, self.api.signed_in(), self._now(), store, self.screen).exec()

    def void(self) -> None:
        """Set the open draft aside with a reason (it is kept, marked and left out of totals)."""
        detail = self.controller.detail
        if detail is None or not self.screen.commit_pending():
            return
        detail = self.controller.detail
        if detail is None:
            return
        question = (
            f"The session of {detail.session.started_at:%d.%m.%Y %H:%M} with {_sites(len(detail.sites))} will be "
            "kept and marked voided, left out of every total and of the daily limit, and can no longer be changed."
            "\n\nWhy is it voided? (required)"
        )
        reason = ""
        while True:
            reason, accepted = QInputDialog.getText(self.screen, "Void session", question, text=reason)
            if not accepted:
                return
            try:
                self.api.void_session(detail.session.id, reason, detail.session.version)
                break
            except ValidationError as error:  # no reason given: ask again, with what was wrong
                question = f"{error.errors[0].field} {error.errors[0].message}\n\nWhy is it voided? (required)"
            except UserError as error:
                self.controller.refresh()
                self.controller.failed.emit(error)
                return
        self.controller.undo_stack.clear()
        self.controller.refresh()
        self.controller.changed.emit(Changes(sessions=frozenset({detail.session.id})))
        self.controller.message.emit("Session voided: kept as a record, left out of every total.")

    def delete_empty(self) -> None:
        """Delete the open draft when it holds no sites (started by mistake)."""
        detail = self.controller.detail
        if detail is None:
            return
        answer = QMessageBox.question(
            self.screen,
            "Delete empty session",
            f"Delete the session of {detail.session.started_at:%d.%m.%Y %H:%M}? It holds no injection sites. "
            "The audit trail keeps a note that it was deleted.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        session_id = detail.session.id
        try:
            self.api.delete_empty_draft(session_id, detail.session.version)
        except UserError as error:
            self.controller.refresh()
            self.controller.failed.emit(error)
            return
        self.controller.close_session()
        patient = frozenset({detail.session.patient_id})
        self.controller.changed.emit(Changes(sessions=frozenset({session_id}), session_patients=patient))
        self.controller.message.emit("The empty session was deleted.")

    def show_trail(self) -> None:
        """The open session's audit trail in a window of its own."""
        detail = self.controller.detail
        if detail is None:
            return
        title = f"Session of {detail.session.started_at:%d.%m.%Y %H:%M}"
        from sclerochart.ui.audit_window import AuditWindow  # here: it loads ReportLab, which start-up need not

        try:
            window = AuditWindow(
                self.api, entity="session", entity_id=detail.session.id, title=title, parent=self.screen
            )
        except UserError as error:
            self.controller.failed.emit(error)
            return
        self.windows = [w for w in self.windows if w.isVisible()] + [window]
        window.show()
