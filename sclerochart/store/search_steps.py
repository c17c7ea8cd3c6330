"""The steps of the type-ahead patient search, apart from how its statements are run.

The store runs them through SQLAlchemy (`repositories.patients`); the command line's `patients` runs the same
steps on the plain sqlite3 driver with the same statements as SQL text (`quick_listing`), so that listing
patients needs no SQLAlchemy. Both give the statements by the keys below; nothing here imports SQLAlchemy.

Keys of the statements:
- ("counts", n): how many search terms each of n words starts (each counted up to PROBE_TERMS), in one row;
- ("hits", shape, archived) and ("window", shape, archived): the hit rows of the patients having a word that
  starts each typed word, and how many terms their window holds (`shape`: per word after the leading one,
  whether its patients are gathered once; `archived`: archived patients listed too);
- ("born", archived): the hit rows of the patients born on a day; ("first", archived): the first patients.
Hit rows are (id, chart number, family name, given name, birth date, archived, name order), in name order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Protocol

from sclerochart.domain import search

PREFIX_END = "\U0010ffff"
"""Appended to a word: the end of the range of the terms it starts."""
PROBE_TERMS = 20_000
"""Counting a word's matching terms stops here: enough to tell a selective word from a common one, and a word
whose patients are cheaper to gather once (fewer) from one too common for that."""


class Statements(Protocol):
    """Runs a statement of the search, named by its key, with its parameters; its rows."""

    def rows(self, key: Hashable, parameters: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        """The statement's rows."""
        ...


def find(run: Statements, query: str, include_archived: bool, limit: int) -> Sequence[Sequence[Any]]:
    """Hit rows of the first `limit` patients a typed query finds, in name order.

    Every word typed must start one of the patient's words (name parts or chart number), in any order and with
    or without accents; a date finds the patients born that day; nothing typed lists the first patients.
    """
    day = search.parse_date_query(query) if query.strip()[:1].isdigit() else None  # every date starts so
    if day is not None:
        return born_hits(run, day, include_archived, limit)
    words = search.query_words(query)
    if words:
        return word_hits(run, words, include_archived, limit)
    return run.rows(("first", include_archived), {"limit": limit})


def born_hits(run: Statements, born: dt.date, include_archived: bool, limit: int) -> Sequence[Sequence[Any]]:
    """Hit rows of the first `limit` patients born that day, in name order."""
    return run.rows(("born", include_archived), {"born": born, "limit": limit})


def by_selectivity(run: Statements, words: list[str]) -> list[tuple[str, int]]:
    """(word, how many search terms it starts, counted up to PROBE_TERMS), the most selective word first."""
    if len(words) == 1:
        return [(words[0], 0)]
    parameters = {}
    for index, word in enumerate(words):
        parameters[f"low_{index}"], parameters[f"high_{index}"] = word, word + PREFIX_END
    counts = run.rows(("counts", len(words)), parameters)[0]
    return sorted(zip(words, counts, strict=True), key=lambda pair: (pair[1], -len(pair[0])))


def word_shape(words: list[str], run: Statements) -> tuple[str, list[str], tuple[bool, ...]]:
    """The leading word, the others, and per other word whether its patients are gathered once."""
    (leading, _), *others = by_selectivity(run, words)
    return leading, [word for word, _ in others], tuple(count < PROBE_TERMS for _, count in others)


def word_hits(run: Statements, words: list[str], include_archived: bool, limit: int) -> Sequence[Sequence[Any]]:
    """Hit rows of the first `limit` patients, in name order, having a word that starts each typed word.

    The window of terms read widens until it holds `limit` different patients (a patient can match through
    several words): when fewer come back, the window is counted, and read again wider only when it was full.
    """
    leading, others, shape = word_shape(words, run)
    parameters: dict[str, Any] = {"low": leading, "high": leading + PREFIX_END, "limit": limit}
    for index, word in enumerate(others):
        parameters[f"low_{index}"], parameters[f"high_{index}"] = word, word + PREFIX_END
    window = limit * 4
    while True:
        rows = run.rows(("hits", shape, include_archived), {**parameters, "window": window})
        if len(rows) >= limit or not rows:
            return rows
        if run.rows(("window", shape, include_archived), {**parameters, "window": window})[0][0] < window:
            return rows
        window *= 4
