"""Practitioner accounts: the clinic's first set-up, adding and changing people, passwords, and signing in.

Passwords are kept only as argon2id hashes (argon2-cffi). Wrong passwords in a row are counted in the
database, so the wait that follows them holds in every room and after a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sclerochart import paths, settings
from sclerochart.domain import accounts
from sclerochart.domain.accounts import AccountDraft, Role, WaitBeforeTrying, WrongPassword
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.values import Practitioner
from sclerochart.services import audit, clinic, mapping
from sclerochart.services.context import ServiceContext, SignInNeeded, require_administrator
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PractitionerRow
from sclerochart.store.repositories import accounts as account_repo
from sclerochart.store.repositories import catalogue as catalogue_repo

_HASHER = PasswordHasher()
"""argon2id with the library's defaults (RFC 9106's second recommended profile): about 0.1 s a hash."""

PASSWORD_VARIABLE = paths.PASSWORD_VARIABLE
"""Where a script gives the password of `--user` (the command asks for it otherwise)."""

__all__ = ["PASSWORD_VARIABLE", "WaitBeforeTrying", "WrongPassword"]


def needs_setup(ctx: ServiceContext) -> bool:
    """True while no active administrator can sign in: the program then asks for the clinic and its first one."""
    with ctx.db.read() as tx:
        return account_repo.active_administrators(tx) == 0


def set_up_clinic(
    ctx: ServiceContext, clinic_values: Mapping[str, Any], administrator: AccountDraft, password: str
) -> Practitioner:
    """Store the clinic's details and its first administrator in one change, and sign that person in.

    Raises:
        ConflictError: the clinic is set up already (another room may just have done it).
        ValidationError: a value is not allowed; nothing was saved.
    """
    errors: list[FieldError] = []
    draft, secret = administrator, password
    try:
        draft = accounts.validate_account(
            AccountDraft(administrator.name, administrator.login, Role.ADMINISTRATOR, administrator.credentials)
        )
    except ValidationError as error:
        errors.extend(error.errors)
    try:
        secret = accounts.validate_password(password)
    except ValidationError as error:
        errors.extend(error.errors)
    for key, value in clinic_values.items():  # every problem at once, before anything is stored
        try:
            settings.with_value(settings.ClinicSettings(), key, value)
        except ValidationError as error:
            errors.extend(error.errors)
    if errors:
        raise ValidationError(errors)
    password_hash = _HASHER.hash(secret)
    try:
        with ctx.db.write() as tx:
            clinic.lock_settings(tx)
            if account_repo.active_administrators(tx):
                raise ConflictError(
                    "This clinic is set up already: it has an administrator.",
                    "Sign in, or ask the administrator to add you.",
                )
            _refuse_taken_login(tx, draft.login, except_id=None)
            row = PractitionerRow(
                name=draft.name, credentials=draft.credentials, active=True, login=draft.login,
                role=Role.ADMINISTRATOR.value, password_hash=password_hash, version=1, failed_sign_ins=0,
            )  # fmt: skip
            tx.add(row)
            tx.flush()
            person = mapping.practitioner(row)
            ctx.seat.person = person  # the set-up's events name the administrator it makes
            audit.record(tx, ctx, "create", "practitioner", row.id, None, person)
            clinic.write_values(tx, ctx, clinic_values)
            clinic.bump_settings_version(tx, ctx)
    except BaseException:
        ctx.seat.person = None  # nothing was stored (the commit too may fail): nobody is signed in
        raise
    return person


def list_accounts(ctx: ServiceContext, *, include_inactive: bool = True) -> tuple[Practitioner, ...]:
    """The clinic's practitioners by name (deactivated ones too, unless asked not to)."""
    with ctx.db.read() as tx:
        rows = catalogue_repo.practitioner_rows(tx, include_inactive=include_inactive)
        return tuple(mapping.practitioner(row) for row in rows)


def add_account(ctx: ServiceContext, draft: AccountDraft, password: str) -> Practitioner:
    """Add a practitioner who signs in with `password`; only an administrator may; audited.

    Raises:
        ConflictError: the sign-in name is taken.
        ValidationError: a field or the password is not allowed.
    """
    require_administrator(ctx, "add practitioners")
    errors: list[FieldError] = []
    try:
        clean = accounts.validate_account(draft)
    except ValidationError as error:
        errors.extend(error.errors)
    try:
        secret = accounts.validate_password(password)
    except ValidationError as error:
        errors.extend(error.errors)
    if errors:
        raise ValidationError(errors)
    password_hash = _HASHER.hash(secret)
    with ctx.db.write() as tx:
        _refuse_taken_login(tx, clean.login, except_id=None)
        row = PractitionerRow(
            name=clean.name, credentials=clean.credentials, active=True, login=clean.login, role=clean.role.value,
            password_hash=password_hash, version=1, failed_sign_ins=0,
        )  # fmt: skip
        tx.add(row)
        tx.flush()
        created = mapping.practitioner(row)
        audit.record(tx, ctx, "create", "practitioner", row.id, None, created)
    return created


def edit_account(ctx: ServiceContext, practitioner_id: int, draft: AccountDraft, expected_version: int) -> Practitioner:
    """Change a practitioner's name, credentials, role or sign-in name as seen at `expected_version`; audited.

    Raises:
        ConflictError: the sign-in name is taken, or the last administrator would lose the role.
        StaleError: another room changed this person meanwhile.
    """
    require_administrator(ctx, "change practitioners")
    clean = accounts.validate_account(draft)
    with ctx.db.write() as tx:
        account_repo.lock_administrators(tx)  # first, always: two rooms lock in the same order, never crosswise
        row = _locked(tx, ctx, practitioner_id, expected_version)
        _refuse_taken_login(tx, clean.login, except_id=row.id)
        if row.role == Role.ADMINISTRATOR.value and clean.role is not Role.ADMINISTRATOR:
            _refuse_last_administrator(tx, row, "stop being an administrator")
        before = mapping.practitioner(row)
        row.name, row.credentials, row.login, row.role = clean.name, clean.credentials, clean.login, clean.role.value
        after = _saved(tx, ctx, row, before)
    return after


def set_active(ctx: ServiceContext, practitioner_id: int, active: bool, expected_version: int) -> Practitioner:
    """Deactivate (never delete) or reactivate a practitioner; a deactivated one cannot sign in; audited.

    Raises:
        ConflictError: this is the last active administrator.
    """
    require_administrator(ctx, "deactivate or reactivate practitioners")
    with ctx.db.write() as tx:
        account_repo.lock_administrators(tx)  # first, always: two rooms lock in the same order, never crosswise
        row = _locked(tx, ctx, practitioner_id, expected_version)
        if row.active == active:
            return mapping.practitioner(row)
        if not active and row.role == Role.ADMINISTRATOR.value:
            _refuse_last_administrator(tx, row, "be deactivated")
        before = mapping.practitioner(row)
        row.active = active
        after = _saved(tx, ctx, row, before)
    return after


def set_password(
    ctx: ServiceContext, practitioner_id: int, new_password: str, *, current_password: str | None = None
) -> Practitioner:
    """Set a practitioner's password: one's own with the current one, anyone's by an administrator; audited.

    The hash never enters the audit trail; the event says only that the password was changed.

    Raises:
        WrongPassword: `current_password` does not match.
        NotAllowed: someone other than the person or an administrator asks.
    """
    secret = accounts.validate_password(new_password, field="New password")
    person = ctx.person
    if person is None or person.id != practitioner_id:
        require_administrator(ctx, "set another person's password")
    else:
        check_password(ctx, person.login, current_password or "")
    password_hash = _HASHER.hash(secret)
    with ctx.db.write() as tx:
        row = account_repo.locked(tx, practitioner_id)
        if row is None:
            raise NotFoundError(f"No practitioner with the number {practitioner_id} is stored.")
        row.password_hash = password_hash
        row.failed_sign_ins = 0
        row.version += 1
        tx.flush()
        audit.record(tx, ctx, "password", "practitioner", row.id, {"password": "old"}, {"password": "new"})
        return mapping.practitioner(row)


def sign_in(ctx: ServiceContext, login: str, password: str) -> Practitioner:
    """Check the sign-in name and password and make that person the one acting here; audited.

    Raises:
        NotFoundError: nobody signs in with that name.
        ConflictError: the person is deactivated or has no password.
        WaitBeforeTrying: too many wrong passwords in a row; the message says how long to wait.
        WrongPassword: the password does not match (counted).
    """
    person = check_password(ctx, login, password)
    previous = ctx.seat.person
    ctx.seat.person = person
    if ctx.db.read_only:
        return person  # a database that cannot be written keeps no trail of this sign-in
    try:
        with ctx.db.write() as tx:
            audit.record(tx, ctx, "sign-in", "practitioner", person.id)
    except BaseException:
        ctx.seat.person = previous
        raise
    return person


def sign_out(ctx: ServiceContext) -> None:
    """Nobody acts here until someone signs in."""
    ctx.seat.person = None


def confirm_password(ctx: ServiceContext, password: str) -> Practitioner:
    """The signed-in practitioner, when `password` is theirs (a signature's second component).

    Raises:
        SignInNeeded: nobody is signed in.
        WrongPassword, WaitBeforeTrying: as for signing in.
    """
    person = ctx.signed_in()
    return check_password(ctx, person.login, password)


def check_password(ctx: ServiceContext, login: str, password: str) -> Practitioner:
    """The practitioner whose sign-in name and password these are; a wrong password is counted and waits.

    Raises:
        SignInNeeded: no sign-in name was given.
        NotFoundError, ConflictError, WaitBeforeTrying, WrongPassword: see sign_in.
    """
    folded = accounts.fold_login(login)
    if not folded:
        raise SignInNeeded("Type your sign-in name.", "It is the short name the administrator gave you.")
    if ctx.db.read_only:
        return _check_without_counting(ctx, folded, login, password)
    now = ctx.utc_now()
    # The try is counted before the password is compared, under the row's lock: tries made at once (scripts in
    # parallel) take turns and each meets the wait the ones before it earned.
    with ctx.db.write() as tx:
        row = account_repo.by_login(tx, folded, lock=True)
        if row is None:
            raise NotFoundError(
                f"Nobody signs in as {login.strip()!r} here.",
                "Check the sign-in name (not the full name), or ask the administrator to add you.",
            )
        if not row.active:
            raise ConflictError(
                f"{row.name} is deactivated and cannot sign in.", "Ask the administrator to reactivate the account."
            )
        if not row.password_hash:
            raise ConflictError(f"{row.name} has no password yet.", "Ask the administrator to set one.")
        _refuse_while_waiting(row, now)
        row.failed_sign_ins += 1
        row.last_failed_at = now
        failures = row.failed_sign_ins
        stored_hash, person = row.password_hash, mapping.practitioner(row)
    if _matches(stored_hash, password):
        _after_good_password(ctx, person.id, stored_hash, password)
        return person
    _record_failure(ctx, person.id, failures)
    wait = accounts.wait_after(failures)
    then = f" Wait {wait} seconds before the next try." if wait else ""
    raise WrongPassword(
        f"The password is not right for {person.name}.{then}",
        "Type it again (is Caps Lock on?). An administrator can set a new one.",
        wait,
    )


def _check_without_counting(ctx: ServiceContext, folded: str, login: str, password: str) -> Practitioner:
    """Check a password where nothing can be written (a read-only disk): no try is counted, nothing recorded."""
    with ctx.db.read() as tx:
        row = account_repo.by_login(tx, folded, lock=False)
        if row is None or not row.active or not row.password_hash:
            raise NotFoundError(
                f"Nobody who may sign in signs in as {login.strip()!r} here.", "Check the sign-in name."
            )
        stored_hash, person = row.password_hash, mapping.practitioner(row)
    if not _matches(stored_hash, password):
        raise WrongPassword(f"The password is not right for {person.name}.", "Type it again (is Caps Lock on?).", 0)
    return person


def _matches(stored_hash: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(stored_hash, accounts.normal_password(password)))
    except (VerificationError, InvalidHashError):
        return False


def _refuse_while_waiting(row: PractitionerRow, now: dt.datetime) -> None:
    wait = accounts.wait_after(row.failed_sign_ins)
    if not wait or row.last_failed_at is None:
        return
    left = int((row.last_failed_at + dt.timedelta(seconds=wait) - now).total_seconds() + 0.999)
    if left > 0:
        raise WaitBeforeTrying(
            f"Too many wrong passwords for {row.name} in a row.",
            f"Wait {left} seconds, then try again. An administrator can set a new password.",
            left,
        )


def _record_failure(ctx: ServiceContext, practitioner_id: int, failures: int) -> None:
    with ctx.db.write() as tx:
        row = account_repo.locked(tx, practitioner_id)
        if row is None:
            return
        label = f"{row.name} ({row.login}), wrong password"
        _record_as(tx, ctx, label, "sign-in refused", row.id, {"failed_sign_ins": failures})


def _after_good_password(ctx: ServiceContext, practitioner_id: int, stored_hash: str, password: str) -> None:
    rehash = _HASHER.check_needs_rehash(stored_hash)
    with ctx.db.write() as tx:
        row = account_repo.locked(tx, practitioner_id)
        if row is None:
            return
        row.failed_sign_ins = 0  # the try counted before the comparison, and any wrong ones before it
        if rehash:
            row.password_hash = _HASHER.hash(accounts.normal_password(password))


def _record_as(tx: UnitOfWork, ctx: ServiceContext, label: str, action: str, entity_id: int, after: Any) -> None:
    """An audit event of something done before anyone signed in (a refused sign-in names who was tried)."""
    stand_in = type(ctx)(ctx.db, label, clock=ctx.clock, room=ctx.room, origin=ctx.origin)
    audit.record(tx, stand_in, action, "practitioner", entity_id, None, after)


def _locked(tx: UnitOfWork, ctx: ServiceContext, practitioner_id: int, expected_version: int) -> PractitionerRow:
    row = account_repo.locked(tx, practitioner_id)
    if row is None:
        raise NotFoundError(f"No practitioner with the number {practitioner_id} is stored.")
    require_version(
        tx,
        ctx,
        what=f"{row.name}'s account",
        entity="practitioner",
        entity_id=row.id,
        stored=row.version,
        expected=expected_version,
        shows="The list now shows what is stored.",
    )
    return row


def _saved(tx: UnitOfWork, ctx: ServiceContext, row: PractitionerRow, before: Practitioner) -> Practitioner:
    row.version += 1
    tx.flush()
    after = mapping.practitioner(row)
    audit.record(tx, ctx, "update", "practitioner", row.id, before, after)
    if ctx.person is not None and ctx.person.id == row.id:
        ctx.seat.person = after
    return after


def _refuse_taken_login(tx: UnitOfWork, login: str, *, except_id: int | None) -> None:
    other = account_repo.by_login(tx, login)
    if other is not None and other.id != except_id:
        raise ConflictError(
            f"The sign-in name {login!r} is taken by {other.name}.", "Choose another sign-in name; nothing was saved."
        )


def _refuse_last_administrator(tx: UnitOfWork, row: PractitionerRow, what: str) -> None:
    if account_repo.active_administrators(tx) <= 1:
        raise ConflictError(
            f"{row.name} is the clinic's only administrator and cannot {what}.",
            "Make another person an administrator first; nothing was changed.",
        )
