"""Queries on patients: look-ups, locks, the chart number check, search terms and the type-ahead search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    select,
    update,
)

from sclerochart.store import search_steps
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PatientRow, PatientSearchTermRow
from sclerochart.store.search_steps import PREFIX_END, PROBE_TERMS


def patient_row(tx: UnitOfWork, patient_id: str, *, lock: bool = False) -> PatientRow | None:
    """The stored patient, or None; with `lock`, held until the unit of work ends and read afresh."""
    return tx.get(PatientRow, patient_id, with_for_update=lock, populate_existing=lock)


def patient_by_chart_number(tx: UnitOfWork, chart_number: str) -> PatientRow | None:
    """The patient with this chart number, or None."""
    return tx.scalars(select(PatientRow).where(PatientRow.chart_number == chart_number)).first()


def chart_number_holder(tx: UnitOfWork, chart_number: str, except_patient_id: str | None) -> Row[str, str, str] | None:
    """(family name, given name, name order) of a patient other than `except_patient_id` holding the number, or None."""
    query = select(PatientRow.family_name, PatientRow.given_name, PatientRow.name_order).where(
        PatientRow.chart_number == chart_number
    )
    if except_patient_id is not None:
        query = query.where(PatientRow.id != except_patient_id)
    return tx.execute(query).first()


def chart_numbers_shaped(tx: UnitOfWork, prefix: str, digits: int, suffix: str, limit: int = 50) -> list[str]:
    """The highest chart numbers made of `prefix`, `digits` digits and `suffix`, highest first.

    Only numbers between prefix+00…0+suffix and prefix+99…9+suffix of that length are read (an index range),
    so numbers typed by hand with letters where the digits go do not crowd the pattern's own out.
    """
    escaped = [part.replace("!", "!!").replace("%", "!%").replace("_", "!_") for part in (prefix, suffix)]
    shape = f"{escaped[0]}{'_' * digits}{escaped[1]}"
    query = (
        select(PatientRow.chart_number)
        .where(
            PatientRow.chart_number.between(f"{prefix}{'0' * digits}{suffix}", f"{prefix}{'9' * digits}{suffix}"),
            PatientRow.chart_number.like(shape, escape="!"),
        )
        .order_by(PatientRow.chart_number.desc())
        .limit(limit)
    )
    return list(tx.scalars(query))


_HIT_COLUMNS = (
    PatientRow.id,
    PatientRow.chart_number,
    PatientRow.family_name,
    PatientRow.given_name,
    PatientRow.date_of_birth,
    PatientRow.archived,
    PatientRow.name_order,
)
"""What a line of a patient list shows: (id, chart number, family name, given name, birth date, archived,
name order)."""


def patients_named(
    tx: UnitOfWork, born: dt.date, sort_keys: Iterable[str]
) -> Sequence[Row[str, str, str, str, dt.date | None, bool, str]]:
    """Patients born that day, archived ones too, whose folded "family given" is one of `sort_keys`.

    Rows of (id, chart number, family name, given name, birth date, archived, name order).
    """
    return tx.execute(
        select(*_HIT_COLUMNS)
        .where(PatientRow.date_of_birth == born, PatientRow.sort_key.in_(list(sort_keys)))
        .order_by(PatientRow.sort_key, PatientRow.id)
    ).all()


def patient_count(tx: UnitOfWork) -> int:
    """How many patients are stored."""
    return tx.scalar(select(func.count()).select_from(PatientRow)) or 0


def replace_search_terms(tx: UnitOfWork, row: PatientRow, terms: Iterable[str]) -> None:
    """Make `terms` the words the patient is found by (with the row's name order and archived flag)."""
    tx.execute(delete(PatientSearchTermRow).where(PatientSearchTermRow.patient_id == row.id))
    tx.add_all(
        PatientSearchTermRow(term=term, patient_id=row.id, sort_key=row.sort_key, archived=row.archived)
        for term in terms
    )


def set_search_terms_archived(tx: UnitOfWork, patient_id: str, archived: bool) -> None:
    """Mark the patient's search terms archived or not (the search leaves archived patients out)."""
    tx.execute(
        update(PatientSearchTermRow).where(PatientSearchTermRow.patient_id == patient_id).values(archived=archived)
    )


_TERMS = cast(Table, PatientSearchTermRow.__table__)
_PATIENTS = cast(Table, PatientRow.__table__)
_HIT = tuple(_PATIENTS.c[column.key] for column in _HIT_COLUMNS)
_NOTHING = PREFIX_END
"""A word that starts no stored term (what preparing the search looks for)."""

# The search's statements are built once for each shape (how many words, archived patients or not) and run on
# the plain connection: a statement object keeps its compiled form, and no ORM object is built for a hit.


def _in_range(terms: Any, low: str, high: str) -> ColumnElement[bool]:
    return and_(terms.c.term >= bindparam(low), terms.c.term < bindparam(high))


@lru_cache(maxsize=16)
def _counts_statement(words: int) -> Select[Any]:
    """How many search terms each of `words` words starts (each counted up to PROBE_TERMS), in one row."""
    counts = []
    for index in range(words):
        probe = select(_TERMS.c.term).where(_in_range(_TERMS, f"low_{index}", f"high_{index}")).limit(PROBE_TERMS)
        counts.append(select(func.count()).select_from(probe.subquery()).scalar_subquery())
    return select(*counts)


@lru_cache(maxsize=64)
def _word_statements(gathered: tuple[bool, ...], include_archived: bool) -> tuple[Select[Any], Select[Any]]:
    """(hit rows, how many terms the window holds) of patients having a word that starts each typed word.

    The leading word's range of the covering term index is read in name order, up to a window of terms
    (a patient can match through several words); each other word must start one of the same patient's words.
    An other word marked `gathered` (one starting fewer than PROBE_TERMS terms) has its patients gathered
    once, from its own range of the index, and each candidate is looked up among them: ten times quicker than
    reading each candidate's words, which is left for a word too common to gather.
    """
    terms = _TERMS
    matches = select(terms.c.patient_id).where(_in_range(terms, "low", "high"))
    if not include_archived:
        matches = matches.where(terms.c.archived.is_(False))
    for index, gather in enumerate(gathered):
        other = terms.alias(f"other_{index}")
        within = _in_range(other, f"low_{index}", f"high_{index}")
        if gather:
            # "|| ''": the candidate's id as a value, so that SQLite reads the leading word's range in name order
            # and looks each candidate up among the gathered ids (not the gathered ids up one by one, unordered).
            matches = matches.where((terms.c.patient_id + "").in_(select(other.c.patient_id).where(within)))
        else:
            matches = matches.where(exists().where(other.c.patient_id == terms.c.patient_id, within))
    window = matches.order_by(terms.c.sort_key, terms.c.patient_id).limit(bindparam("window")).subquery("window")
    hits = _listed(select(*_HIT).where(_PATIENTS.c.id.in_(select(window.c.patient_id))), include_archived)
    return hits, select(func.count()).select_from(window)


@lru_cache(maxsize=4)
def _born_statement(include_archived: bool) -> Select[Any]:
    return _listed(select(*_HIT).where(_PATIENTS.c.date_of_birth == bindparam("born")), include_archived)


@lru_cache(maxsize=4)
def _first_statement(include_archived: bool) -> Select[Any]:
    return _listed(select(*_HIT), include_archived)


def _listed(statement: Select[Any], include_archived: bool) -> Select[Any]:
    if not include_archived:
        statement = statement.where(_PATIENTS.c.archived.is_(False))
    return statement.order_by(_PATIENTS.c.sort_key, _PATIENTS.c.id).limit(bindparam("limit"))


def search_statement(key: Hashable) -> Select[Any]:
    """The search's statement named by a key of `search_steps` (built once per key)."""
    match key:
        case ("counts", int(words)):
            return _counts_statement(words)
        case ("hits" | "window" as kind, tuple(shape), bool(archived)):
            hits, window = _word_statements(shape, archived)
            return hits if kind == "hits" else window
        case ("born", bool(archived)):
            return _born_statement(archived)
        case ("first", bool(archived)):
            return _first_statement(archived)
    raise KeyError(key)


class _OnConnection:
    """The search's statements run on a connection of the store."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def rows(self, key: Hashable, parameters: Mapping[str, Any]) -> Sequence[Row[Any]]:
        return self.connection.execute(search_statement(key), parameters).all()


def find(connection: Connection, query: str, include_archived: bool, limit: int) -> Sequence[Sequence[Any]]:
    """Hit rows of the first `limit` patients a typed query finds, in name order (`search_steps.find`).

    Rows of (id, chart number, family name, given name, birth date, archived, name order).
    """
    return search_steps.find(_OnConnection(connection), query, include_archived, limit)


def sqlite_texts() -> dict[Hashable, tuple[str, dict[str, Any]]]:
    """The search's statements as SQLite is sent them, by key: (SQL text, the values it holds itself).

    For the command line's quick listing (`quick_listing`), which runs them on the plain sqlite3 driver: every
    shape of up to three words (longer queries are left to the store). Parameters are named (":low"), as the
    driver takes them from a dict; the statement's own values (a LIMIT's count) come with them.
    """
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect(paramstyle="named")
    shapes: list[tuple[bool, ...]] = [(), (True,), (False,), (True, True), (True, False), (False, False)]
    keys: list[Hashable] = [("counts", 2), ("counts", 3)]
    for archived in (False, True):
        keys += [(kind, shape, archived) for shape in shapes for kind in ("hits", "window")]
        keys += [("born", archived), ("first", archived)]
    texts = {}
    for key in keys:
        compiled = search_statement(key).compile(dialect=dialect)
        texts[key] = (str(compiled), {name: value for name, value in compiled.params.items() if value is not None})
    return texts


SEARCH_SQL_MODULE = "sclerochart/store/search_sql.py"
"""Where `write_sqlite_texts` writes them (a test holds that file equal to what SQLAlchemy compiles now)."""


def sqlite_texts_module() -> str:
    """The source of `search_sql.py`: `sqlite_texts()` as a constant."""
    lines = [
        '"""The patient search\'s statements as SQL text for SQLite, made from the store\'s by `make search-sql`.',
        "",
        "Written by `repositories.patients.write_sqlite_texts`; do not edit. A test holds it equal to what",
        "SQLAlchemy compiles from the store's statements now, so the quick listing and the store never differ.",
        '"""',
        "",
        "from typing import Any",
        "",
        "TEXTS: dict[object, tuple[str, dict[str, Any]]] = {",
    ]
    for key, (text, fixed) in sqlite_texts().items():
        lines.append(f"    {key!r}: (")
        lines.extend(f"        {line!r}" for line in text.splitlines(keepends=True))
        lines.append(f"        , {fixed!r},")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_sqlite_texts(folder: str = ".") -> None:
    """Write `search_sql.py` afresh (after the search's statements or the schema changed)."""
    from pathlib import Path

    Path(folder, SEARCH_SQL_MODULE).write_text(sqlite_texts_module(), encoding="utf-8")


_PREPARED_SHAPES = ((), (True,), (False,), (True, True), (True, False))
"""The searches prepared when a database is opened: of one, two and three words (other words gathered or not)."""


def prepare_search(connection: Connection) -> None:
    """Compile the search's statements and read the top of its indexes once, so the first search is as quick.

    Each statement runs once looking for what is never stored: only the pages on its way are read.
    """
    bounds = {
        f"{end}_{index}": _NOTHING
        for index in range(len(max(_PREPARED_SHAPES, key=len)) + 1)
        for end in ("low", "high")
    }
    nothing = {"low": _NOTHING, "high": _NOTHING, "limit": 1, "window": 1, **bounds}
    for shape in _PREPARED_SHAPES:
        for statement in _word_statements(shape, False):
            connection.execute(statement, nothing).all()
        if shape:
            connection.execute(_counts_statement(len(shape) + 1), nothing).all()
    run = _OnConnection(connection)
    search_steps.born_hits(run, dt.date.min, False, 1)
    run.rows(("first", False), {"limit": 1})
