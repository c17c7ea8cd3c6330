"""The revised VCSS per leg: its ten items, the bounds of a score, the total and the stored form."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.errors import FieldError
from sclerochart.domain.vcss import (
    VCSS_ITEMS,
    VCSS_KEYS,
    VCSS_MAX,
    Vcss,
    from_stored,
    validate_vcss,
)

NAMES = [
    "Pain",
    "Varicose veins",
    "Venous oedema",
    "Skin pigmentation",
    "Inflammation",
    "Induration",
    "Number of active ulcers",
    "Active ulcer duration",
    "Active ulcer size",
    "Use of compression therapy",
]


def test_the_ten_items_in_the_published_order() -> None:
    assert [item.name for item in VCSS_ITEMS] == NAMES
    assert len(set(VCSS_KEYS)) == 10
    for item in VCSS_ITEMS:
        assert re.fullmatch(r"[a-z][a-z_]*", item.key), item.key
        assert item.definition.endswith(".") and len(item.definition) <= 120, item.definition
        assert len(item.levels) == 4
        assert all(level and len(level) <= 80 for level in item.levels), item.levels
        assert not re.search(r"DOMAIN|§", item.definition + " ".join(item.levels))


def test_an_empty_score_is_incomplete_and_totals_zero() -> None:
    vcss = Vcss()
    assert (vcss.total, vcss.complete, vcss.scored) == (0, False, 0)
    assert from_stored({}) == vcss


def test_the_total_sums_the_scored_items() -> None:
    full = Vcss((3,) * 10)
    assert (full.total, full.complete) == (VCSS_MAX, True)
    part = Vcss.of({"pain": 2, "oedema": 1, "compression": None})
    assert (part.total, part.complete, part.scored) == (3, False, 2)
    assert part.score("pain") == 2 and part.score("ulcer_size") is None
    assert Vcss((0,) * 10).complete


@pytest.mark.parametrize("value", [-1, 4, 1.5, 2.0, True, False, "2", [1]])
def test_a_score_outside_0_to_3_is_named_with_its_leg_and_item(value: object) -> None:
    errors = validate_vcss({"pain": 1, "induration": value}, "right")
    assert errors == [FieldError("VCSS right leg: Induration", "must be 0, 1, 2 or 3.")]
    with pytest.raises(ValueError):
        Vcss.of({"induration": value})  # type: ignore[dict-item]


def test_every_bad_item_is_named_and_good_ones_pass() -> None:
    scores: dict[str, object] = dict.fromkeys(VCSS_KEYS, 4)
    errors = validate_vcss(scores, "left")
    assert [error.field for error in errors] == [f"VCSS left leg: {name}" for name in NAMES]
    assert validate_vcss({key: index % 4 for index, key in enumerate(VCSS_KEYS)}, "left") == []
    assert validate_vcss({"pain": None}, "right") == []
    assert validate_vcss({}, "right") == []


def test_mistakes_of_the_program_raise() -> None:
    with pytest.raises(ValueError):
        validate_vcss({"pain": 1}, "both")
    with pytest.raises(ValueError):
        validate_vcss({"swelling": 1}, "right")
    with pytest.raises(ValueError):
        Vcss.of({"swelling": 1})
    with pytest.raises(ValueError):
        Vcss((1, 2, 3))
    with pytest.raises(ValueError):
        Vcss((4,) + (0,) * 9)


SCORES = st.tuples(*[st.one_of(st.none(), st.integers(0, 3)) for _ in VCSS_ITEMS]).map(Vcss)


@given(SCORES)
def test_the_stored_form_round_trips_through_json(vcss: Vcss) -> None:
    stored = {key: value for key, value in zip(VCSS_KEYS, vcss.scores, strict=True) if value is not None}
    assert all(isinstance(value, int) for value in stored.values())
    assert from_stored(json.loads(json.dumps(stored))) == vcss
    assert 0 <= vcss.total <= VCSS_MAX
    assert vcss.total == sum(stored.values())
    assert vcss.complete == (len(stored) == 10)


def test_the_stored_form_ignores_unknown_keys_and_treats_missing_as_unscored() -> None:
    vcss = from_stored({"pain": 1, "ulcer_size": None, "a_newer_item": 7})
    assert vcss.score("pain") == 1
    assert vcss.score("ulcer_size") is None
    assert vcss.scored == 1
    assert from_stored({}) == Vcss()


@pytest.mark.parametrize("value", [-1, 4, 1.5, True, "2"])
def test_a_damaged_stored_score_is_not_guessed_at(value: object) -> None:
    with pytest.raises(ValueError, match="Pain"):
        from_stored({"pain": value})
