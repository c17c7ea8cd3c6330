"""Patients: create, edit, archive and restore, look up, and type-ahead search."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from sclerochart.domain import search
from sclerochart.domain.errors import FieldError, NotFoundError, ValidationError
from sclerochart.domain.search import SEARCH_LIMIT
from sclerochart.domain.validation import validate_patient
from sclerochart.domain.values import Patient, PatientDraft, PatientHit
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.versions import require_version
from sclerochart.store.models import PatientRow, PatientSearchTermRow

_PREFIX_END = "\U0010ffff"


def search_terms(draft: PatientDraft) -> set[str]:
    """The words a patient can be found by: name parts and chart number, folded."""
    return search.terms(draft.family_name, draft.given_name, draft.chart_number)


def _replace_terms(tx: Session, row: PatientRow, draft: PatientDraft) -> None:
    tx.execute(delete(PatientSearchTermRow).where(PatientSearchTermRow.patient_id == row.id))
    tx.add_all(
        PatientSearchTermRow(term=term, patient_id=row.id, sort_key=row.sort_key, archived=row.archived)
        for term in sorted(search_terms(draft))
    )


def _load(tx: Session, patient_id: str, *, lock: bool = False) -> PatientRow:
    row = tx.get(PatientRow, patient_id, with_for_update=lock, populate_existing=lock)
    if row is None:
        raise NotFoundError(f"No patient with the id {patient_id} is stored.", "Search for the patient by name.")
    return row


def _require(tx: Session, ctx: ServiceContext, row: PatientRow, expected_version: int) -> None:
    name = f"{row.family_name}, {row.given_name}" if row.given_name else row.family_name
    require_version(
        tx,
        ctx,
        what=f"The record of {name}",
        entity="patient",
        entity_id=row.id,
        stored=row.version,
        expected=expected_version,
        shows="The form now shows what is stored.",
    )


def _check_chart_number_free(tx: Session, chart_number: str, patient_id: str | None) -> None:
    query = select(PatientRow.family_name, PatientRow.given_name).where(PatientRow.chart_number == chart_number)
    if patient_id is not None:
        query = query.where(PatientRow.id != patient_id)
    holder = tx.execute(query).first()
    if holder is not None:
        raise ValidationError(
            [
                FieldError(
                    "Chart number",
                    f"{chart_number} already belongs to {holder[0]}, {holder[1]}; each patient needs their own.",
                )
            ]
        )


def create_patient(ctx: ServiceContext, draft: PatientDraft) -> Patient:
    """Store a new patient (validated; chart number unique) and write its audit event."""
    clean = validate_patient(draft, ctx.today())
    now = ctx.clock()
    with ctx.db.write() as tx:
        _check_chart_number_free(tx, clean.chart_number, None)
        row = PatientRow(
            id=str(uuid.uuid4()),
            sort_key=search.sort_key(clean.family_name, clean.given_name),
            archived=False,
            created_at=now,
            updated_at=now,
        )
        mapping.apply_patient(row, clean)
        tx.add(row)
        tx.flush()
        _replace_terms(tx, row, clean)
        created = mapping.patient(row)
        audit.record(tx, ctx, "create", "patient", row.id, None, created)
    return created


def update_patient(ctx: ServiceContext, patient_id: str, draft: PatientDraft, expected_version: int) -> Patient:
    """Save changed patient details made from `expected_version`; the audit event holds before and after.

    Raises:
        StaleError: the patient was changed since that version (in another room).
    """
    clean = validate_patient(draft, ctx.today())
    with ctx.db.write() as tx:
        row = _load(tx, patient_id, lock=True)
        _require(tx, ctx, row, expected_version)
        before = mapping.patient(row)
        if before.draft() == clean:
            return before
        _check_chart_number_free(tx, clean.chart_number, patient_id)
        mapping.apply_patient(row, clean)
        row.sort_key = search.sort_key(clean.family_name, clean.given_name)
        row.updated_at = ctx.clock()
        row.version += 1
        _replace_terms(tx, row, clean)
        after = mapping.patient(row)
        audit.record(tx, ctx, "update", "patient", row.id, before, after)
    return after


def set_archived(ctx: ServiceContext, patient_id: str, archived: bool, expected_version: int) -> Patient:
    """Archive a patient (hidden from the list, never deleted) or bring them back, as seen at `expected_version`."""
    with ctx.db.write() as tx:
        row = _load(tx, patient_id, lock=True)
        _require(tx, ctx, row, expected_version)
        if row.archived == archived:
            return mapping.patient(row)
        before = mapping.patient(row)
        row.archived = archived
        row.updated_at = ctx.clock()
        row.version += 1
        tx.execute(
            update(PatientSearchTermRow).where(PatientSearchTermRow.patient_id == row.id).values(archived=archived)
        )
        after = mapping.patient(row)
        audit.record(tx, ctx, "archive" if archived else "restore", "patient", row.id, before, after)
    return after


def get_patient(ctx: ServiceContext, patient_id: str) -> Patient:
    """One patient by id."""
    with ctx.db.read() as tx:
        return mapping.patient(_load(tx, patient_id))


def find_patient(ctx: ServiceContext, reference: str) -> Patient:
    """A patient by id or chart number, as a user types it on the command line."""
    with ctx.db.read() as tx:
        row = (
            tx.get(PatientRow, reference.strip())
            or tx.scalars(select(PatientRow).where(PatientRow.chart_number == reference.strip())).first()
        )
        if row is None:
            raise NotFoundError(
                f"No patient has the id or chart number {reference!r}.", "Use 'sclerochart patients NAME' to find it."
            )
        return mapping.patient(row)


def _hit_query() -> Select[str, str, str, str, dt.date | None, bool]:
    return select(
        PatientRow.id,
        PatientRow.chart_number,
        PatientRow.family_name,
        PatientRow.given_name,
        PatientRow.date_of_birth,
        PatientRow.archived,
    )


PROBE_TERMS = 5000
"""Counting a word's matching terms stops here: enough to tell a selective word from a common one."""


def _term_range(terms: type[PatientSearchTermRow] | Any, word: str) -> ColumnElement[bool]:
    return and_(terms.term >= word, terms.term < word + _PREFIX_END)


def _most_selective(tx: Session, words: list[str]) -> str:
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


def _ids_in_name_order(tx: Session, words: list[str], include_archived: bool, limit: int) -> list[str]:
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


def search_patients(
    ctx: ServiceContext, query: str, *, include_archived: bool = False, limit: int = SEARCH_LIMIT
) -> tuple[PatientHit, ...]:
    """Type-ahead search on name, chart number or date of birth, in name order.

    Every word typed must start one of the patient's words (name parts or chart number), in any order
    and with or without accents: "luk zo" finds "Zoë Łukasiewicz-Ødegård". A date (1984-03-12,
    12.03.1984) finds the patients born that day. Nothing typed lists the first patients by name.
    """
    statement = _hit_query()
    day = search.parse_date_query(query)
    words = search.query_words(query)
    with ctx.db.read() as tx:
        if day is not None:
            statement = statement.where(PatientRow.date_of_birth == day)
        elif words:
            ids = _ids_in_name_order(tx, words, include_archived, limit)
            if not ids:
                return ()
            statement = statement.where(PatientRow.id.in_(ids))
        if not include_archived:
            statement = statement.where(PatientRow.archived.is_(False))
        statement = statement.order_by(PatientRow.sort_key, PatientRow.id).limit(limit)
        return tuple(PatientHit(*row) for row in tx.execute(statement).all())
