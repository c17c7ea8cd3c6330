"""Practitioner accounts: roles, sign-in names, password rules and the wait after wrong passwords."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sclerochart.domain.errors import FieldError, UserError, ValidationError
from sclerochart.domain.validation import clean_text, name_problem

NAME_MAX = 100
CREDENTIALS_MAX = 100
LOGIN_MAX = 40
PASSWORD_MIN = 8
PASSWORD_MAX = 200
FREE_FAILURES = 3
"""Wrong passwords in a row that cost nothing; each further one waits longer."""
LONGEST_WAIT_SECONDS = 60


class PasswordRefused(UserError):
    """A password that was not accepted; `seconds` is how long the next try must wait (0: at once)."""

    def __init__(self, message: str, hint: str, seconds: int = 0) -> None:
        super().__init__(message, hint)
        self.seconds = seconds


class WrongPassword(PasswordRefused):
    """A sign-in or signature with a password that does not match."""


class WaitBeforeTrying(PasswordRefused):
    """Too many wrong passwords in a row: the next try must wait."""


class Role(StrEnum):
    """What a person does in the clinic; an administrator also manages the accounts and the clinic settings."""

    PHYSICIAN = "physician"
    NURSE = "nurse"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The role as a word on screen."""
        return self.value.capitalize()


@dataclass(frozen=True)
class AccountDraft:
    """What an administrator types for a practitioner."""

    name: str
    login: str
    role: Role = Role.PHYSICIAN
    credentials: str = ""


def fold_login(login: str) -> str:
    """A sign-in name as stored and compared: NFC, trimmed, case-folded ("Anna" and "anna" are one person)."""
    return clean_text(login).casefold()


def _login_problem(login: str) -> str | None:
    if not login:
        return "is required: the short name this person types to sign in."
    if len(login) > LOGIN_MAX:
        return f"is {len(login)} characters long; at most {LOGIN_MAX} are allowed."
    if not all(char.isalnum() or char in "._-" for char in login) or not login[0].isalnum():
        return "may hold only letters, digits and . _ - and must start with a letter or digit."
    return None


def validate_account(draft: AccountDraft) -> AccountDraft:
    """The draft cleaned (sign-in name folded), or ValidationError naming every field that is not allowed."""
    errors: list[FieldError] = []
    name = clean_text(draft.name)
    problem = name_problem(name, maximum=NAME_MAX, required=True)
    if problem:
        errors.append(FieldError("Name", problem))
    credentials = clean_text(draft.credentials)
    problem = name_problem(credentials, maximum=CREDENTIALS_MAX, required=False)
    if problem:
        errors.append(FieldError("Credentials", problem))
    login = fold_login(draft.login)
    problem = _login_problem(login)
    if problem:
        errors.append(FieldError("Sign-in name", problem))
    try:
        role = Role(draft.role)
    except ValueError:
        errors.append(FieldError("Role", f"must be one of {', '.join(r.value for r in Role)}."))
        role = Role.PHYSICIAN
    if errors:
        raise ValidationError(errors)
    return AccountDraft(name=name, login=login, role=role, credentials=credentials)


def normal_password(password: str) -> str:
    """The password as hashed: NFC, so the same letters typed on two keyboards are the same password."""
    return unicodedata.normalize("NFC", password)


def validate_password(password: str, *, field: str = "Password") -> str:
    """The password as hashed, or ValidationError saying what is allowed (any letters of any script)."""
    text = normal_password(password)
    if len(text) < PASSWORD_MIN:
        problem = f"must be at least {PASSWORD_MIN} characters long (any letters, digits or signs, in any script)."
    elif len(text) > PASSWORD_MAX:
        problem = f"is {len(text)} characters long; at most {PASSWORD_MAX} are allowed."
    elif text != text.strip():
        problem = "must not begin or end with a space."
    elif any(unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") for char in text):
        problem = "holds invisible control characters; type it again."
    else:
        return text
    raise ValidationError([FieldError(field, problem)])


def wait_after(failures: int) -> int:
    """Seconds a sign-in must wait after this many wrong passwords in a row (0, then 5, 10, 20 … up to 60)."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(LONGEST_WAIT_SECONDS, 5 * 2 ** (failures - FREE_FAILURES)))
