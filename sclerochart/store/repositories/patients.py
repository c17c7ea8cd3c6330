"""Queries on patients: look-ups, locks, the chart number check, search terms and the type-ahead search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PatientRow, PatientSearchTermRow

_PREFIX_END = "\U0010ffff"

PROBE_TERMS = 5000
"""Counting a word's matching terms stops here: enough to tell a selective word from a common one."""


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


def _term_range(terms: type[PatientSearchTermRow] | Any, word: str) -> ColumnElement[bool]:
    return and_(terms.term >= word, terms.term < word + _PREFIX_END)


def _most_selective(tx: UnitOfWork, words: list[str]) -> str:
    """The word that matches the fewest search terms (counted up to PROBE_TERMS)."""
    if len(words) == 1:
        return words[0]
    counts = {
        word: tx.scalar(
            select(func.count()).select_from(
                select(PatientSearchTermRow.term)
                .where(_term_range(PatientSearchTermRow, word))
                .limit(PROBE_TERMS)
                .subquery()
            )
        )
        or 0
        for word in words
    }
    return min(words, key=lambda word: (counts[word], -len(word)))


def search_ids(tx: UnitOfWork, words: list[str], include_archived: bool, limit: int) -> list[str]:
    """Ids of the first `limit` patients, in name order, having a word that starts with each typed word.

    The leading word's range of the covering term index is read in name order; a patient can match
    through several of their words, so the window widens until it holds `limit` different patients.
    """
    driver = _most_selective(tx, words)
    terms = PatientSearchTermRow
    statement = select(terms.patient_id).where(_term_range(terms, driver))
    if not include_archived:
        statement = statement.where(terms.archived.is_(False))
    for word in words:
        if word != driver:
            other = aliased(PatientSearchTermRow)
            statement = statement.where(exists().where(other.patient_id == terms.patient_id, _term_range(other, word)))
    statement = statement.order_by(terms.sort_key, terms.patient_id)
    window = limit * 4
    while True:
        rows = tx.scalars(statement.limit(window)).all()
        ids = list(dict.fromkeys(rows))
        if len(ids) >= limit or len(rows) < window:
            return ids[:limit]
        window *= 4


def patient_hit_rows(
    tx: UnitOfWork, *, born: dt.date | None, ids: list[str] | None, include_archived: bool, limit: int
) -> Sequence[Row[str, str, str, str, dt.date | None, bool, str]]:
    """(id, chart number, family name, given name, birth date, archived, name order) of patients in name order.

    Args:
        tx: the unit of work.
        born: only patients born that day (None: any).
        ids: only these patients (None: any); `born` wins when both are given.
        include_archived: archived patients too.
        limit: at most this many.
    """
    statement = select(*_HIT_COLUMNS)
    if born is not None:
        statement = statement.where(PatientRow.date_of_birth == born)
    elif ids is not None:
        statement = statement.where(PatientRow.id.in_(ids))
    if not include_archived:
        statement = statement.where(PatientRow.archived.is_(False))
    statement = statement.order_by(PatientRow.sort_key, PatientRow.id).limit(limit)
    return tx.execute(statement).all()
