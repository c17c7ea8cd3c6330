"""Folding of names for search: "Łukasiewicz", "lukasiewicz" and "ŁUKASIEWICZ" find each other."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sclerochart.domain.names import written_without_spaces

# Letters that Unicode does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "ŀ": "l"}
)
_SPLIT = re.compile(r"[\s\-‐–'’.,/]+")

TERM_MAX = 100

SEARCH_LIMIT = 50
"""How many patients one search lists at most."""


def fold(text: str) -> str:
    """Lower case without accents: "Zoë Łukasiewicz-Ødegård" becomes "zoe lukasiewicz-odegard"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped.translate(_SPECIAL))


def terms(*texts: str) -> set[str]:
    """The search terms of some texts: each folded word, and each text with its separators removed.

    "O'Brien" gives "o", "brien" and "obrien"; "SC-000123" gives "sc", "000123" and "sc000123".
    """
    found: set[str] = set()
    for text in texts:
        words = [word for word in _SPLIT.split(fold(text).strip()) if word]
        found.update(word[:TERM_MAX] for word in words)
        if len(words) > 1:
            found.add("".join(words)[:TERM_MAX])
    return found


def name_terms(family_name: str, given_name: str, chart_number: str) -> set[str]:
    """A patient's search terms: those of `terms`, and for a name written without spaces every part of it.

    "佐藤" "花子" also gives "佐藤花子", "藤花子", "花子" and "子", so that "佐藤花" or "藤花", typed
    without a space as such names are written, finds the patient (every word typed must start a term).
    """
    found = terms(family_name, given_name, chart_number)
    if written_without_spaces(family_name + given_name):
        joined = "".join(_SPLIT.split(fold(family_name + given_name)))
        found.update(joined[start:][:TERM_MAX] for start in range(len(joined)))
        found.add("".join(_SPLIT.split(fold(given_name + family_name)))[:TERM_MAX])
    return found


def query_words(query: str) -> list[str]:
    """The folded words of a typed query, longest first (the most selective one leads the search)."""
    words = [word for word in _SPLIT.split(fold(query).strip()) if word]
    return sorted(set(words), key=len, reverse=True)


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y")


def parse_date_query(query: str) -> dt.date | None:
    """A date of birth typed as 1984-03-12, 12.03.1984, 12/03/1984 or 12-03-1984, else None."""
    text = query.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def sort_key(family_name: str, given_name: str) -> str:
    """The folded "family given" a patient list sorts by."""
    return f"{fold(family_name)} {fold(given_name)}".strip()[:210]
