"""Validation of every field a user enters; each message names the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from sclerochart.domain.ceap import parse_ceap_full
from sclerochart.domain.checklist import ITEMS_BY_KEY, absolute_contraindications
from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.values import (
    CLEARANCE_STEPS,
    Form,
    PatientDraft,
    Sclerosant,
    SessionDraft,
    SiteDraft,
    TracingDraft,
)
from sclerochart.domain.vcss import validate_vcss

NAME_MAX = 100
CHART_NUMBER_MAX = 32
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10_000
LOT_MAX = 40
OLDEST_BIRTH_YEAR = 1900

WEIGHT_KG_RANGE = (20.0, 350.0)
"""A body weight outside this range is taken for a typing error."""

VOLUME_ML_RANGE = (0.01, 20.0)
"""Volume of one injection in mL; the per-injection label maxima are checked separately as findings."""

DIAMETER_MM_RANGE = (0.1, 20.0)
FOAM_LIQUID_PARTS_RANGE = (1, 4)
FOAM_GAS_PARTS_RANGE = (1, 8)
COMPRESSION_DAYS_RANGE = (0, 90)
COMPRESSION_HOURS_RANGE = (0, 72)

TRACING_POINTS_RANGE = (2, 2000)
"""A tracing needs two points to be a line; more than this many is a stuck mouse, not a vein."""

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CHART_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./_-]*$")
CHART_NUMBER_RULE = "may hold only letters A–Z, digits and . / _ - and must start with one of the first two."


def chart_number_allowed(text: str) -> bool:
    """The text may be a chart number (letters A–Z, digits, . / _ -, starting with a letter or digit)."""
    return bool(_CHART_NUMBER.match(text))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()./\- ]{3,30}$")


def clean_text(value: str) -> str:
    """Text as stored: NFC-normalised (so "é" typed two ways compares equal), outer spaces trimmed."""
    return unicodedata.normalize("NFC", value).strip()


def _has_control_characters(value: str, allow_newlines: bool) -> bool:
    for char in value:
        if allow_newlines and char in "\n\r\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co"):
            return True
    return False


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Right-to-left overrides, embeddings and isolates: they make a name print in another order than it reads.
Names written right to left (Arabic, Hebrew) need none of them."""


def name_problem(text: str, *, maximum: int, required: bool) -> str | None:
    """What is wrong with a person's or clinic's name (already cleaned), or None.

    Refused: control characters (NUL among them), direction overrides, and a name of invisible characters only
    (zero-width spaces); any script is welcome, right to left included.
    """
    if len(text) > maximum:
        return f"is {len(text)} characters long; at most {maximum} are allowed."
    if _has_control_characters(text, allow_newlines=False):
        return "holds invisible control characters; type it again or paste plain text."
    if any(char in _BIDI_CONTROLS for char in text):
        return "holds a hidden text-direction character that changes how the name reads; type it again."
    visible = [char for char in text if not char.isspace() and unicodedata.category(char) != "Cf"]
    if text and not visible:
        return "holds only invisible characters; type the name."
    if required and not text:
        return "is required."
    return None


def _text(
    errors: list[FieldError], field: str, value: str, *, required: bool, maximum: int, multiline: bool = False
) -> str:
    text = clean_text(value)
    if required and not text:
        errors.append(FieldError(field, "is required."))
    elif len(text) > maximum:
        errors.append(FieldError(field, f"is {len(text)} characters long; at most {maximum} are allowed."))
    elif _has_control_characters(text, multiline):
        errors.append(FieldError(field, "holds invisible control characters; type it again or paste plain text."))
    return text


def _name(errors: list[FieldError], field: str, value: str, *, required: bool) -> str:
    text = clean_text(value)
    problem = name_problem(text, maximum=NAME_MAX, required=required)
    if problem:
        errors.append(FieldError(field, problem))
    return text


def _number_in_range(errors: list[FieldError], field: str, value: float, low: float, high: float, unit: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.append(FieldError(field, f"must be a number from {low:g} to {high:g} {unit}."))
    elif not low <= value <= high:
        errors.append(FieldError(field, f"is {value:g} {unit}; it must be from {low:g} to {high:g} {unit}."))


def validate_weight(value: float | None, *, required: bool = False) -> list[FieldError]:
    """Errors for a body weight in kg (None means not recorded)."""
    errors: list[FieldError] = []
    if value is None:
        if required:
            errors.append(FieldError("Weight", "is required for the mg/kg dose check."))
        return errors
    _number_in_range(errors, "Weight", value, *WEIGHT_KG_RANGE, "kg")
    return errors


def validate_patient(draft: PatientDraft, today: dt.date) -> PatientDraft:
    """The draft with its text cleaned, or ValidationError naming every field that is not allowed."""
    errors: list[FieldError] = []
    chart = _text(errors, "Chart number", draft.chart_number, required=True, maximum=CHART_NUMBER_MAX)
    if chart and len(chart) <= CHART_NUMBER_MAX and not chart_number_allowed(chart):
        errors.append(FieldError("Chart number", CHART_NUMBER_RULE))
    family = _name(errors, "Family name", draft.family_name, required=True)
    given = _name(errors, "Given name", draft.given_name, required=False)
    if draft.date_of_birth is None:
        errors.append(FieldError("Date of birth", "is required."))
    elif draft.date_of_birth > today:
        errors.append(
            FieldError(
                "Date of birth", f"{draft.date_of_birth.isoformat()} is in the future; it must be today or earlier."
            )
        )
    elif draft.date_of_birth.year < OLDEST_BIRTH_YEAR:
        errors.append(FieldError("Date of birth", f"must be in {OLDEST_BIRTH_YEAR} or later."))
    phone = _text(errors, "Phone", draft.phone, required=False, maximum=30)
    if phone and not _PHONE.match(phone):
        errors.append(FieldError("Phone", "may hold only digits, spaces and + ( ) . / -."))
    email = _text(errors, "E-mail", draft.email, required=False, maximum=SHORT_TEXT_MAX)
    if email and not _EMAIL.match(email):
        errors.append(FieldError("E-mail", "must look like name@example.org."))
    address = _text(errors, "Address", draft.address, required=False, maximum=SHORT_TEXT_MAX * 2, multiline=True)
    allergies = _text(errors, "Allergies", draft.allergies, required=False, maximum=LONG_TEXT_MAX, multiline=True)
    notes = _text(errors, "Notes", draft.notes, required=False, maximum=LONG_TEXT_MAX, multiline=True)
    unknown = [key for key in draft.history if key not in ITEMS_BY_KEY]
    if unknown:
        errors.append(FieldError("History", f"unknown item {unknown[0]!r}."))
    if errors:
        raise ValidationError(errors)
    return PatientDraft(
        chart_number=chart,
        family_name=family,
        given_name=given,
        date_of_birth=draft.date_of_birth,
        sex=draft.sex,
        phone=phone,
        email=email,
        address=address,
        allergies=allergies,
        history=tuple(sorted(set(draft.history))),
        notes=notes,
        name_order=draft.name_order,
    )


def _position(errors: list[FieldError], field: str, value: float) -> None:
    if not _on_diagram(value):
        errors.append(FieldError(field, "must lie on the diagram (0 to 1)."))


def validate_site(draft: SiteDraft, agent: Sclerosant) -> SiteDraft:
    """The draft with its text cleaned, or ValidationError naming every field that is not allowed."""
    errors: list[FieldError] = []
    _position(errors, "Position across", draft.x)
    _position(errors, "Position down", draft.y)
    if not any(math.isclose(draft.concentration, allowed) for allowed in agent.concentrations):
        allowed_text = ", ".join(f"{c:g} %" for c in agent.concentrations)
        errors.append(
            FieldError(
                "Concentration", f"{agent.name} is not made in {draft.concentration:g} %; choose {allowed_text}."
            )
        )
    if draft.form not in agent.forms:
        errors.append(FieldError("Form", f"{agent.name} is given only as {' or '.join(f.value for f in agent.forms)}."))
    _number_in_range(errors, "Volume", draft.volume_ml, *VOLUME_ML_RANGE, "mL")
    if draft.form is Form.FOAM:
        if draft.foam_liquid_parts is None or draft.foam_gas_parts is None:
            errors.append(FieldError("Foam ratio", "is required for foam (liquid:gas, e.g. 1:4)."))
        else:
            low, high = FOAM_LIQUID_PARTS_RANGE
            if not low <= draft.foam_liquid_parts <= high:
                errors.append(FieldError("Foam ratio", f"liquid part must be from {low} to {high}."))
            low, high = FOAM_GAS_PARTS_RANGE
            if not low <= draft.foam_gas_parts <= high:
                errors.append(FieldError("Foam ratio", f"gas part must be from {low} to {high}."))
        if draft.gas is None:
            errors.append(FieldError("Gas", "is required for foam (room air, CO2, CO2/O2 or O2)."))
    if draft.vessel_diameter_mm is not None:
        _number_in_range(errors, "Vessel diameter", draft.vessel_diameter_mm, *DIAMETER_MM_RANGE, "mm")
    lot = _text(errors, "Lot number", draft.lot_number, required=False, maximum=LOT_MAX)
    notes = _text(errors, "Notes", draft.notes, required=False, maximum=LONG_TEXT_MAX, multiline=True)
    reason = _text(errors, "Reason", draft.override_reason, required=False, maximum=SHORT_TEXT_MAX * 5, multiline=True)
    if errors:
        raise ValidationError(errors)
    liquid = draft.form is Form.LIQUID
    return SiteDraft(
        view=draft.view,
        x=float(draft.x),
        y=float(draft.y),
        agent_id=draft.agent_id,
        concentration=next(c for c in agent.concentrations if math.isclose(draft.concentration, c)),
        form=draft.form,
        volume_ml=round(float(draft.volume_ml), 3),
        vessel_type=draft.vessel_type,
        foam_liquid_parts=None if liquid else draft.foam_liquid_parts,
        foam_gas_parts=None if liquid else draft.foam_gas_parts,
        gas=None if liquid else draft.gas,
        vessel_diameter_mm=draft.vessel_diameter_mm,
        delivery=draft.delivery,
        lot_number=lot,
        reaction=draft.reaction,
        notes=notes,
        override_reason=reason,
    )


def _on_diagram(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1


def validate_tracing(draft: TracingDraft) -> TracingDraft:
    """The tracing with its label cleaned and its points rounded, or ValidationError."""
    errors: list[FieldError] = []
    low, high = TRACING_POINTS_RANGE
    if not low <= len(draft.points) <= high:
        errors.append(FieldError("Tracing", f"has {len(draft.points)} points; it needs {low} to {high}."))
    elif not all(len(point) == 2 and all(_on_diagram(v) for v in point) for point in draft.points):
        errors.append(FieldError("Tracing", "must lie on the diagram (every point 0 to 1 across and down)."))
    if not _COLOUR.match(draft.colour):
        errors.append(FieldError("Colour", "must be a colour like #1f4e9c."))
    label = _text(errors, "Label", draft.label, required=False, maximum=NAME_MAX)
    if errors:
        raise ValidationError(errors)
    points = tuple((round(float(x), 4), round(float(y), 4)) for x, y in draft.points)
    return TracingDraft(view=draft.view, points=points, colour=draft.colour.lower(), label=label)


def validate_session(
    draft: SessionDraft, now: dt.datetime, date_of_birth: dt.date | None, *, uses_foam: bool = False
) -> SessionDraft:
    """The draft with CEAP and text in canonical form, or ValidationError naming every bad field."""
    errors: list[FieldError] = []
    if draft.started_at > now + dt.timedelta(days=1):
        errors.append(
            FieldError("Date and time", "is more than a day in the future; enter when the session took place.")
        )
    if date_of_birth is not None and draft.started_at.date() < date_of_birth:
        errors.append(FieldError("Date and time", "is before the patient's date of birth."))
    errors.extend(validate_weight(draft.weight_kg))
    ceap = {}
    for leg, value in (("right", draft.ceap_right), ("left", draft.ceap_left)):
        ceap[leg] = ""
        if value.strip():
            try:
                ceap[leg] = parse_ceap_full(value).canonical
            except ValueError as error:
                errors.append(FieldError(f"CEAP {leg} leg", str(error)))
    unknown = [key for key in draft.checklist if key not in ITEMS_BY_KEY]
    if unknown:
        errors.append(FieldError("Checklist", f"unknown item {unknown[0]!r}."))
    override = _text(errors, "Override reason", draft.checklist_override, required=False, maximum=SHORT_TEXT_MAX * 5)
    if absolute_contraindications(draft.checklist, uses_foam) and not override:
        errors.append(
            FieldError("Override reason", "an absolute contraindication is ticked; treating needs a recorded reason.")
        )
    low, high = COMPRESSION_DAYS_RANGE
    if not low <= draft.compression.days <= high:
        errors.append(FieldError("Compression days", f"must be from {low} to {high}."))
    low, high = COMPRESSION_HOURS_RANGE
    if not low <= draft.compression.continuous_hours <= high:
        errors.append(FieldError("Compression hours without removal", f"must be from {low} to {high}."))
    _text(errors, "Stockings", draft.compression.stocking, required=False, maximum=SHORT_TEXT_MAX)
    notes = _text(errors, "Notes", draft.notes, required=False, maximum=LONG_TEXT_MAX, multiline=True)
    weight_reason = _text(errors, "No weight because", draft.weight_reason, required=False, maximum=SHORT_TEXT_MAX)
    if weight_reason and draft.weight_kg is not None:
        errors.append(
            FieldError("No weight because", "is only for a session without a weight: clear it, or clear the weight.")
        )
    for leg, scores in (("right", draft.vcss_right), ("left", draft.vcss_left)):
        if scores:
            errors.extend(validate_vcss(scores, leg))
    if errors:
        raise ValidationError(errors)
    return SessionDraft(
        practitioner_id=draft.practitioner_id,
        started_at=draft.started_at,
        weight_kg=draft.weight_kg,
        ceap_right=ceap["right"],
        ceap_left=ceap["left"],
        checklist=_checks_from_fields(draft),
        checklist_override=override,
        consent=draft.consent,
        compression=draft.compression,
        notes=notes,
        checklist_reviewed=bool(draft.checklist_reviewed),
        weight_reason=weight_reason,
        vcss_right=dict(draft.vcss_right) if draft.vcss_right else None,
        vcss_left=dict(draft.vcss_left) if draft.vcss_left else None,
    )


MIRRORED_CHECKS = {"consent_given": "Consent", "weight_recorded": "Weight"}
"""Checklist checks that the session's own fields answer: they always say what those fields hold."""


def _checks_from_fields(draft: SessionDraft) -> dict[str, bool]:
    """The checklist with its consent and weight checks set from the consent and weight fields (never apart)."""
    checks: dict[str, bool] = {k: v for k, v in draft.checklist.items() if k not in MIRRORED_CHECKS and v}
    if draft.consent:
        checks["consent_given"] = True
    if draft.weight_kg is not None:
        checks["weight_recorded"] = True
    return checks


def validate_clearance(value: int | None) -> list[FieldError]:
    """Errors for a cleared fraction at follow-up (0, 25, 50, 75 or 100 %)."""
    if value is None or value in CLEARANCE_STEPS:
        return []
    return [FieldError("Clearance", f"must be one of {', '.join(f'{s} %' for s in CLEARANCE_STEPS)}.")]
