"""How a person's name is written: family name first or given name first, chosen per patient.

Chinese, Japanese, Korean, Vietnamese and Hungarian names put the family name first ("张伟",
"Nguyễn Thị Hồng", "Kovács Anna"); most others put it last ("Anna Schmidt"). The order is a property of
the person, so it is stored with the patient; a name written in Chinese, Japanese or Korean characters
suggests family-first when the patient is first entered, and the user may change it.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class NameOrder(StrEnum):
    """Which part of the name is said and written first."""

    GIVEN_FIRST = "given_first"
    FAMILY_FIRST = "family_first"

    @property
    def label(self) -> str:
        """How the choice reads on the patient form."""
        return {
            NameOrder.GIVEN_FIRST: "Given name first (Anna Schmidt)",
            NameOrder.FAMILY_FIRST: "Family name first (张伟, Nguyễn Thị Hồng)",
        }[self]


_EAST_ASIAN_PREFIXES = (
    "CJK ",
    "HIRAGANA",
    "KATAKANA",
    "HALFWIDTH KATAKANA",
    "HANGUL",
    "HALFWIDTH HANGUL",
    "IDEOGRAPHIC",
    "BOPOMOFO",
)


def is_east_asian(char: str) -> bool:
    """A Chinese, Japanese or Korean character (written without spaces between name parts)."""
    if char.isascii() or not char.isalpha():
        return False
    return unicodedata.name(char, "").startswith(_EAST_ASIAN_PREFIXES)


def written_without_spaces(text: str) -> bool:
    """The text is in a script whose names are written without spaces (Chinese, Japanese, Korean)."""
    return any(is_east_asian(char) for char in text)


def suggested_order(family_name: str, given_name: str) -> NameOrder:
    """Family-first for a name in Chinese, Japanese or Korean characters, else given-first (the user may change it)."""
    if written_without_spaces(family_name + given_name):
        return NameOrder.FAMILY_FIRST
    return NameOrder.GIVEN_FIRST


def full_name(family_name: str, given_name: str, order: NameOrder) -> str:
    """The name as it is said: "Anna Schmidt", "张伟", "Nguyễn Thị Hồng"."""
    if not given_name:
        return family_name
    if order is NameOrder.FAMILY_FIRST:
        apart = not (is_east_asian(family_name[-1]) and is_east_asian(given_name[0]))
        joiner = " " if apart else ""
        return f"{family_name}{joiner}{given_name}"
    return f"{given_name} {family_name}"


def list_name(family_name: str, given_name: str, order: NameOrder) -> str:
    """The name as a list sorted by family name shows it: "Schmidt, Anna", but "张伟" and "Nguyễn Thị Hồng"."""
    if not given_name:
        return family_name
    if order is NameOrder.FAMILY_FIRST:
        return full_name(family_name, given_name, order)
    return f"{family_name}, {given_name}"
