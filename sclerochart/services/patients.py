"""Patients: create, edit, archive and restore, look up, and type-ahead search."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Select, and_, delete, exists, select
from sqlalchemy.orm import Session

from sclerochart.domain import search
from sclerochart.domain.errors import FieldError, NotFoundError, ValidationError
from sclerochart.domain.validation import validate_patient
from sclerochart.domain.values import Patient, PatientDraft, PatientHit
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.store.models import PatientRow, PatientSearchTermRow

SEARCH_LIMIT = 50
_PREFIX_END = "\U0010ffff"


def search_terms(draft: PatientDraft) -> set[str]:
    """The words a patient can be found by: name parts and chart number, folded."""
    return search.terms(draft.family_name, draft.given_name, draft.chart_number)


def _replace_terms(session: Session, patient_id: str, draft: PatientDraft) -> None:
    session.execute(delete(PatientSearchTermRow).where(PatientSearchTermRow.patient_id == patient_id))
    session.add_all(PatientSearchTermRow(term=term, patient_id=patient_id) for term in sorted(search_terms(draft)))


def _load(session: Session, patient_id: str) -> PatientRow:
    row = session.get(PatientRow, patient_id)
    if row is None:
        raise NotFoundError(f"No patient with the id {patient_id} is stored.", "Search for the patient by name.")
    return row


def _check_chart_number_free(session: Session, chart_number: str, patient_id: str | None) -> None:
    query = select(PatientRow.family_name, PatientRow.given_name).where(PatientRow.chart_number == chart_number)
    if patient_id is not None:
        query = query.where(PatientRow.id != patient_id)
    holder = session.execute(query).first()
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
    with ctx.db.write() as session:
        _check_chart_number_free(session, clean.chart_number, None)
        row = PatientRow(
            id=str(uuid.uuid4()),
            sort_key=search.sort_key(clean.family_name, clean.given_name),
            archived=False,
            created_at=now,
            updated_at=now,
        )
        mapping.apply_patient(row, clean)
        session.add(row)
        session.flush()
        _replace_terms(session, row.id, clean)
        created = mapping.patient(row)
        audit.record(session, ctx, "create", "patient", row.id, None, created)
    return created


def update_patient(ctx: ServiceContext, patient_id: str, draft: PatientDraft) -> Patient:
    """Save changed patient details; the audit event holds the values before and after."""
    clean = validate_patient(draft, ctx.today())
    with ctx.db.write() as session:
        row = _load(session, patient_id)
        before = mapping.patient(row)
        if before.draft() == clean:
            return before
        _check_chart_number_free(session, clean.chart_number, patient_id)
        mapping.apply_patient(row, clean)
        row.sort_key = search.sort_key(clean.family_name, clean.given_name)
        row.updated_at = ctx.clock()
        _replace_terms(session, row.id, clean)
        after = mapping.patient(row)
        audit.record(session, ctx, "update", "patient", row.id, before, after)
    return after


def set_archived(ctx: ServiceContext, patient_id: str, archived: bool) -> Patient:
    """Archive a patient (hidden from the list, never deleted) or bring them back."""
    with ctx.db.write() as session:
        row = _load(session, patient_id)
        if row.archived == archived:
            return mapping.patient(row)
        before = mapping.patient(row)
        row.archived = archived
        row.updated_at = ctx.clock()
        after = mapping.patient(row)
        audit.record(session, ctx, "archive" if archived else "restore", "patient", row.id, before, after)
    return after


def get_patient(ctx: ServiceContext, patient_id: str) -> Patient:
    """One patient by id."""
    with ctx.db.read() as session:
        return mapping.patient(_load(session, patient_id))


def find_patient(ctx: ServiceContext, reference: str) -> Patient:
    """A patient by id or chart number, as a user types it on the command line."""
    with ctx.db.read() as session:
        row = (
            session.get(PatientRow, reference.strip())
            or session.scalars(select(PatientRow).where(PatientRow.chart_number == reference.strip())).first()
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


def search_statement(
    query: str, *, include_archived: bool, limit: int
) -> Select[str, str, str, str, dt.date | None, bool]:
    """The SELECT behind search_patients (kept apart so the benchmark can run the same SQL in plain sqlite3)."""
    statement = _hit_query()
    day = search.parse_date_query(query)
    words = search.query_words(query)
    if day is not None:
        statement = statement.where(PatientRow.date_of_birth == day)
    else:
        for position, word in enumerate(words):
            in_range = and_(PatientSearchTermRow.term >= word, PatientSearchTermRow.term < word + _PREFIX_END)
            if position == 0:
                # The longest word drives the search through the term index.
                statement = statement.where(PatientRow.id.in_(select(PatientSearchTermRow.patient_id).where(in_range)))
            else:
                statement = statement.where(exists().where(PatientSearchTermRow.patient_id == PatientRow.id, in_range))
    if not include_archived:
        statement = statement.where(PatientRow.archived.is_(False))
    return statement.order_by(PatientRow.sort_key, PatientRow.id).limit(limit)


def search_patients(
    ctx: ServiceContext, query: str, *, include_archived: bool = False, limit: int = SEARCH_LIMIT
) -> tuple[PatientHit, ...]:
    """Type-ahead search on name, chart number or date of birth, best matches by name order.

    Every word typed must start one of the patient's words (name parts or chart number), in any order
    and with or without accents: "luk zo" finds "Zoë Łukasiewicz-Ødegård". A date (1984-03-12,
    12.03.1984) finds the patients born that day.
    """
    statement = search_statement(query, include_archived=include_archived, limit=limit)
    with ctx.db.read() as session:
        return tuple(PatientHit(*row) for row in session.execute(statement).all())
