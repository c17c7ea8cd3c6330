"""Before and after a signature: the completeness list that must be clear to sign, and amendments.

The completeness list is a chart audit done before signing: consent, the checklist and the practitioner are
always required; the clinic decides whether a weight (or the reason none was taken), at least one injection
site, the CEAP class, the stockings and the lot numbers are required too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.validation import LONG_TEXT_MAX, SHORT_TEXT_MAX, clean_text
from sclerochart.domain.values import Reaction, Site, TreatmentSession

AMENDMENT_MEANING = (
    "Signing confirms that this amendment is correct. The session as first signed is kept unchanged beside it."
)
"""What a signature on an amendment means: shown when signing and printed under it."""

ALWAYS_REQUIRED = ("practitioner", "signer", "consent", "checklist")
CLINIC_CHOICES = ("weight", "sites", "ceap", "compression", "lot_numbers")
"""Items the clinic may require before signing (clinic settings "Signing needs …")."""


@dataclass(frozen=True)
class Gap:
    """One item of the completeness list that is not done."""

    key: str
    text: str
    """What is missing, in the practitioner's words."""
    required: bool
    """True: signing waits for it; False: shown as a reminder only."""


def completeness(
    session: TreatmentSession,
    sites: tuple[Site, ...],
    required: frozenset[str],
    practitioner_active: bool,
    signer_id: int | None = None,
) -> tuple[Gap, ...]:
    """What the session lacks before it is signed, required items first.

    Args:
        session: the session as stored.
        sites: its sites as stored.
        required: the clinic's choice among CLINIC_CHOICES (the ALWAYS_REQUIRED items are required anyway).
        practitioner_active: the session's practitioner is still an active member of the clinic.
        signer_id: who would sign: the session's own practitioner signs it (None: not asked).
    """
    gaps: list[Gap] = []

    def check(key: str, done: bool, text: str) -> None:
        if not done:
            gaps.append(Gap(key, text, key in ALWAYS_REQUIRED or key in required))

    check(
        "practitioner",
        session.practitioner_id is not None and practitioner_active,
        "Practitioner: choose who treated (an active member of the clinic).",
    )
    check(
        "signer",
        signer_id is None or session.practitioner_id is None or session.practitioner_id == signer_id,
        f"Signer: the session is recorded as treated by {session.practitioner_name or 'another practitioner'}, "
        "who signs it. If you treated, choose yourself as the practitioner first.",
    )
    check("consent", session.consent, "Consent: tick it once the patient has consented.")
    check("checklist", session.checklist_reviewed, "Checklist: go through it with the patient and mark it done.")
    check(
        "weight",
        session.weight_kg is not None or bool(session.weight_reason),
        "Weight: enter it, or say why it was not taken.",
    )
    check("sites", bool(sites), "Injection sites: none recorded (a session where nothing was injected is voided).")
    check("ceap", bool(session.ceap_right or session.ceap_left), "CEAP: enter the clinical class of a leg.")
    check("compression", bool(session.compression.stocking), "Compression: name the stockings prescribed.")
    missing_lots = [site.number for site in sites if not site.lot_number]
    check(
        "lot_numbers",
        not missing_lots,
        f"Lot numbers: missing at site{'s' if len(missing_lots) > 1 else ''} "
        + ", ".join(str(n) for n in missing_lots[:10])
        + (" …" if len(missing_lots) > 10 else "")
        + ".",
    )
    return tuple(sorted(gaps, key=lambda gap: not gap.required))


CORRECTABLE = {
    "volume_ml": "Volume (mL)",
    "concentration": "Concentration (%)",
    "lot_number": "Lot number",
    "vessel_diameter_mm": "Vessel diameter (mm)",
    "reaction": "Immediate reaction",
    "notes": "Notes",
}
"""Site values an amendment may correct, with their names on screen and paper."""


@dataclass(frozen=True)
class Correction:
    """One corrected value of one site: what was signed and what it should have been."""

    site_number: int
    field: str
    before: Any
    after: Any

    def in_words(self) -> str:
        """The correction as a line: "Site 3, volume (mL): 0.5 → 0.3"."""
        title = CORRECTABLE.get(self.field, self.field)
        title = title[:1].lower() + title[1:]  # "volume (mL)", the unit as written
        return f"Site {self.site_number}, {title}: {_word(self.before)} → {_word(self.after)}"


def _word(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class AmendmentDraft:
    """What the practitioner writes to amend a signed session."""

    reason: str
    text: str = ""
    corrections: tuple[Correction, ...] = field(default=())


@dataclass(frozen=True)
class Amendment:
    """A stored, signed amendment."""

    id: int
    session_id: str
    number: int
    reason: str
    text: str
    corrections: tuple[Correction, ...]
    author_id: int
    signed_by: str
    signed_at: dt.datetime
    meaning: str


def validate_amendment(draft: AmendmentDraft, site_numbers: frozenset[int]) -> AmendmentDraft:
    """The draft cleaned, or ValidationError naming what is missing or not allowed."""
    errors: list[FieldError] = []
    reason = clean_text(draft.reason)
    text = clean_text(draft.text)
    if not reason:
        errors.append(FieldError("Reason", "is required: why the signed record needs amending."))
    elif len(reason) > SHORT_TEXT_MAX * 2:
        errors.append(FieldError("Reason", f"is {len(reason)} characters long; at most {SHORT_TEXT_MAX * 2}."))
    if len(text) > LONG_TEXT_MAX:
        errors.append(FieldError("Addendum", f"is {len(text)} characters long; at most {LONG_TEXT_MAX}."))
    if not text and not draft.corrections:
        errors.append(FieldError("Addendum", "write the addendum, or correct at least one site value."))
    seen: set[tuple[int, str]] = set()
    for correction in draft.corrections:
        if correction.site_number not in site_numbers:
            errors.append(FieldError("Site", f"site {correction.site_number} is not in this session."))
        elif correction.field not in CORRECTABLE:
            errors.append(FieldError("Value", f"{correction.field!r} cannot be corrected by an amendment."))
        elif (correction.site_number, correction.field) in seen:
            errors.append(FieldError("Site", f"site {correction.site_number} is corrected twice in one amendment."))
        seen.add((correction.site_number, correction.field))
    if any("\x00" in value for value in (reason, text)):
        errors.append(FieldError("Addendum", "holds invisible control characters; type it again."))
    if errors:
        raise ValidationError(errors)
    return AmendmentDraft(reason=reason, text=text, corrections=draft.corrections)


def corrected_sites(sites: tuple[Site, ...], amendments: tuple[Amendment, ...]) -> tuple[Site, ...]:
    """The sites with every amendment's corrections applied, in order (what the record now says)."""
    current = corrected_by_number({site.number: site for site in sites}, amendments)
    return tuple(current[site.number] for site in sites)


def corrected_by_number(sites: dict[int, Site], amendments: tuple[Amendment, ...]) -> dict[int, Site]:
    """The sites by number with every amendment's corrections applied, in order."""
    current = dict(sites)
    for amendment in amendments:
        for correction in amendment.corrections:
            site = current.get(correction.site_number)
            if site is not None:
                change: dict[str, Any] = {correction.field: _as_field(correction.field, correction.after)}
                current[correction.site_number] = replace(site, **change)
    return current


def _as_field(field: str, value: object) -> object:
    """A stored correction's value in the site's own type."""
    return Reaction(str(value)) if field == "reaction" and value is not None else value
