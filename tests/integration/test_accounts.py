"""Practitioner accounts on both engines: first set-up, adding and changing people, passwords, signing in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.errors import ConflictError, NotFoundError, StaleError, ValidationError
from sclerochart.services import accounts, audit, clinic, patients, sessions
from sclerochart.services.accounts import WaitBeforeTrying, WrongPassword
from sclerochart.services.context import NotAllowed, ServiceContext, SignInNeeded
from tests.conftest import patient_draft

PASSWORD = "correct horse battery"
CLINIC = {"clinic_name": "Venenzentrum Süd", "clinic_address": "Hauptstraße 1", "clinic_phone": "+43 1 234 56"}


@pytest.fixture
def person_ctx(ctx: ServiceContext) -> ServiceContext:
    """The program as a clinician uses it: it acts for nobody until someone signs in."""
    return ServiceContext(ctx.db, actor="", clock=ctx.clock, room="Room 1")


@pytest.fixture
def admin(person_ctx: ServiceContext) -> ServiceContext:
    """A clinic set up by its first administrator, who is signed in."""
    accounts.set_up_clinic(person_ctx, CLINIC, AccountDraft("Dr. Ana Müller", "Ana", credentials="MD"), PASSWORD)
    return person_ctx


def test_a_new_clinic_needs_its_first_administrator_and_gets_it_once(person_ctx: ServiceContext) -> None:
    assert accounts.needs_setup(person_ctx)
    with pytest.raises(SignInNeeded):
        patients.create_patient(person_ctx, patient_draft())
    first = accounts.set_up_clinic(person_ctx, CLINIC, AccountDraft("Dr. Ana Müller", "Ana"), PASSWORD)
    assert (first.role, first.login, first.can_sign_in) == ("administrator", "ana", True)
    assert person_ctx.person == first
    assert clinic.load_settings(person_ctx).clinic_name == "Venenzentrum Süd"
    assert not accounts.needs_setup(person_ctx)
    with pytest.raises(ConflictError, match="set up already"):
        accounts.set_up_clinic(person_ctx, CLINIC, AccountDraft("Mallory", "mallory"), PASSWORD)
    trail = audit.history(person_ctx, "practitioner", first.id)
    assert trail[0].actor == "Dr. Ana Müller (ana)"


def test_a_set_up_with_a_bad_value_stores_nothing(person_ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.set_up_clinic(
            person_ctx, {"clinic_name": "\u202eevil"}, AccountDraft("Dr. Ana Müller", "ana"), PASSWORD
        )
    assert caught.value.for_field("Clinic name")
    assert accounts.needs_setup(person_ctx) and person_ctx.person is None
    assert accounts.list_accounts(person_ctx) == ()


def test_audit_events_name_the_signed_in_practitioner_and_store_utc(admin: ServiceContext) -> None:
    patient = patients.create_patient(admin, patient_draft())
    (event,) = audit.history(admin, "patient", patient.id)
    assert event.actor == "Dr. Ana Müller (ana)"
    local = admin.clock()
    assert event.at == local.astimezone(dt.UTC).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("draft", "password", "field"),
    [
        (AccountDraft("", "nurse"), PASSWORD, "Name"),
        (AccountDraft("\u200b\u200b", "nurse"), PASSWORD, "Name"),
        (AccountDraft("Ruth\x00", "nurse"), PASSWORD, "Name"),
        (AccountDraft("Ruth \u202eredaeL", "nurse"), PASSWORD, "Name"),
        (AccountDraft("Ruth", ""), PASSWORD, "Sign-in name"),
        (AccountDraft("Ruth", "ruth smith"), PASSWORD, "Sign-in name"),
        (AccountDraft("Ruth", "ruth"), "", "Password"),
        (AccountDraft("Ruth", "ruth"), "x", "Password"),
        (AccountDraft("Ruth", "ruth"), "short", "Password"),
    ],
)
def test_bad_account_input_names_the_field_and_stores_nothing(
    admin: ServiceContext, draft: AccountDraft, password: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.add_account(admin, draft, password)
    assert caught.value.for_field(field), caught.value
    assert len(accounts.list_accounts(admin)) == 1


def test_names_in_any_script_and_non_latin_passwords_work(admin: ServiceContext) -> None:
    added = accounts.add_account(admin, AccountDraft("محمد الأحمد", "Mohammed", Role.PHYSICIAN), "كلمة-السر-٢٠٢٦")
    other = ServiceContext(admin.db, actor="", clock=admin.clock)
    # The same letters typed decomposed (NFD) are the same password.
    import unicodedata

    accounts.add_account(admin, AccountDraft("Zoë Šimůnek", "zoe", Role.NURSE), "heslo-Žluťoučký")
    assert accounts.sign_in(other, "MOHAMMED", "كلمة-السر-٢٠٢٦").id == added.id
    assert accounts.sign_in(other, "zoe", unicodedata.normalize("NFD", "heslo-Žluťoučký")).name == "Zoë Šimůnek"


def test_a_sign_in_name_is_taken_once_whatever_its_case(admin: ServiceContext) -> None:
    with pytest.raises(ConflictError, match=r"taken by Dr\. Ana Müller"):
        accounts.add_account(admin, AccountDraft("Anna Other", "ANA"), PASSWORD)


def test_sign_in_refusals_are_clear_and_wrong_passwords_slow_down(admin: ServiceContext) -> None:
    nurse = accounts.add_account(admin, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)
    room = ServiceContext(admin.db, actor="", clock=admin.clock, room="Room 2")
    with pytest.raises(NotFoundError, match="Nobody signs in as 'rut'"):
        accounts.sign_in(room, "rut", PASSWORD)
    for _ in range(2):
        with pytest.raises(WrongPassword, match="not right for Nurse Ruth"):
            accounts.sign_in(room, "ruth", "wrong password")
    with pytest.raises(WrongPassword, match="Wait 5 seconds"):
        accounts.sign_in(room, "ruth", "wrong password")
    with pytest.raises(WaitBeforeTrying) as caught:
        accounts.sign_in(room, "ruth", PASSWORD)  # even the right one waits
    assert caught.value.seconds == 5
    admin.clock.now += dt.timedelta(seconds=6)  # type: ignore[attr-defined]
    assert accounts.sign_in(room, "ruth", PASSWORD).id == nurse.id
    refused = [e for e in audit.history(admin, "practitioner", nurse.id) if e.action == "sign-in refused"]
    assert len(refused) == 3 and refused[0].actor == "Nurse Ruth (ruth), wrong password"
    current = next(p for p in accounts.list_accounts(admin) if p.id == nurse.id)
    accounts.set_active(admin, nurse.id, False, current.version)
    with pytest.raises(ConflictError, match="deactivated"):
        accounts.sign_in(room, "ruth", PASSWORD)


def test_the_last_administrator_cannot_leave_and_only_administrators_manage(admin: ServiceContext) -> None:
    me = admin.signed_in()
    with pytest.raises(ConflictError, match="only administrator"):
        accounts.set_active(admin, me.id, False, me.version)
    with pytest.raises(ConflictError, match="only administrator"):
        accounts.edit_account(admin, me.id, AccountDraft(me.name, me.login, Role.PHYSICIAN), me.version)
    nurse = accounts.add_account(admin, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)
    room = ServiceContext(admin.db, actor="", clock=admin.clock)
    accounts.sign_in(room, "ruth", PASSWORD)
    with pytest.raises(NotAllowed, match="Only an administrator"):
        accounts.add_account(room, AccountDraft("Someone", "someone"), PASSWORD)
    with pytest.raises(NotAllowed):
        clinic.change_setting(room, "clinic_name", "Another name")
    with pytest.raises(NotAllowed):
        accounts.set_password(room, me.id, "a new password")
    # A nurse changes her own password with the current one.
    with pytest.raises(WrongPassword):
        accounts.set_password(room, nurse.id, "a new password", current_password="not it")
    accounts.set_password(room, nurse.id, "a new password", current_password=PASSWORD)
    accounts.sign_in(ServiceContext(admin.db, actor=""), "ruth", "a new password")
    assert "password" not in str(audit.history(admin, "practitioner", nurse.id)[-1].after).replace("password", "", 1)


def test_an_account_changed_in_another_room_refuses_the_stale_change(admin: ServiceContext) -> None:
    nurse = accounts.add_account(admin, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)
    accounts.edit_account(admin, nurse.id, AccountDraft("Nurse Ruth Okafor", "ruth", Role.NURSE), nurse.version)
    with pytest.raises(StaleError, match=r"changed by Dr\. Ana Müller"):
        accounts.set_active(admin, nurse.id, False, nurse.version)


def test_a_new_session_takes_the_signed_in_practitioner_and_lists_hold_active_people(admin: ServiceContext) -> None:
    nurse = accounts.add_account(admin, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)
    room = ServiceContext(admin.db, actor="", clock=admin.clock)
    accounts.sign_in(room, "ruth", PASSWORD)
    patient = patients.create_patient(room, patient_draft())
    assert sessions.start_session(room, patient.id).practitioner_id == nurse.id
    accounts.set_active(admin, nurse.id, False, nurse.version)
    from sclerochart.services import catalogue

    assert nurse.id not in {p.id for p in catalogue.list_practitioners(admin)}
    assert nurse.id in {p.id for p in accounts.list_accounts(admin)}


def test_passwords_are_stored_only_as_argon2_hashes(admin: ServiceContext) -> None:
    with admin.db.engine.connect() as connection:
        (stored,) = connection.execute(text("SELECT password_hash FROM practitioners")).scalars()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_someone_deactivated_in_another_room_can_change_nothing_more(admin: ServiceContext) -> None:
    second = accounts.add_account(admin, AccountDraft("Dr. Bo Lind", "bo", Role.ADMINISTRATOR), PASSWORD)
    room = ServiceContext(admin.db, actor="", clock=admin.clock, room="Room 2")
    accounts.sign_in(room, "bo", PASSWORD)
    me = admin.signed_in()
    accounts.set_active(room, me.id, False, me.version)  # Dr. Lind deactivates Dr. Müller, still signed in here
    with pytest.raises(SignInNeeded, match="was deactivated"):
        patients.create_patient(admin, patient_draft())
    assert admin.person is None, "the deactivated person is no longer the one acting here"
    with pytest.raises(SignInNeeded):
        accounts.add_account(admin, AccountDraft("Eve", "eve", Role.ADMINISTRATOR), PASSWORD)
    assert sorted(p.login for p in accounts.list_accounts(admin)) == ["ana", "bo"]
    accounts.edit_account(room, second.id, AccountDraft("Dr. Bo Lind", "bo", Role.ADMINISTRATOR), second.version)


def test_an_administrator_demoted_elsewhere_manages_nothing_more(admin: ServiceContext) -> None:
    accounts.add_account(admin, AccountDraft("Dr. Bo Lind", "bo", Role.ADMINISTRATOR), PASSWORD)
    room = ServiceContext(admin.db, actor="", clock=admin.clock, room="Room 2")
    accounts.sign_in(room, "bo", PASSWORD)
    me = admin.signed_in()
    accounts.edit_account(room, me.id, AccountDraft(me.name, me.login, Role.PHYSICIAN), me.version)
    with pytest.raises(NotAllowed, match="signed in as physician"):
        accounts.add_account(admin, AccountDraft("Eve", "eve", Role.ADMINISTRATOR), PASSWORD)
