"""Signing with the password and the completeness list, amending a signed session, voiding and deleting drafts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from sclerochart.domain.values import SessionState, View
from sclerochart.services import accounts, sessions
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.signing_dialogs import AmendmentDialog, SignDialog
from tests.signing import PASSWORD, make_complete, signed_in
from tests.ui.helpers import DialogAnswers, click, ctx_of, press, sign_open_session, stored_session


def _labels(dialog: QDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def _password(dialog: QDialog) -> QLineEdit:
    field = next(f for f in dialog.findChildren(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password)
    return field


def test_signing_waits_for_the_required_items_and_names_them(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    signed_in(ctx_of(window))
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    seen: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        seen.append(_labels(dialog))
        assert not dialog.sign_button.isEnabled() and not dialog.password.isEnabled()
        press(dialog, QDialogButtonBox.StandardButton.Cancel)

    dialogs.answer(look)
    window.charting.session_actions.sign_action.trigger()
    assert seen and "✗ Consent" in seen[0] and "✗ Checklist" in seen[0] and "✗ Practitioner" in seen[0]
    assert "Signing waits for the items marked ✗" in seen[0]
    assert stored_session(window).session.state is SessionState.DRAFT


def test_signing_with_the_password_shows_the_signer_and_the_meaning(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    ctx = ctx_of(window)
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    make_complete(ctx, window.charting.controller.session_id)
    window.charting.controller.refresh()
    seen: list[str] = []

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        seen.append(_labels(dialog))
        dialog.password.insert("not my password")
        dialog.try_sign()
        assert dialog.isVisible(), "a wrong password keeps the dialog open"
        seen.append(dialog.message.text())
        dialog.password.insert(PASSWORD)
        dialog.try_sign()

    dialogs.answer(sign)
    window.charting.session_actions.sign_action.trigger()
    assert "Signed by:</b> Dr. Ana Müller" in seen[0] and "Signing confirms" in seen[0]
    assert "not right for Dr. Ana Müller" in seen[1]
    session = stored_session(window).session
    assert session.state is SessionState.SIGNED and session.signed_by == "Dr. Ana Müller"
    assert not window.charting.session_actions.sign_action.isEnabled()
    assert window.charting.session_actions.amend_action.isEnabled()


def test_an_amendment_is_signed_and_shown_beside_the_signed_session(
    qtbot: QtBot, window: MainWindow, dialogs: DialogAnswers
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    sign_open_session(window)

    def amend(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendmentDialog)
        dialog.try_amend()
        assert dialog.isVisible() and "Reason" in dialog.message.text()
        dialog.reason.insert("Volume misread")
        dialog.text.setPlainText("Checked against the syringe count.")
        dialog.add_row()
        _site, field_box, recorded, value = dialog.rows[0]
        field_box.setCurrentIndex(field_box.findData("volume_ml"))
        assert recorded.text() == "0.2"
        value.insert("0,1")
        dialog.password.insert(PASSWORD)
        dialog.try_amend()

    dialogs.answer(amend)
    window.charting.session_actions.amend_action.trigger()
    detail = stored_session(window)
    (amendment,) = detail.amendments
    assert amendment.reason == "Volume misread" and amendment.corrections[0].after == 0.1
    assert detail.sites[0].volume_ml == 0.2, "the session stays as it was signed"
    shown = window.charting.session_panel.amendments
    assert not shown.isHidden() and "Amendment 1" in shown.text() and "0.2 → 0.1" in shown.text()
    assert "1 amendment" in window.charting.header.text()
    model = window.charting.site_model
    assert model.data(model.index(0, 6)) == "0.2 → 0.1", "the sites table shows the correction beside the signed value"


def test_a_draft_with_sites_is_voided_with_a_reason(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    click(window.charting.canvas, View.ANTERIOR, 0, 30)
    actions = window.charting.session_actions
    assert actions.void_action.isEnabled() and not actions.delete_action.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: ("Patient felt faint; stopped", True))
    actions.void_action.trigger()
    session = stored_session(window).session
    assert session.voided and session.void_reason == "Patient felt faint; stopped"
    assert "voided" in window.charting.header.text()
    assert not window.charting.session_panel.editable_widgets[0].isEnabled()
    assert not actions.void_action.isEnabled() and not actions.sign_action.isEnabled()
    assert window.session_model.rowCount() == 1


def test_an_empty_draft_is_deleted_after_asking(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = ctx_of(window)
    session_id = window.charting.controller.session_id
    patient_id = stored_session(window).session.patient_id
    actions = window.charting.session_actions
    assert actions.delete_action.isEnabled() and not actions.void_action.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *_args, **_kw: QMessageBox.StandardButton.Yes)
    actions.delete_action.trigger()
    assert window.charting.controller.detail is None
    assert session_id not in {line.id for line in sessions.list_sessions(ctx, patient_id)}
    accounts.sign_out(ctx)
