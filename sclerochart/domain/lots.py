"""The lot and expiry of each agent used in a session: entered once, carried to the agent's sites.

A lot past its expiry date on the day of the session is refused unless the practitioner gives the reason it
was used anyway (then it is stored and printed with the reason).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sclerochart.domain.errors import FieldError
from sclerochart.domain.validation import LOT_MAX, SHORT_TEXT_MAX, clean_text

EXPIRY_YEARS_AHEAD = 10
"""An expiry date further ahead than this is taken for a typing slip (vials keep for a few years)."""


@dataclass(frozen=True)
class SessionLot:
    """The lot of one agent in a session."""

    session_id: str
    agent_id: int
    lot_number: str
    expires_on: dt.date | None
    expiry_reason: str = ""
    """Why a lot past its expiry date was used anyway."""
    version: int = 1

    def expired_on(self, day: dt.date) -> bool:
        """The lot had expired on that day."""
        return self.expires_on is not None and self.expires_on < day

    def words(self) -> str:
        """E.g. "L12345, expires 31.03.2027" or "L1, expired 01.10.2026 (used: no other vial in stock)"."""
        if self.expires_on is None:
            return self.lot_number
        expiry = f"{self.lot_number}, expires {self.expires_on:%d.%m.%Y}"
        if self.expiry_reason:
            expiry = f"{self.lot_number}, EXPIRED {self.expires_on:%d.%m.%Y} (used because: {self.expiry_reason})"
        return expiry


def validate_session_lot(
    lot: str, expires_on: dt.date | None, reason: str, session_day: dt.date
) -> tuple[str, str, list[FieldError]]:
    """The lot and reason as stored, and every field's problem.

    Args:
        lot: The lot number typed.
        expires_on: The expiry date on the vial, or None when it is not known.
        reason: Why an expired lot is used (required only then).
        session_day: The day of the session (an expiry before it means the lot had expired).
    """
    errors: list[FieldError] = []
    if any(unicodedata.category(char) == "Cc" for char in lot):
        errors.append(FieldError("Lot", "holds invisible control characters; type it again."))
    clean = clean_text(lot)
    if not clean:
        errors.append(FieldError("Lot", "is empty; type the lot number as printed on the vial."))
    elif len(clean) > LOT_MAX:
        errors.append(FieldError("Lot", f"is longer than the {LOT_MAX} characters a lot number holds."))
    why = clean_text(reason)
    if "\x00" in why:
        errors.append(FieldError("Reason for an expired lot", "holds a character that cannot be stored."))
    if len(why) > SHORT_TEXT_MAX:
        errors.append(FieldError("Reason for an expired lot", f"must be at most {SHORT_TEXT_MAX} characters."))
    if expires_on is not None:
        if expires_on.year < 2000 or expires_on.year > session_day.year + EXPIRY_YEARS_AHEAD:
            errors.append(
                FieldError("Expiry", f"{expires_on:%d.%m.%Y} is not a plausible expiry date; check the vial's label.")
            )
        elif expires_on < session_day and not why:
            errors.append(
                FieldError(
                    "Expiry",
                    f"the lot expired on {expires_on:%d.%m.%Y}, before this session "
                    f"({session_day:%d.%m.%Y}). Use a vial in date, or give the reason it was used.",
                )
            )
        elif expires_on >= session_day:
            why = ""  # a lot in date needs no reason: none is kept
    else:
        why = ""
    return clean, why, errors
