"""Validation of every field: each message names the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.errors import ValidationError
from sclerochart.domain.validation import (
    VOLUME_ML_RANGE,
    validate_patient,
    validate_session,
    validate_site,
    validate_weight,
)
from sclerochart.domain.values import Form, Gas, SessionDraft, SiteDraft, VesselType, View
from tests.conftest import patient_draft
from tests.unit.test_dose import POL, SALINE

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 10, 0)


def site_draft(**changes: object) -> SiteDraft:
    base = SiteDraft(
        view=View.ANTERIOR,
        x=0.3,
        y=0.3,
        agent_id=POL.id,
        concentration=0.5,
        form=Form.LIQUID,
        volume_ml=0.2,
        vessel_type=VesselType.TELANGIECTASIA,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["Zoë Łukasiewicz-Ødegård", "Дмитрий Иванов", "Nguyễn Thị Hồng", "Παπαδοπούλου", "O'Brien"]
)
def test_names_in_any_script_are_accepted_and_normalised(name: str) -> None:
    clean = validate_patient(patient_draft(family_name=f"  {name} "), TODAY)
    assert clean.family_name == name


def test_decomposed_accents_are_stored_composed() -> None:
    clean = validate_patient(patient_draft(given_name="Zoe\u0308"), TODAY)
    assert clean.given_name == "Zoë"


def test_date_of_birth_in_the_future_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_patient(patient_draft(date_of_birth=TODAY + dt.timedelta(days=1)), TODAY)
    assert caught.value.for_field("Date of birth") is not None
    assert "future" in str(caught.value)


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_patient(patient_draft(chart_number=" ", family_name="", email="nope", date_of_birth=None), TODAY)
    fields = {e.field for e in caught.value.errors}
    assert fields == {"Chart number", "Family name", "E-mail", "Date of birth"}


def test_control_characters_in_a_name_are_refused() -> None:
    with pytest.raises(ValidationError, match="Family name"):
        validate_patient(patient_draft(family_name="Smith\x00"), TODAY)


def test_concentration_the_agent_is_not_made_in_lists_the_allowed_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_site(site_draft(concentration=0.7), POL)
    message = caught.value.for_field("Concentration")
    assert message is not None
    assert "not made in 0.7 %" in message and "0.25 %" in message and "3 %" in message


@pytest.mark.parametrize("volume", [-0.2, 0.0, 25.0, math.nan, math.inf])
def test_negative_zero_absurd_or_non_numeric_volume_is_refused(volume: float) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_site(site_draft(volume_ml=volume), POL)
    assert caught.value.for_field("Volume") is not None
    assert "0.01" in str(caught.value) and "20 mL" in str(caught.value)


def test_foam_needs_ratio_and_gas_and_liquid_forgets_them() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_site(site_draft(form=Form.FOAM), POL)
    assert {e.field for e in caught.value.errors} == {"Foam ratio", "Gas"}
    liquid = validate_site(site_draft(foam_liquid_parts=1, foam_gas_parts=4, gas=Gas.CO2), POL)
    assert (liquid.foam_liquid_parts, liquid.foam_gas_parts, liquid.gas) == (None, None, None)


def test_saline_is_not_given_as_foam() -> None:
    with pytest.raises(ValidationError, match="only as liquid"):
        validate_site(
            site_draft(
                agent_id=SALINE.id,
                concentration=23.4,
                form=Form.FOAM,
                foam_liquid_parts=1,
                foam_gas_parts=4,
                gas=Gas.ROOM_AIR,
            ),
            SALINE,
        )


def test_weight_range_and_missing_weight() -> None:
    assert validate_weight(None) == []
    assert validate_weight(None, required=True)[0].field == "Weight"
    assert "from 20 to 350 kg" in validate_weight(3.0)[0].message
    assert validate_weight(72.5) == []


def test_session_ceap_is_canonical_and_bad_ceap_is_named() -> None:
    clean = validate_session(SessionDraft(None, NOW, ceap_right="c2r s", ceap_left="C4A"), NOW, None)
    assert (clean.ceap_right, clean.ceap_left) == ("C2r,S", "C4a")
    with pytest.raises(ValidationError, match="CEAP left leg"):
        validate_session(SessionDraft(None, NOW, ceap_left="C9"), NOW, None)


def test_absolute_contraindication_needs_a_recorded_reason() -> None:
    draft = SessionDraft(None, NOW, checklist={"acute_dvt_pe": True})
    with pytest.raises(ValidationError, match="Override reason"):
        validate_session(draft, NOW, None)
    assert validate_session(replace(draft, checklist_override="Cleared by vascular surgeon"), NOW, None)
    foam_only = SessionDraft(None, NOW, checklist={"symptomatic_pfo": True})
    assert validate_session(foam_only, NOW, None, uses_foam=False)
    with pytest.raises(ValidationError):
        validate_session(foam_only, NOW, None, uses_foam=True)


def test_session_far_in_the_future_or_before_birth_is_refused() -> None:
    with pytest.raises(ValidationError, match="Date and time"):
        validate_session(SessionDraft(None, NOW + dt.timedelta(days=3)), NOW, None)
    with pytest.raises(ValidationError, match="date of birth"):
        validate_session(SessionDraft(None, NOW), NOW, dt.date(2026, 12, 1))


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000)))
def test_volume_validator_accepts_exactly_the_allowed_range(volume: float) -> None:
    low, high = VOLUME_ML_RANGE
    try:
        clean = validate_site(site_draft(volume_ml=volume), POL)
    except ValidationError as error:
        assert error.for_field("Volume") is not None
        assert not (math.isfinite(volume) and low <= volume <= high)
    else:
        assert low <= clean.volume_ml <= high


@given(st.text(max_size=150), st.text(max_size=150))
def test_patient_validator_either_accepts_or_names_the_field(family: str, given_name: str) -> None:
    try:
        clean = validate_patient(patient_draft(family_name=family, given_name=given_name), TODAY)
    except ValidationError as error:
        assert {e.field for e in error.errors} <= {"Family name", "Given name"}
    else:
        assert clean.family_name and len(clean.family_name) <= 100
