"""Follow-up visits: recorded, changed while a draft, signed like a session, removed while a draft; audited.

A visit rates the regions the patient's sessions treated up to its day; the outcomes of every region over
the course come from the same stored values (`course`).
"""

from __future__ import annotations

import uuid

from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, StaleError, ValidationError
from sclerochart.domain.follow_up import (
    VISIT_SIGNATURE_MEANING,
    Assessment,
    ComplicationFinding,
    ComplicationSide,
    FollowUpVisit,
    RegionClearance,
    Severity,
    VisitDraft,
    validate_visit,
    visit_gaps,
)
from sclerochart.domain.outcomes import region_outcomes
from sclerochart.domain.values import Complication, SessionState
from sclerochart.readmodels import Course
from sclerochart.services import accounts, audit, photos
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import practitioner_name
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import (
    FollowUpVisitRow,
    PatientRow,
    PractitionerRow,
    RegionClearanceRow,
    VisitComplicationRow,
)
from sclerochart.store.repositories import photos as photo_repo
from sclerochart.store.repositories import visits as visit_repo
from sclerochart.store.signed_content import SEAL_KEY, visit_seal


def _values(tx: UnitOfWork, rows: list[FollowUpVisitRow]) -> list[FollowUpVisit]:
    ids = [row.id for row in rows]
    clearances = visit_repo.clearances_of(tx, ids)
    complications = visit_repo.complications_of(tx, ids)
    photos = visit_repo.photo_counts(tx, ids)
    return [
        FollowUpVisit(
            id=row.id,
            patient_id=row.patient_id,
            examined_on=row.examined_on,
            practitioner_id=row.practitioner_id,
            practitioner_name=practitioner_name(tx, row.practitioner_id),
            clearances=tuple(RegionClearance(c.region, c.clearance_percent) for c in clearances.get(row.id, ())),
            complications=tuple(
                ComplicationFinding(
                    Complication(c.kind),
                    ComplicationSide(c.side),
                    c.region,
                    Severity(c.severity),
                    c.action,
                    c.resolved,
                )
                for c in complications.get(row.id, ())
            ),
            notes=row.notes,
            ceap_right=row.ceap_right,
            ceap_left=row.ceap_left,
            vcss_right=dict(row.vcss_right) if row.vcss_right else None,
            vcss_left=dict(row.vcss_left) if row.vcss_left else None,
            state=SessionState(row.state),
            version=row.version,
            signed_at=row.signed_at,
            signed_by=row.signed_by,
            signature_meaning=row.signature_meaning,
            photo_count=photos.get(row.id, 0),
            imported=bool(row.imported_from),
        )
        for row in rows
    ]


def _value(tx: UnitOfWork, row: FollowUpVisitRow) -> FollowUpVisit:
    return _values(tx, [row])[0]


def patient_visits(ctx: ServiceContext, patient_id: str) -> tuple[FollowUpVisit, ...]:
    """The patient's follow-up visits, oldest first."""
    with ctx.db.read() as tx:
        return tuple(_values(tx, list(visit_repo.patient_visit_rows(tx, patient_id))))


def get_visit(ctx: ServiceContext, visit_id: str) -> FollowUpVisit:
    """One visit as stored; NotFoundError when it is not (removed in another room)."""
    with ctx.db.read() as tx:
        return _value(tx, _load(tx, visit_id))


def course(ctx: ServiceContext, patient_id: str) -> Course:
    """The patient's visits and every treated region's outcome, from one read."""
    with ctx.db.read() as tx:
        visits = tuple(_values(tx, list(visit_repo.patient_visit_rows(tx, patient_id))))
        sites = [
            (region, session_id, started.date(), number)
            for region, session_id, started, number in visit_repo.treated_site_rows(tx, patient_id)
        ]
        assessed = [
            Assessment(started.date(), False, ceap_r, vcss_r or None, ceap_l, vcss_l or None)
            for started, ceap_r, vcss_r, ceap_l, vcss_l in visit_repo.session_assessment_rows(tx, patient_id)
        ]
    assessed += [Assessment(v.examined_on, True, v.ceap_right, v.vcss_right, v.ceap_left, v.vcss_left) for v in visits]
    recorded = tuple(
        sorted(
            (a for a in assessed if a.ceap_right or a.ceap_left or a.vcss_right or a.vcss_left),
            key=lambda a: (a.day, a.at_visit),
        )
    )
    return Course(patient_id, visits, region_outcomes(sites, visits), recorded)


def _load(tx: UnitOfWork, visit_id: str, *, lock: bool = False) -> FollowUpVisitRow:
    row = visit_repo.visit_row(tx, visit_id, lock=lock)
    if row is None:
        raise NotFoundError(
            "This follow-up visit is no longer stored (it was removed, perhaps in another room).",
            "Open the patient again to see what is stored.",
        )
    return row


def _checked(tx: UnitOfWork, ctx: ServiceContext, patient_id: str, draft: VisitDraft) -> VisitDraft:
    first = visit_repo.first_session_start(tx, patient_id)
    treated = frozenset(region for region, *_ in visit_repo.treated_site_rows(tx, patient_id, draft.examined_on))
    cleaned, errors = validate_visit(draft, ctx.today(), first.date() if first is not None else None, treated)
    if cleaned.practitioner_id is not None:
        practitioner = tx.get(PractitionerRow, cleaned.practitioner_id)
        if practitioner is None or not practitioner.active:
            errors.append(FieldError("Practitioner", "is not an active practitioner; choose one from the list."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_parts(tx: UnitOfWork, visit_id: str, draft: VisitDraft) -> None:
    for clearance in draft.clearances:
        tx.add(RegionClearanceRow(visit_id=visit_id, region=clearance.region, clearance_percent=clearance.percent))
    for finding in draft.complications:
        tx.add(
            VisitComplicationRow(
                visit_id=visit_id,
                kind=finding.kind.value,
                side=finding.side.value,
                region=finding.region,
                severity=finding.severity.value,
                action=finding.action,
                resolved=finding.resolved,
            )
        )


def _set_fields(row: FollowUpVisitRow, draft: VisitDraft) -> None:
    row.examined_on = draft.examined_on
    row.practitioner_id = draft.practitioner_id
    row.notes = draft.notes
    row.ceap_right = draft.ceap_right
    row.ceap_left = draft.ceap_left
    row.vcss_right = dict(draft.vcss_right) if draft.vcss_right else None
    row.vcss_left = dict(draft.vcss_left) if draft.vcss_left else None


def record_visit(ctx: ServiceContext, patient_id: str, draft: VisitDraft) -> FollowUpVisit:
    """Store a new follow-up visit (a draft) of the patient; audited.

    Raises:
        ValidationError: a field is not allowed (each named); nothing is stored.
        NotFoundError: the patient is not stored.
    """
    with ctx.db.write() as tx:
        if tx.get(PatientRow, patient_id) is None:
            raise NotFoundError("This patient is no longer stored.", "Search for the patient again.")
        cleaned = _checked(tx, ctx, patient_id, draft)
        now = ctx.clock()
        row = FollowUpVisitRow(id=str(uuid.uuid4()), patient_id=patient_id, created_at=now, updated_at=now, version=1)
        _set_fields(row, cleaned)
        tx.add(row)
        tx.flush()
        _write_parts(tx, row.id, cleaned)
        tx.flush()
        created = _value(tx, row)
        audit.record(tx, ctx, "create", "follow-up", row.id, None, created)
    return created


def _locked_draft(tx: UnitOfWork, visit_id: str, expected_version: int) -> FollowUpVisitRow:
    row = _load(tx, visit_id, lock=True)
    if row.imported_from:
        raise ConflictError(
            f"The follow-up of {row.examined_on:%d.%m.%Y} was carried over from an earlier version of ScleroChart "
            "and is kept as it was recorded.",
            "Record what you find now at a new visit.",
        )
    if row.state == SessionState.SIGNED.value:
        raise ConflictError(
            f"The follow-up visit of {row.examined_on:%d.%m.%Y} was signed by {row.signed_by or 'someone'} "
            "and can no longer be changed.",
            "Record what you found at a new visit.",
        )
    if row.version != expected_version:
        raise StaleError(
            f"The follow-up visit of {row.examined_on:%d.%m.%Y} was changed after it was shown "
            "(in this or another room). Your change was not saved.",
            "The visit now shows what is stored: check it, then make your change again.",
        )
    return row


def update_visit(ctx: ServiceContext, visit_id: str, expected_version: int, draft: VisitDraft) -> FollowUpVisit:
    """Replace what a draft visit holds with `draft`, made from the visit at `expected_version`; audited.

    Raises:
        StaleError: it was changed since that version (nothing saved).
        ConflictError: it is signed.
        ValidationError: a field is not allowed.
    """
    with ctx.db.write() as tx:
        row = _locked_draft(tx, visit_id, expected_version)
        cleaned = _checked(tx, ctx, row.patient_id, draft)
        before = _value(tx, row)
        _set_fields(row, cleaned)
        visit_repo.remove_parts(tx, row.id)
        _write_parts(tx, row.id, cleaned)
        row.version += 1
        row.updated_at = ctx.clock()
        tx.flush()
        after = _value(tx, row)
        audit.record(tx, ctx, "update", "follow-up", row.id, before, after)
    return after


def remove_visit(ctx: ServiceContext, visit_id: str, expected_version: int) -> None:
    """Remove a draft visit recorded by mistake (its photos with it); audited. A signed visit is kept."""
    with ctx.db.write() as tx:
        row = _locked_draft(tx, visit_id, expected_version)
        before = _value(tx, row)
        for photo in photo_repo.photos_of_visit(tx, row.id):  # each photo's removal in the trail too
            audit.record(tx, ctx, "delete", "photo", photo.id, photos.audited(photo), None)
            tx.delete(photo)
        tx.flush()
        tx.delete(row)
        tx.flush()
        audit.record(tx, ctx, "delete", "follow-up", visit_id, before, None)


def sign_visit(ctx: ServiceContext, visit_id: str, expected_version: int, password: str) -> FollowUpVisit:
    """Sign the visit as seen at `expected_version`, as the signed-in practitioner; it becomes read-only.

    The same rules as a session's signature: the signed-in practitioner types their password again; a visit
    changed since it was shown is not signed; the signature names signer, time and meaning, and the signing
    event in the audit trail holds a seal over the visit's rows as signed.
    """
    signer = accounts.confirm_password(ctx, password)
    with ctx.db.write() as tx:
        row = _locked_draft(tx, visit_id, expected_version)
        before = _value(tx, row)
        missing = visit_gaps(before, signer.id)
        if missing:
            raise ConflictError(
                "The visit was not signed; still missing: " + " ".join(missing), "Complete these, then sign."
            )
        row.state = SessionState.SIGNED.value
        row.signed_at = ctx.clock()
        row.signed_by = signer.label[:100]
        row.signer_id = signer.id
        row.signature_meaning = VISIT_SIGNATURE_MEANING
        row.version += 1
        row.updated_at = ctx.clock()
        tx.flush()
        after = _value(tx, row)
        sealed = {**audit.jsonable(after), SEAL_KEY: visit_seal(tx.connection(), row.id)}
        audit.record(tx, ctx, "sign", "follow-up", row.id, before, sealed)
    return after


def today_draft(ctx: ServiceContext, practitioner_id: int | None) -> VisitDraft:
    """An empty visit of today by the signed-in practitioner (what the form starts from)."""
    return VisitDraft(examined_on=ctx.today(), practitioner_id=practitioner_id)
