"""Signatures: the completeness list, signing, amendments, and setting a draft aside (delete or void).

Deleting is for an empty draft; a draft with sites is voided instead (kept, marked, out of every total).
A signature has two components (21 CFR 11.200): the signed-in practitioner and their password typed again.
It records the signer, the date and time and its meaning.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, StaleError, ValidationError
from sclerochart.domain.signing import (
    AMENDMENT_MEANING,
    Amendment,
    AmendmentDraft,
    Correction,
    Gap,
    completeness,
    corrected_by_number,
    corrected_sites,
    validate_amendment,
)
from sclerochart.domain.validation import SHORT_TEXT_MAX, clean_text, validate_site
from sclerochart.domain.values import SIGNATURE_MEANING, Reaction, SessionState, Site, TreatmentSession
from sclerochart.services import accounts, audit, mapping
from sclerochart.services.clinic import settings_in
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import agents_in, amendments_in, load_session_row, session_sites, session_value
from sclerochart.services.sites import lock_draft_session, touch
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import AmendmentRow, PractitionerRow, TreatmentSessionRow
from sclerochart.store.repositories import sessions as session_repo
from sclerochart.store.repositories import sites as site_repo
from sclerochart.store.signed_content import SEAL_KEY, session_seal


def gaps_of(ctx: ServiceContext, session_id: str) -> tuple[Gap, ...]:
    """The completeness list of a session as stored, for the signed-in practitioner: required items first."""
    with ctx.db.read() as tx:
        row = load_session_row(tx, session_id)
        return _gaps(tx, row, ctx.person.id if ctx.person is not None else None)


def _gaps(tx: UnitOfWork, row: TreatmentSessionRow, signer_id: int | None) -> tuple[Gap, ...]:
    practitioner = tx.get(PractitionerRow, row.practitioner_id) if row.practitioner_id is not None else None
    return completeness(
        session_value(tx, row),
        session_sites(tx, row.id),
        settings_in(tx).signing_needs(),
        practitioner is not None and practitioner.active,
        signer_id,
    )


def sign_session(ctx: ServiceContext, session_id: str, expected_version: int, password: str) -> TreatmentSession:
    """Sign the session as seen at `expected_version`, as the signed-in practitioner; it becomes read-only.

    Raises:
        SignInNeeded: nobody is signed in.
        WrongPassword, WaitBeforeTrying: the password typed again is not the signer's.
        StaleError: the session was changed since that version, so what was seen is not what would be signed.
        ConflictError: a required item of the completeness list is missing (the message lists them all).
    """
    signer = accounts.confirm_password(ctx, password)
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        if row.version != expected_version:
            raise StaleError(
                f"The session of {row.started_at:%d.%m.%Y %H:%M} was changed after it was shown for signing "
                "(a site or a detail, in this or another room). Nothing was signed.",
                "The session now shows what is stored: check it, then sign again.",
            )
        missing = [gap.text for gap in _gaps(tx, row, signer.id) if gap.required]
        if missing:
            raise ConflictError(
                "The session was not signed; still missing: " + " ".join(missing),
                "Complete these, then sign.",
            )
        before = session_value(tx, row)
        row.state = SessionState.SIGNED.value
        row.signed_at = ctx.clock()
        row.signed_by = signer.label[:100]
        row.signer_id = signer.id
        row.signature_meaning = SIGNATURE_MEANING
        row.details_version += 1
        touch(row, ctx)
        tx.flush()
        after = session_value(tx, row)
        # The seal over the rows as signed joins the chained event: the check finds any later change to them.
        sealed = {**audit.jsonable(after), SEAL_KEY: session_seal(tx, row.id)}
        audit.record(tx, ctx, "sign", "session", row.id, before, sealed)
    return after


def amend_session(ctx: ServiceContext, session_id: str, draft: AmendmentDraft, password: str) -> Amendment:
    """Append a signed amendment (addendum text and corrected site values) to a signed session; audited.

    Each correction's "before" is the value as it stands now (as signed, or as a later amendment set it).
    The session itself stays exactly as it was signed.

    Raises:
        ConflictError: the session is not signed (a draft is changed directly).
        ValidationError: the reason is missing, a site or value is not in the session, a corrected value is
            not allowed (the same rules as charting).
        WrongPassword, WaitBeforeTrying, SignInNeeded: the signature's password.
    """
    with ctx.db.read() as tx:  # what is typed is checked before the password is (a slip is not a wrong password)
        numbers = frozenset(site.number for site in session_sites(tx, session_id))
    validate_amendment(draft, numbers)
    signer = accounts.confirm_password(ctx, password)
    with ctx.db.write() as tx:
        row = _locked_session(tx, session_id)
        if row.state != SessionState.SIGNED.value:
            raise ConflictError(
                f"The session of {row.started_at:%d.%m.%Y %H:%M} is not signed: change it directly.",
                "An amendment corrects a signed session.",
            )
        sites = {site.number: site for site in session_sites(tx, row.id)}
        earlier = _amendments(tx, row.id)
        current = corrected_by_number(sites, earlier)
        clean = validate_amendment(draft, frozenset(sites))
        corrections = tuple(
            Correction(c.site_number, c.field, getattr(current[c.site_number], c.field), _typed(c))
            for c in clean.corrections
        )
        _check_corrected(tx, current, corrections)
        number = len(earlier) + 1
        amendment_row = AmendmentRow(
            session_id=row.id, number=number, text=clean.text, reason=clean.reason,
            corrections=[audit.jsonable(c) for c in corrections], author_id=signer.id,
            signed_by=signer.label[:100], signed_at=ctx.clock(), signature_meaning=AMENDMENT_MEANING,
        )  # fmt: skip
        tx.add(amendment_row)
        tx.flush()
        amendment = mapping.amendment(amendment_row)
        audit.record(tx, ctx, "amend", "session", row.id, None, amendment)
    return amendment


def amendments_of(ctx: ServiceContext, session_id: str) -> tuple[Amendment, ...]:
    """A session's amendments, oldest first."""
    with ctx.db.read() as tx:
        return _amendments(tx, session_id)


def void_session(ctx: ServiceContext, session_id: str, reason: str, expected_version: int) -> TreatmentSession:
    """Set a draft aside with a reason: kept, marked, left out of every total, never changed again; audited.

    Raises:
        ValidationError: no reason.
        StaleError: the session changed since the screen showed it.
        ConflictError: the session is signed (amend it instead) or voided already.
    """
    text = clean_text(reason)
    if not text or len(text) > SHORT_TEXT_MAX * 2 or "\x00" in text:
        raise ValidationError(
            [FieldError("Reason", f"is required (why the session is set aside), at most {SHORT_TEXT_MAX * 2} "
                        "characters, plain text.")]
        )  # fmt: skip
    person = ctx.person.label if ctx.person is not None else ctx.acting()  # as printed: name and credentials
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        _require_seen(row, expected_version, "voided")
        before = session_value(tx, row)
        row.voided_at = ctx.clock()
        row.voided_by = person[:100]
        row.void_reason = text
        row.details_version += 1
        touch(row, ctx)
        tx.flush()
        after = session_value(tx, row)
        audit.record(tx, ctx, "void", "session", row.id, before, after)
    return after


def delete_empty_draft(ctx: ServiceContext, session_id: str, expected_version: int) -> None:
    """Delete a draft that holds no injection sites (started by mistake); its tracings go with it; audited.

    Raises:
        ConflictError: it holds sites (void it instead), photos, or is signed.
        StaleError: the session changed since the screen showed it.
    """
    with ctx.db.write() as tx:
        row = lock_draft_session(tx, session_id)
        _require_seen(row, expected_version, "deleted")
        if site_repo.session_site_count(tx, row.id):
            raise ConflictError(
                "This session holds injection sites, so it is kept: a record of a treatment is never deleted.",
                "Void it instead, with the reason.",
            )
        if session_repo.photo_count(tx, row.id):
            raise ConflictError("This session has photos, so it is kept.", "Remove its photos first, or void it.")
        before = session_value(tx, row)
        tx.delete(row)
        tx.flush()
        audit.record(tx, ctx, "remove", "session", session_id, before, None)
        # The patient's own trail names the deleted session, so their audit trail still lists all of it.
        gone = {"session_id": session_id, "started_at": before.started_at}
        audit.record(tx, ctx, "remove-session", "patient", before.patient_id, gone, None)


def _require_seen(row: TreatmentSessionRow, expected_version: int, what: str) -> None:
    if row.version != expected_version:
        raise StaleError(
            f"The session of {row.started_at:%d.%m.%Y %H:%M} was changed after your screen showed it "
            f"(in this or another room), so it was not {what}.",
            "The session now shows what is stored: look at it, then try again.",
        )


def _locked_session(tx: UnitOfWork, session_id: str) -> TreatmentSessionRow:
    session_repo.lock_patient_of_session(tx, session_id)
    row = session_repo.session_row(tx, session_id, lock=True)
    if row is None:
        raise NotFoundError("That session is no longer stored.", "Open the patient again.")
    return row


def _amendments(tx: UnitOfWork, session_id: str) -> tuple[Amendment, ...]:
    return amendments_in(tx, session_id)


def _typed(correction: Correction) -> object:
    """The corrected value in the field's own type (numbers from text typed in a dialog or a command)."""
    value = correction.after
    if correction.field in ("volume_ml", "concentration", "vessel_diameter_mm"):
        if value in (None, "") and correction.field == "vessel_diameter_mm":
            return None
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            raise ValidationError(
                [FieldError("Corrected value", f"site {correction.site_number}: {value!r} is not a number.")]
            ) from None
    if correction.field == "reaction":
        try:
            return Reaction(str(value))
        except ValueError:
            allowed = ", ".join(member.value for member in Reaction)
            raise ValidationError(
                [FieldError("Corrected value", f"site {correction.site_number}: a reaction is one of {allowed}.")]
            ) from None
    return clean_text(str(value or ""))


def _check_corrected(tx: UnitOfWork, current: dict[int, Site], corrections: tuple[Correction, ...]) -> None:
    """The corrected sites must pass the same rules as a site charted at the chair."""
    agents = agents_in(tx)
    by_site: dict[int, Site] = {}
    for correction in corrections:
        site = by_site.get(correction.site_number, current[correction.site_number])
        change: dict[str, Any] = {correction.field: correction.after}
        by_site[correction.site_number] = replace(site, **change)
    for number, site in by_site.items():
        try:
            validate_site(site.draft(), agents[site.agent_id])
        except ValidationError as error:
            raise ValidationError(
                [FieldError(f"Site {number}, {e.field.lower()}", e.message) for e in error.errors]
            ) from None
        except ValueError:
            raise ValidationError([FieldError(f"Site {number}", "a corrected value is not allowed.")]) from None


__all__ = [
    "amend_session",
    "amendments_of",
    "corrected_sites",
    "delete_empty_draft",
    "gaps_of",
    "sign_session",
    "void_session",
]
