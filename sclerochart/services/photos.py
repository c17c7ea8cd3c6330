"""Photos of a session or a follow-up visit: added (metadata stripped), listed with thumbnails, compared.

A photo is stored in the database with its record, so a backup holds it and every room sees it. While its
record is a draft, its view and region can be corrected and it can be removed; once the record is signed
it stays as it is (a photo can still be added, e.g. from the camera after the visit: it says when and by
whom). Every addition, change and removal is audited (without the picture: its SHA-256 names it).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sclerochart.domain.diagram import ALL_REGIONS
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, StaleError, ValidationError
from sclerochart.domain.photos import PreparedPhoto
from sclerochart.domain.values import View
from sclerochart.readmodels import PhotoImage, PhotoInfo
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import FollowUpVisitRow, PhotoRow, TreatmentSessionRow
from sclerochart.store.repositories import photos as photo_repo


def _info(row: Any) -> PhotoInfo:
    return PhotoInfo(
        id=row[0],
        patient_id=row[1],
        session_id=row[2],
        visit_id=row[3],
        record_day=photo_repo.record_day(row),
        view=View(row[4]),
        region=row[5],
        taken_at=row[6],
        added_at=row[7],
        added_by=row[8],
        original_name=row[9],
        width=row[10],
        height=row[11],
        thumbnail=row[12],
        frozen=photo_repo.record_frozen(row),
        version=row[13],
    )


def _where(view: View | str, region: str) -> tuple[View, str]:
    errors = []
    try:
        chosen = View(view)
    except ValueError:
        errors.append(FieldError("Photo: view", "choose the view of the leg the photo shows."))
        chosen = View.ANTERIOR
    if region and region not in ALL_REGIONS:
        errors.append(FieldError("Photo: region", "choose a region of the diagram, or none."))
    if errors:
        raise ValidationError(errors)
    return chosen, region


def _owner(tx: UnitOfWork, session_id: str | None, visit_id: str | None) -> str:
    """The patient of the record a photo is added to; refuses a voided session or a missing record."""
    if (session_id is None) == (visit_id is None):
        raise ValidationError([FieldError("Photo", "belongs to one session or one follow-up visit.")])
    if session_id is not None:
        session = tx.get(TreatmentSessionRow, session_id)
        if session is None:
            raise NotFoundError("This session is no longer stored.", "Open the patient again.")
        if session.voided_at is not None:
            raise ConflictError(
                f"The session of {session.started_at:%d.%m.%Y} was voided: no photo can be added to it.",
                "Add the photo to the session it belongs to.",
            )
        return session.patient_id
    visit = tx.get(FollowUpVisitRow, visit_id)
    if visit is None:
        raise NotFoundError("This follow-up visit is no longer stored.", "Open the patient again.")
    return visit.patient_id


def audited(row: PhotoRow) -> dict[str, Any]:
    """What the audit trail keeps of a photo (its SHA-256 names the picture)."""
    return {
        "patient_id": row.patient_id,
        "session_id": row.session_id,
        "visit_id": row.visit_id,
        "view": row.view,
        "region": row.region,
        "taken_at": row.taken_at,
        "original_name": row.original_name,
        "width": row.width,
        "height": row.height,
        "sha256": row.sha256,
    }


def add_prepared_photo(
    ctx: ServiceContext,
    prepared: PreparedPhoto,
    *,
    view: View | str,
    region: str = "",
    session_id: str | None = None,
    visit_id: str | None = None,
) -> PhotoInfo:
    """Store a photo already prepared (metadata stripped, thumbnail made) with its session or visit; audited."""
    chosen, region = _where(view, region)
    with ctx.db.write() as tx:
        patient_id = _owner(tx, session_id, visit_id)
        row = PhotoRow(
            id=str(uuid.uuid4()),
            patient_id=patient_id,
            session_id=session_id,
            visit_id=visit_id,
            view=chosen.value,
            region=region,
            taken_at=prepared.taken_at,
            added_at=ctx.clock(),
            added_by=ctx.acting()[:100],
            original_name=prepared.original_name[:255],
            mime=prepared.mime,
            width=prepared.width,
            height=prepared.height,
            sha256=prepared.sha256,
            data=prepared.data,
            thumbnail=prepared.thumbnail,
            version=1,
        )
        tx.add(row)
        tx.flush()
        audit.record(tx, ctx, "create", "photo", row.id, None, audited(row))
        info = _info(photo_repo.listed_rows(tx, PhotoRow.id == row.id)[0])
    return info


def add_photo_file(
    ctx: ServiceContext,
    source: Path | bytes,
    *,
    view: View | str,
    region: str = "",
    session_id: str | None = None,
    visit_id: str | None = None,
    original_name: str = "",
) -> PhotoInfo:
    """Prepare a photo file (see photo_files.prepare_photo) and store it; slow for a big photo: not on the GUI thread.

    Raises:
        ValidationError: the file is not a picture, too big, damaged, or the view or region is not allowed.
    """
    name = original_name or (source.name if isinstance(source, Path) else "")
    _where(view, region)  # a wrong view is refused before the picture is decoded
    from sclerochart.services.photo_files import prepare_photo  # Pillow loads when a photo is first added

    prepared = prepare_photo(source, name)
    return add_prepared_photo(ctx, prepared, view=view, region=region, session_id=session_id, visit_id=visit_id)


def patient_photos(ctx: ServiceContext, patient_id: str) -> tuple[PhotoInfo, ...]:
    """Every photo of the patient with its thumbnail (not the picture), in the order they were added."""
    with ctx.db.read() as tx:
        return tuple(_info(row) for row in photo_repo.listed_rows(tx, PhotoRow.patient_id == patient_id))


def photo_image(ctx: ServiceContext, photo_id: str) -> PhotoImage:
    """A photo with its picture, for viewing whole or printing."""
    with ctx.db.read() as tx:
        listed = photo_repo.listed_rows(tx, PhotoRow.id == photo_id)
        if not listed:
            raise NotFoundError(
                "This photo is no longer stored (removed, perhaps in another room).", "Open the patient again."
            )
        return PhotoImage(_info(listed[0]), photo_repo.pictures(tx, [photo_id])[photo_id])


def images_of(
    ctx: ServiceContext, *, session_id: str | None = None, patient_id: str | None = None
) -> tuple[PhotoImage, ...]:
    """The photos of a session (or of a patient's whole course) with their pictures, for printing."""
    condition = PhotoRow.session_id == session_id if session_id is not None else PhotoRow.patient_id == patient_id
    with ctx.db.read() as tx:
        infos = [_info(row) for row in photo_repo.listed_rows(tx, condition)]
        data = photo_repo.pictures(tx, [info.id for info in infos])
    infos.sort(key=lambda info: (info.record_day, info.added_at))
    return tuple(PhotoImage(info, data[info.id]) for info in infos if info.id in data)


def _locked(tx: UnitOfWork, photo_id: str, expected_version: int) -> PhotoRow:
    row = photo_repo.photo_row(tx, photo_id, lock=True)
    if row is None:
        raise NotFoundError(
            "This photo is no longer stored (removed, perhaps in another room).", "Open the patient again."
        )
    listed = photo_repo.listed_rows(tx, PhotoRow.id == photo_id)[0]
    if photo_repo.record_frozen(listed):
        raise ConflictError(
            "This photo belongs to a signed record and stays as it was.",
            "Add a new photo if another picture or description is needed.",
        )
    if row.version != expected_version:
        raise StaleError(
            "This photo was changed after it was shown (in this or another room). Nothing was changed.",
            "The list now shows what is stored: make your change again.",
        )
    return row


def describe_photo(
    ctx: ServiceContext, photo_id: str, expected_version: int, view: View | str, region: str
) -> PhotoInfo:
    """Correct the view and region of a photo of a draft record; audited."""
    chosen, region = _where(view, region)
    with ctx.db.write() as tx:
        row = _locked(tx, photo_id, expected_version)
        before = audited(row)
        row.view = chosen.value
        row.region = region
        row.version += 1
        tx.flush()
        audit.record(tx, ctx, "update", "photo", row.id, before, audited(row))
        info = _info(photo_repo.listed_rows(tx, PhotoRow.id == row.id)[0])
    return info


def remove_photo(ctx: ServiceContext, photo_id: str, expected_version: int) -> None:
    """Remove a photo of a draft record (added by mistake); audited."""
    with ctx.db.write() as tx:
        row = _locked(tx, photo_id, expected_version)
        before = audited(row)
        tx.delete(row)
        tx.flush()
        audit.record(tx, ctx, "delete", "photo", photo_id, before, None)
