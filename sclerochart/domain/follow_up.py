"""A follow-up visit: the cleared fraction of each treated region, complications, CEAP and VCSS, notes.

A visit belongs to the patient, not to one session: it judges every region treated before it, and lists
beside each region the sessions and sites that treated it. Its values and the rules of what may be stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sclerochart.domain.ceap import parse_ceap_full
from sclerochart.domain.diagram import ALL_REGIONS
from sclerochart.domain.errors import FieldError
from sclerochart.domain.validation import clean_text, validate_clearance
from sclerochart.domain.values import CLEARANCE_STEPS, Complication, SessionState
from sclerochart.domain.vcss import validate_vcss

VISIT_SIGNATURE_MEANING = (
    "Signing confirms that this record of the follow-up visit is complete and correct. "
    "After signing nothing in the visit can be changed."
)
NOTES_MAX = 10_000
ACTION_MAX = 2_000


class Severity(StrEnum):
    """How severe a complication is."""

    NOT_RECORDED = ""
    """Not given (complications carried over from before visits recorded it)."""
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class ComplicationSide(StrEnum):
    """Where a complication is: a leg, both, or not a leg (a headache, a visual disturbance)."""

    RIGHT = "right"
    LEFT = "left"
    BOTH = "both"
    NONE = ""


SIDE_WORDS = {
    ComplicationSide.RIGHT: "Right leg",
    ComplicationSide.LEFT: "Left leg",
    ComplicationSide.BOTH: "Both legs",
    ComplicationSide.NONE: "Not a leg",
}


@dataclass(frozen=True)
class RegionClearance:
    """The cleared fraction of one treated region (a region code of the diagram)."""

    region: str
    percent: int


@dataclass(frozen=True)
class ComplicationFinding:
    """A complication found at a visit."""

    kind: Complication
    side: ComplicationSide = ComplicationSide.NONE
    region: str = ""
    """A region code of the diagram, or empty."""
    severity: Severity = Severity.NOT_RECORDED
    action: str = ""
    """What was done about it (e.g. "microthrombectomy")."""
    resolved: bool = False


@dataclass(frozen=True)
class VisitDraft:
    """What the user enters for a follow-up visit; validated before it is stored."""

    examined_on: dt.date
    practitioner_id: int | None = None
    clearances: tuple[RegionClearance, ...] = ()
    complications: tuple[ComplicationFinding, ...] = ()
    notes: str = ""
    ceap_right: str = ""
    ceap_left: str = ""
    vcss_right: Mapping[str, int] | None = None
    """Item key to score; None or empty: not scored."""
    vcss_left: Mapping[str, int] | None = None


@dataclass(frozen=True)
class FollowUpVisit:
    """A stored follow-up visit."""

    id: str
    patient_id: str
    examined_on: dt.date
    practitioner_id: int | None
    practitioner_name: str
    clearances: tuple[RegionClearance, ...]
    complications: tuple[ComplicationFinding, ...]
    notes: str
    ceap_right: str
    ceap_left: str
    vcss_right: Mapping[str, int] | None
    vcss_left: Mapping[str, int] | None
    state: SessionState
    version: int
    signed_at: dt.datetime | None = None
    signed_by: str = ""
    signature_meaning: str = ""
    photo_count: int = 0
    imported: bool = False
    """Carried over from an earlier version of the program: kept as it was, read-only."""

    @property
    def signed(self) -> bool:
        """The visit is signed and read-only."""
        return self.state is SessionState.SIGNED

    @property
    def frozen(self) -> bool:
        """Nothing in the visit can change: it is signed, or carried over from an earlier version."""
        return self.signed or self.imported

    def clearance_of(self, region: str) -> int | None:
        """The cleared fraction this visit found for a region, or None when it did not rate it."""
        return next((each.percent for each in self.clearances if each.region == region), None)


@dataclass(frozen=True)
class Assessment:
    """CEAP and VCSS of both legs as recorded at a session or a visit (the course's baseline and latest)."""

    day: dt.date
    at_visit: bool
    """Recorded at a follow-up visit (else at a session)."""
    ceap_right: str
    vcss_right: Mapping[str, int] | None
    ceap_left: str
    vcss_left: Mapping[str, int] | None

    @property
    def where(self) -> str:
        """Where it was recorded, e.g. "Follow-up 20.04.2026" or "Session 02.03.2026"."""
        return f"{'Follow-up' if self.at_visit else 'Session'} {self.day:%d.%m.%Y}"


def visit_gaps(visit: FollowUpVisit, signer_id: int | None = None) -> list[str]:
    """What a visit lacks before it can be signed, each in words (signing waits for all of them).

    As for a session, the practitioner recorded as seeing the patient signs (`signer_id`: who would sign).
    """
    gaps = []
    if visit.practitioner_id is None:
        gaps.append("Practitioner: choose who saw the patient.")
    elif signer_id is not None and signer_id != visit.practitioner_id:
        gaps.append(
            f"Signer: the visit is recorded as seen by {visit.practitioner_name or 'another practitioner'}, who "
            "signs it. If you saw the patient, choose yourself as the practitioner first."
        )
    if not (visit.clearances or visit.complications or visit.notes or visit.vcss_right or visit.vcss_left):
        gaps.append("Findings: rate a region, record a complication, a score or a note.")
    return gaps


def region_words(code: str) -> str:
    """The clinician's name of a region code ("Right medial calf, middle third")."""
    region = ALL_REGIONS.get(code)
    return region.label if region is not None else code


def validate_visit(
    draft: VisitDraft, today: dt.date, first_treatment: dt.date | None, treated: frozenset[str]
) -> tuple[VisitDraft, list[FieldError]]:
    """The draft as it would be stored (texts cleaned, CEAP spelt out) and every field's problem.

    Args:
        draft: What was entered.
        today: The clinic's date (a visit cannot be in the future).
        first_treatment: The day of the patient's first session (a visit cannot come before it), or None.
        treated: The regions the patient's sessions up to the visit treated (only those are rated).
    """
    errors: list[FieldError] = []
    if draft.examined_on > today:
        errors.append(FieldError("Date of the visit", "is in the future; enter the day of the visit."))
    if first_treatment is None:
        errors.append(FieldError("Date of the visit", "comes before any session: a follow-up follows a session."))
    elif draft.examined_on < first_treatment:
        errors.append(
            FieldError(
                "Date of the visit",
                f"is before the first session ({first_treatment:%d.%m.%Y}); a follow-up comes after a session.",
            )
        )
    seen: set[str] = set()
    for each in draft.clearances:
        name = f"Clearance of {region_words(each.region)}"
        if each.region not in treated:
            errors.append(FieldError(name, "this region was not treated before the visit; rate treated regions."))
        if each.region in seen:
            errors.append(FieldError(name, "is given twice; give one value per region."))
        seen.add(each.region)
        if each.percent not in CLEARANCE_STEPS:
            errors += [FieldError(name, error.message) for error in validate_clearance(each.percent)]
    complications = []
    for number, finding in enumerate(draft.complications, start=1):
        name = f"Complication {number}"
        if finding.region and finding.region not in ALL_REGIONS:
            errors.append(FieldError(f"{name}, region", "choose a region of the diagram, or none."))
        if finding.region and finding.side in (ComplicationSide.RIGHT, ComplicationSide.LEFT):
            region = ALL_REGIONS.get(finding.region)
            if region is not None and region.side.value != finding.side.value:
                errors.append(FieldError(f"{name}, region", "is on the other leg than the side chosen; choose again."))
        action = clean_text(finding.action)
        if len(action) > ACTION_MAX:
            errors.append(FieldError(f"{name}, action taken", f"must be at most {ACTION_MAX} characters."))
        if "\x00" in action:
            errors.append(FieldError(f"{name}, action taken", "holds a character that cannot be stored."))
        complications.append(
            ComplicationFinding(finding.kind, finding.side, finding.region, finding.severity, action, finding.resolved)
        )
    notes = clean_text(draft.notes)
    if len(notes) > NOTES_MAX:
        errors.append(FieldError("Notes", f"must be at most {NOTES_MAX} characters."))
    if "\x00" in notes:
        errors.append(FieldError("Notes", "holds a character that cannot be stored."))
    ceap: dict[str, str] = {}
    for leg, value in (("right", draft.ceap_right), ("left", draft.ceap_left)):
        ceap[leg] = ""
        if value.strip():
            try:
                ceap[leg] = parse_ceap_full(value).canonical
            except ValueError as error:
                errors.append(FieldError(f"CEAP {leg} leg", str(error)))
    vcss: dict[str, Mapping[str, int] | None] = {}
    for leg, scores in (("right", draft.vcss_right), ("left", draft.vcss_left)):
        if scores:
            errors += validate_vcss(scores, leg)
        vcss[leg] = dict(scores) if scores else None
    cleaned = VisitDraft(
        draft.examined_on,
        draft.practitioner_id,
        tuple(draft.clearances),
        tuple(complications),
        notes,
        ceap["right"],
        ceap["left"],
        vcss["right"],
        vcss["left"],
    )
    return cleaned, errors
