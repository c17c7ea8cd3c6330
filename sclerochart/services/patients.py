"""Patients: create, edit, archive and restore, look up, and type-ahead search."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sclerochart.domain import chart_numbers, search
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.names import NameOrder, list_name
from sclerochart.domain.search import SEARCH_LIMIT
from sclerochart.domain.validation import validate_patient
from sclerochart.domain.values import Patient, PatientDraft, PatientHit
from sclerochart.services import audit, clinic, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PatientRow
from sclerochart.store.repositories import patients as patient_repo


def search_terms(draft: PatientDraft) -> set[str]:
    """The words a patient can be found by: name parts and chart number, folded."""
    return search.name_terms(draft.family_name, draft.given_name, draft.chart_number)


def _replace_terms(tx: UnitOfWork, row: PatientRow, draft: PatientDraft) -> None:
    patient_repo.replace_search_terms(tx, row, sorted(search_terms(draft)))


def _load(tx: UnitOfWork, patient_id: str, *, lock: bool = False) -> PatientRow:
    row = patient_repo.patient_row(tx, patient_id, lock=lock)
    if row is None:
        raise NotFoundError(f"No patient with the id {patient_id} is stored.", "Search for the patient by name.")
    return row


def _require(tx: UnitOfWork, ctx: ServiceContext, row: PatientRow, expected_version: int) -> None:
    name = list_name(row.family_name, row.given_name, NameOrder(row.name_order))
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


def _check_chart_number_free(tx: UnitOfWork, chart_number: str, patient_id: str | None) -> None:
    holder = patient_repo.chart_number_holder(tx, chart_number, patient_id)
    if holder is not None:
        raise ValidationError(
            [
                FieldError(
                    "Chart number",
                    f"{chart_number} already belongs to {list_name(holder[0], holder[1], NameOrder(holder[2]))}; "
                    "each patient needs their own.",
                )
            ]
        )


ASSIGN_TRIES = 5
"""How often a chart number is assigned again when another room took the same one at the same moment."""


def _pattern(ctx: ServiceContext, draft: PatientDraft) -> chart_numbers.ChartPattern | None:
    """The clinic's chart number pattern when the draft's number is blank and is to be assigned."""
    if draft.chart_number.strip():
        return None
    return chart_numbers.parse(clinic.load_settings(ctx).chart_number_pattern)


def next_chart_number(ctx: ServiceContext) -> str:
    """The chart number a new patient would get now if theirs is left blank ("" when the clinic has no pattern)."""
    pattern = chart_numbers.parse(clinic.load_settings(ctx).chart_number_pattern)
    if pattern is None:
        return ""
    with ctx.db.read() as tx:
        return _assign(tx, pattern)


WIDER_DIGITS = 3
"""How many digits beyond the pattern's are looked for (numbers that outgrew it: P-9999 was followed by P-10000)."""


def _assign(tx: UnitOfWork, pattern: chart_numbers.ChartPattern) -> str:
    shaped = [
        number
        for digits in range(pattern.digits, pattern.digits + WIDER_DIGITS + 1)
        for number in patient_repo.chart_numbers_shaped(tx, pattern.prefix, digits, pattern.suffix)
    ]
    number = chart_numbers.next_number(pattern, shaped)
    while patient_repo.chart_number_holder(tx, number, None) is not None:  # typed by hand, wider than the pattern
        number = chart_numbers.next_number(pattern, [number])
    return number


def create_patient(ctx: ServiceContext, draft: PatientDraft) -> Patient:
    """Store a new patient (validated; chart number unique) and write its audit event.

    A blank chart number is assigned by the clinic's pattern; when two rooms take the same number at the
    same moment, the later one is given the next.
    """
    pattern = _pattern(ctx, draft)
    if pattern is None:
        return _create(ctx, validate_patient(draft, ctx.today()), None)
    clean = validate_patient(replace(draft, chart_number=pattern.example), ctx.today())
    for attempt in range(ASSIGN_TRIES):
        try:
            return _create(ctx, clean, pattern)
        except ConflictError:
            if attempt == ASSIGN_TRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _create(ctx: ServiceContext, clean: PatientDraft, pattern: chart_numbers.ChartPattern | None) -> Patient:
    now = ctx.clock()
    with ctx.db.write() as tx:
        if pattern is not None:  # free when read; a room taking it meanwhile makes the insert conflict (retried)
            clean = replace(clean, chart_number=_assign(tx, pattern))
        else:
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
        patient_repo.set_search_terms_archived(tx, row.id, archived)
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
        row = tx.get(PatientRow, reference.strip()) or patient_repo.patient_by_chart_number(tx, reference.strip())
        if row is None:
            raise NotFoundError(
                f"No patient has the id or chart number {reference!r}.", "Use 'sclerochart patients NAME' to find it."
            )
        return mapping.patient(row)


def search_patients(
    ctx: ServiceContext, query: str, *, include_archived: bool = False, limit: int = SEARCH_LIMIT
) -> tuple[PatientHit, ...]:
    """Type-ahead search on name, chart number or date of birth, in name order.

    Every word typed must start one of the patient's words (name parts or chart number), in any order
    and with or without accents: "luk zo" finds "Zoë Łukasiewicz-Ødegård". A date (1984-03-12,
    12.03.1984) finds the patients born that day. Nothing typed lists the first patients by name.
    """
    with ctx.db.read_connection() as connection:
        return tuple(_hit(row) for row in patient_repo.find(connection, query, include_archived, limit))


def prepare_search(ctx: ServiceContext) -> None:
    """Make the first searches after the database is opened as quick as the next ones (a few milliseconds).

    Call once a database is open: the search's statements are compiled and the top of its indexes read.
    """
    with ctx.db.read_connection() as connection:
        patient_repo.prepare_search(connection)


_NAME_ORDERS = {order.value: order for order in NameOrder}


def _hit(row: Sequence[Any]) -> PatientHit:
    """A line of a patient list from the repository's row."""
    return PatientHit(row[0], row[1], row[2], row[3], row[4], bool(row[5]), _NAME_ORDERS[row[6]])


def possible_duplicates(ctx: ServiceContext, draft: PatientDraft, patient_id: str | None) -> tuple[PatientHit, ...]:
    """Stored patients (archived too) with the same names and date of birth as the draft, other than `patient_id`.

    Names are compared folded ("Zoë" and "ZOE" are the same) and in either order, as a name is sometimes
    entered with family and given name swapped.
    """
    if draft.date_of_birth is None or not draft.family_name.strip():
        return ()
    wanted = {
        search.sort_key(draft.family_name, draft.given_name),
        search.sort_key(draft.given_name, draft.family_name),
    }
    with ctx.db.read() as tx:
        rows = patient_repo.patients_named(tx, draft.date_of_birth, wanted)
        return tuple(_hit(row) for row in rows if row[0] != patient_id)
