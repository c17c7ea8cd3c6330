"""Errors a user can cause or meet, each carrying a message in the practitioner's words."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """An error to show to the user as it is: what went wrong and what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


@dataclass(frozen=True)
class FieldError:
    """One field's problem: which field (its label) and what is allowed."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class DamagedError(UserError):
    """The records' file is damaged: the program offers its newest verified copy."""


class ValidationError(UserError):
    """One or more fields hold values that are not allowed; nothing was saved."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        self.errors = tuple(errors)
        text = "; ".join(str(e) for e in self.errors)
        super().__init__(text, "Nothing was saved. Correct the value and try again.")

    def for_field(self, field: str) -> str | None:
        """The message for one field, or None when that field is fine."""
        for error in self.errors:
            if error.field == field:
                return error.message
        return None


class NotFoundError(UserError):
    """A record the user named does not exist."""


class ConflictError(UserError):
    """The change clashes with what is stored (a duplicate, a signed session, a newer version)."""


class StaleError(ConflictError):
    """The change was made from a screen that had not seen a newer version of the record; nothing was saved."""
