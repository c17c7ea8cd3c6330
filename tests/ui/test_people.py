"""First start, sign-in, the automatic lock, and the practitioners list, as a clinic's staff meet them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.errors import UserError
from sclerochart.services import accounts, audit, clinic
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.first_start_dialog import FirstStartDialog
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.practitioners_dialog import AccountDialog, PractitionersDialog
from sclerochart.ui.screen_lock import Curtain
from sclerochart.ui.sign_in_dialog import SignInDialog
from sclerochart.ui.signing_dialogs import SignDialog
from tests.signing import PASSWORD
from tests.ui.helpers import ctx_of


@pytest.fixture
def front_desk(ctx: ServiceContext) -> ServiceApi:
    """The program as started by a clinician: nobody acts until someone signs in."""
    return ServiceApi(ServiceContext(ctx.db, actor="", clock=ctx.clock))


def _type(field: QLineEdit, text: str) -> None:
    field.clear()
    field.insert(text)


def test_the_first_start_sets_up_the_clinic_and_its_administrator(qtbot: QtBot, front_desk: ServiceApi) -> None:
    assert front_desk.needs_setup()
    dialog = FirstStartDialog(front_desk)
    qtbot.addWidget(dialog)
    _type(dialog.clinic_name, "Venenpraxis am Ring")
    dialog.clinic_address.setPlainText("Ringstraße 5\n1010 Wien")
    _type(dialog.clinic_phone, "+43 1 555 0100")
    dialog.paper_size.setCurrentText("Letter")
    _type(dialog.name, "Dr. Ana Müller")
    _type(dialog.credentials, "MD")
    _type(dialog.login, "ana")
    _type(dialog.password, PASSWORD)
    _type(dialog.repeat, PASSWORD + "x")
    _type(dialog.clinic_name, "Venenpraxis\u202e")
    assert not dialog.set_up()
    # Every problem at once: the passwords differ (both fields are emptied to type again) and the name hides a
    # direction override.
    assert "not the same" in dialog.person_form.message("Password again")
    assert "text-direction" in dialog.clinic_form.message("Clinic name")
    assert dialog.password.text() == dialog.repeat.text() == ""
    assert front_desk.needs_setup(), "nothing was stored"
    _type(dialog.clinic_name, "Venenpraxis am Ring")
    _type(dialog.password, PASSWORD)
    _type(dialog.repeat, PASSWORD)
    assert dialog.set_up()
    person = front_desk.signed_in()
    assert person is not None and (person.name, person.role) == ("Dr. Ana Müller", "administrator")
    stored = front_desk.load_settings()
    assert (stored.clinic_name, stored.paper_size) == ("Venenpraxis am Ring", "Letter")


def _clinic_with_nurse(ctx: ServiceContext) -> None:
    accounts.set_up_clinic(ctx, {"clinic_name": "Praxis"}, AccountDraft("Dr. Ana Müller", "ana"), PASSWORD)
    accounts.add_account(ctx, AccountDraft("Nurse Ruth Okafor", "ruth", Role.NURSE), PASSWORD)
    accounts.sign_out(ctx)


def test_sign_in_says_what_is_wrong_and_waits_after_repeated_failures(qtbot: QtBot, front_desk: ServiceApi) -> None:
    _clinic_with_nurse(front_desk.ctx)
    dialog = SignInDialog(front_desk)
    qtbot.addWidget(dialog)
    _type(dialog.login, "rut")
    _type(dialog.password, PASSWORD)
    assert not dialog.try_sign_in()
    assert "Nobody signs in as 'rut'" in dialog.message.text()
    _type(dialog.login, "Ruth")
    for _ in range(3):
        _type(dialog.password, "wrong password")
        assert not dialog.try_sign_in()
    assert "not right for Nurse Ruth Okafor" in dialog.message.text()
    assert not dialog.sign_in_button.isEnabled() and "wait 5 s" in dialog.sign_in_button.text()
    assert dialog.password.text() == "", "a refused password is not left in the field"
    assert front_desk.signed_in() is None


def test_sign_in_with_the_right_password_opens_the_way(qtbot: QtBot, front_desk: ServiceApi) -> None:
    _clinic_with_nurse(front_desk.ctx)
    dialog = SignInDialog(front_desk)
    qtbot.addWidget(dialog)
    _type(dialog.login, "ruth")
    _type(dialog.password, PASSWORD)
    assert dialog.try_sign_in()
    assert dialog.result() == QDialog.DialogCode.Accepted
    person = front_desk.signed_in()
    assert person is not None and person.login == "ruth"


@pytest.fixture
def staffed_window(qtbot: QtBot, window: MainWindow) -> Iterator[MainWindow]:
    """The charting window with Dr. Müller signed in and Nurse Ruth on the staff."""
    ctx = ctx_of(window)
    accounts.add_account(ctx, AccountDraft("Dr. Ana Müller", "ana", Role.ADMINISTRATOR), PASSWORD)
    accounts.add_account(ctx, AccountDraft("Nurse Ruth Okafor", "ruth", Role.NURSE), PASSWORD)
    accounts.sign_in(ctx, "ana", PASSWORD)
    window.people.show_who()
    yield window


def _lock_dialog() -> SignInDialog:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SignInDialog) and dialog.locked
    return dialog


def test_the_window_locks_when_idle_and_another_person_finds_the_open_work(
    qtbot: QtBot, staffed_window: MainWindow
) -> None:
    window = staffed_window
    notes = window.charting.session_panel.notes
    window.charting.tabs.setCurrentIndex(1)
    notes.setFocus()
    qtbot.keyClicks(notes, "Half-written note")
    lock = window.people.lock
    lock.timer.setInterval(30)  # the clinic's 10 minutes, shortened
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)
    curtains = window.findChildren(Curtain)
    assert curtains and curtains[0].isVisible() and curtains[0].geometry() == window.rect()
    dialog = _lock_dialog()
    assert dialog.login.text() == "ana", "the one who was at work is offered first"
    dialog.reject()  # Esc does not unlock
    assert lock.locked and "stays locked" in dialog.message.text()
    _type(dialog.login, "ruth")
    _type(dialog.password, PASSWORD)
    assert dialog.try_sign_in()
    qtbot.waitUntil(lambda: not window.findChildren(Curtain), timeout=3000)
    assert notes.toPlainText() == "Half-written note", "nothing half-entered is lost"
    assert "Nurse Ruth Okafor" in window.people.who.text()
    notes.setFocus()
    notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(notes, ", finished by the nurse")
    assert window.charting.session_panel.store()
    session_id = window.charting.controller.session_id
    updates = [e for e in audit.history(ctx_of(window), "session", session_id) if e.action == "update"]
    # What each typed is stored in their name: the note left its field, as Dr. Müller's, when the window locked.
    assert [e.actor for e in updates] == ["Dr. Ana Müller (ana)", "Nurse Ruth Okafor (ruth)"]
    assert updates[-1].after is not None and updates[-1].after["notes"] == "Half-written note, finished by the nurse"


def test_lock_now_covers_open_dialogs_too(qtbot: QtBot, staffed_window: MainWindow) -> None:
    window = staffed_window
    dialog = PractitionersDialog(window.api, window)
    qtbot.addWidget(dialog)
    dialog.show()
    window.people.lock_action.trigger()
    assert any(isinstance(child, Curtain) and child.isVisible() for child in dialog.children())
    unlock = _lock_dialog()
    _type(unlock.password, PASSWORD)
    assert unlock.try_sign_in()
    qtbot.waitUntil(lambda: not dialog.findChildren(Curtain), timeout=3000)
    assert dialog.isVisible(), "the open dialog is still there, as it was"


def test_the_administrator_adds_and_deactivates_practitioners(qtbot: QtBot, staffed_window: MainWindow) -> None:
    window = staffed_window
    dialog = PractitionersDialog(window.api, window)
    qtbot.addWidget(dialog)
    assert [row.name for row in dialog.model.people] == ["Dr. Ana Müller", "Nurse Ruth Okafor"]
    add = AccountDialog(window.api, None, dialog)
    qtbot.addWidget(add)
    _type(add.name, "Dr. 王 芳")
    _type(add.login, "ruth")
    _type(add.password, "short")
    _type(add.repeat, "short")
    assert not add.save()
    assert "at least 8" in add.form.message("Password")
    _type(add.password, PASSWORD)
    _type(add.repeat, PASSWORD)
    assert not add.save()
    assert "taken by Nurse Ruth Okafor" in add.message.text()
    _type(add.login, "fang")
    assert add.save()
    dialog.refresh()
    assert "Dr. 王 芳" in [row.name for row in dialog.model.people]
    me = next(row for row, person in enumerate(dialog.model.people) if person.login == "ana")
    dialog.table.selectRow(me)
    dialog.toggle_active()
    assert "only administrator" in dialog.message.text()
    ruth = next(row for row, person in enumerate(dialog.model.people) if person.login == "ruth")
    dialog.table.selectRow(ruth)
    dialog.toggle_active()
    assert "deactivated" in dialog.message.text()
    assert "Nurse Ruth Okafor" not in [p.name for p in window.api.list_practitioners()]


def test_a_nurse_is_not_offered_the_practitioners_and_the_settings_refuse_her(
    qtbot: QtBot, staffed_window: MainWindow
) -> None:
    window = staffed_window
    ctx = ctx_of(window)
    accounts.sign_in(ctx, "ruth", PASSWORD)
    window.people.show_who()
    assert not window.people.practitioners_action.isEnabled()
    with pytest.raises(Exception, match="Only an administrator"):
        clinic.change_setting(ctx, "clinic_name", "Another name")


def test_while_locked_nothing_asks_or_opens_a_box_over_the_covered_window(
    qtbot: QtBot, staffed_window: MainWindow, warnings: list[str]
) -> None:
    window = staffed_window
    window.people.lock.lock()
    assert window.charting.quiet
    assert window.charting._confirm_over_limit((), "place the site") is None, "no question about a limit while locked"
    window.show_error(UserError("A change was refused.", "Look at it."))
    assert warnings == [], "no message box over the covered window"
    assert "A change was refused." in window.statusBar().currentMessage()
    unlock = _lock_dialog()
    _type(unlock.password, PASSWORD)
    assert unlock.try_sign_in()
    assert not window.charting.quiet


def test_a_signature_left_open_is_closed_when_another_person_unlocks(qtbot: QtBot, staffed_window: MainWindow) -> None:
    window = staffed_window
    detail = window.charting.controller.detail
    assert detail is not None
    signed: list[str] = []
    dialog = SignDialog(detail, (), window.api.signed_in(), "now", lambda password: signed.append(password), window)
    qtbot.addWidget(dialog)
    dialog.show()
    window.people.lock_action.trigger()
    unlock = _lock_dialog()
    _type(unlock.login, "ruth")
    _type(unlock.password, PASSWORD)
    assert unlock.try_sign_in()
    assert not dialog.isVisible() and signed == [], "nobody signs under the name the dialog showed"
