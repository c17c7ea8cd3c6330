"""CEAP 2020 per leg: canonical spelling, lenient reading, the rules on combining, and messages in plain words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.ceap import (
    CEAP_MAX,
    CLINICAL_CLASSES,
    Ceap,
    parse_ceap,
    parse_ceap_full,
)
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.validation import validate_session
from sclerochart.domain.values import SessionDraft

NOW = dt.datetime(2026, 11, 23, 10, 0)

STORED_BEFORE_2020 = [code + suffix for code in CLINICAL_CLASSES for suffix in ("", ",S", ",A")]


@pytest.mark.parametrize("stored", STORED_BEFORE_2020)
def test_values_stored_before_ceap_2020_are_still_canonical(stored: str) -> None:
    assert parse_ceap(stored) == stored
    assert parse_ceap_full(stored).canonical == stored


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_input_is_empty(text: str) -> None:
    assert parse_ceap(text) == ""
    with pytest.raises(ValueError, match="Enter the CEAP classification"):
        parse_ceap_full(text)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("C2,4a,S Ep As Pr", "C2,4a,S Ep As Pr"),
        ("c2, 4a s ep as pr", "C2,4a,S Ep As Pr"),
        ("c2r s", "C2r,S"),
        ("c2r,s", "C2r,S"),
        ("C2r/S", "C2r,S"),
        ("c2rs", "C2r,S"),
        (" C 2r , S ", "C2r,S"),
        ("C4A", "C4a"),
        ("C4aA", "C4a,A"),
        ("C2,C4a,S", "C2,4a,S"),
        ("C4a,2", "C2,4a"),
        ("C2 4a", "C2,4a"),
        ("C2,4a,S,Ep,As,p,Pr", "C2,4a,S Ep As,p Pr"),
        ("C2 As,p", "C2 As,p"),
        ("C2 Ap,s", "C2 As,p"),
        ("C2 As,Ap,Ad", "C2 As,d,p"),
        ("C2 As d p", "C2 As,d,p"),
        ("C2 Pr,o", "C2 Pr,o"),
        ("C2 Po,Pr", "C2 Pr,o"),
        ("C2 Pr Ep As", "C2 Ep As Pr"),
        ("C3 Esi", "C3 Esi"),
        ("C3 ESE Ad Po", "C3 Ese Ad Po"),
        ("C0,A En An Pn", "C0,A En An Pn"),
        ("C1,2,2r,3,4a,4b,4c,5,6,6r,S Ec As,d,p Pr,o", "C1,2,2r,3,4a,4b,4c,5,6,6r,S Ec As,d,p Pr,o"),
    ],
)
def test_typed_text_is_read_leniently_into_the_canonical_spelling(typed: str, canonical: str) -> None:
    assert parse_ceap(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("C7", '"C7" is not a CEAP clinical class; use C0 to C6'),
        ("C4d,S", '"C4d" is not a CEAP clinical class'),
        ("C2,7", '"7" is not a CEAP clinical class'),
        ("C9 both legs with swelling since the summer", '"C9" is not a CEAP clinical class'),
        ("4a", "Write the letter C before the clinical class, for example C4a."),
        ("Ep C2", '"Ep" comes before the clinical class'),
        ("C2,S,4a", '"4a" comes after other parts; write all clinical classes first'),
        ("C2 Ep C3", '"C3" comes after other parts'),
        ("C2,S,A", '"A" is out of place; write S (symptomatic) or A (asymptomatic) once'),
        ("C2 Ep S", '"S" is out of place'),
        ("C2 Ex", '"Ex" is not an etiology; use one of Ep (primary)'),
        ("C2 Ep Es", "Give one etiology only"),
        ("C2 Ax", '"Ax" is not an anatomic location; use As (superficial)'),
        ("C2 As GSV", '"GSV" is not an anatomic location'),
        ("C2 As Ep Ad", "The anatomy (A) is given twice; write it once, for example As,d,p."),
        ("C2 As,s", '"As" is given twice; give each anatomic location once'),
        ("C2 Px", '"Px" is not a pathophysiology; use Pr (reflux), Po (obstruction), Pr,o (both)'),
        ("C2 Pr,x", '"x" is not a pathophysiology'),
        ("C2 Pr,r", '"Pr" is given twice'),
        ("C2 Pr As Po", "The pathophysiology (P) is given twice"),
        ("C2 both", '"both" is not part of a CEAP classification'),
        ("C2" + " " * 200, "longer than 200 characters"),
        (", , /", "Enter the CEAP classification"),
    ],
)
def test_each_wrong_part_is_named_with_what_is_allowed(typed: str, named: str) -> None:
    assert parse_ceap(typed) is None
    with pytest.raises(ValueError) as raised:
        parse_ceap_full(typed)
    assert named in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("C0,2", "C0 (no signs of venous disease) cannot be combined with other clinical classes."),
        ("C2,4a,C2", '"C2" is given twice; give each clinical class once.'),
        ("C2 As,n", "An (no venous location identified) cannot be combined with As, Ad or Ap."),
        ("C2 Pr,n", "Pn (no pathophysiology identified) cannot be combined with Pr or Po."),
    ],
)
def test_the_rules_on_combining_are_kept(typed: str, named: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_ceap_full(typed)
    assert str(raised.value) == named


def test_the_dataclass_refuses_what_the_parser_refuses_and_keeps_canonical_order() -> None:
    ceap = Ceap(("C4a", "C2"), True, "Ep", ("Ap", "As"), ("Po", "Pr"))
    assert ceap.clinical == ("C2", "C4a")
    assert ceap.canonical == "C2,4a,S Ep As,p Pr,o" == str(ceap)
    assert ceap == parse_ceap_full("C2,4a,S Ep As,p Pr,o")
    for bad in (
        {"clinical": ()},
        {"clinical": ("C7",)},
        {"clinical": ("C0", "C1")},
        {"clinical": ("C2", "C2")},
        {"etiology": "Ex"},
        {"anatomy": ("Ax",)},
        {"anatomy": ("As", "As")},
        {"anatomy": ("An", "Ad")},
        {"pathophysiology": ("Px",)},
        {"pathophysiology": ("Pn", "Po")},
    ):
        with pytest.raises(ValueError):
            dataclasses.replace(ceap, **bad)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ceap.etiology = "Es"  # type: ignore[misc]


def test_plain_words() -> None:
    assert parse_ceap_full("C2,4a,S Ep As Pr").describe() == (
        "Varicose veins; pigmentation or eczema; symptomatic; primary; superficial veins; reflux"
    )
    assert parse_ceap_full("C6r,A Esi As,d,p Pr,o").describe() == (
        "Recurrent active venous ulcer; asymptomatic; secondary, intravenous; "
        "superficial, deep and perforator veins; reflux and obstruction"
    )
    assert parse_ceap_full("C0 En An Pn").describe() == (
        "No visible or palpable signs of venous disease; no venous cause identified; "
        "no venous location identified; no venous pathophysiology identified"
    )
    assert parse_ceap_full("C1").describe() == "Telangiectasia or reticular veins"


def _messages() -> list[str]:
    texts = ["C7", "4a", "Ep C2", "C2,S,4a", "C2,S,A", "C2 Ex", "C2 Ep Es", "C2 Ax", "C2 As GSV", "C2 As Ep Ad"]
    texts += ["C2 As,s", "C2 Px", "C2 Pr,r", "C2 both", "C0,2", "C2,2", "C2 As,n", "C2 Pr,n", "", "C2" + " " * 300]
    messages = []
    for text in texts:
        with pytest.raises(ValueError) as raised:
            parse_ceap_full(text)
        messages.append(str(raised.value))
    return messages


def test_messages_are_for_clinicians() -> None:
    for message in _messages():
        assert not re.search(r"DOMAIN|§|_|Ceap\b|parse|ValueError", message), message
        assert message[0].isupper() or message[0] == '"', message
        assert message.endswith("."), message


CLINICAL = st.one_of(
    st.just(("C0",)),
    st.lists(st.sampled_from([code for code in CLINICAL_CLASSES if code != "C0"]), min_size=1, unique=True).map(tuple),
)
ANATOMY = st.one_of(
    st.just(()), st.just(("An",)), st.lists(st.sampled_from(["As", "Ad", "Ap"]), min_size=1, unique=True).map(tuple)
)
PATHOPHYSIOLOGY = st.one_of(
    st.just(()), st.just(("Pn",)), st.lists(st.sampled_from(["Pr", "Po"]), min_size=1, unique=True).map(tuple)
)
CEAPS = st.builds(
    Ceap,
    clinical=CLINICAL,
    symptomatic=st.sampled_from([None, True, False]),
    etiology=st.sampled_from(["", "Ep", "Es", "Esi", "Ese", "Ec", "En"]),
    anatomy=ANATOMY,
    pathophysiology=PATHOPHYSIOLOGY,
)


@given(CEAPS)
def test_the_canonical_spelling_reads_back_to_itself(ceap: Ceap) -> None:
    assert len(ceap.canonical) <= CEAP_MAX
    assert parse_ceap_full(ceap.canonical) == ceap
    assert parse_ceap(ceap.canonical) == ceap.canonical
    assert ceap.describe().startswith(CLINICAL_CLASSES[ceap.clinical[0]])


@given(CEAPS, st.randoms(use_true_random=False))
def test_case_spaces_and_the_order_of_e_a_p_do_not_matter(ceap: Ceap, rng: random.Random) -> None:
    clinical, *rest = ceap.canonical.split(" ")
    rng.shuffle(rest)
    typed = " ".join([clinical.replace(",", " , "), *rest]).lower()
    assert parse_ceap(typed) == ceap.canonical


@given(st.text(max_size=40))
def test_any_text_gives_a_canonical_spelling_or_none_and_never_fails_otherwise(text: str) -> None:
    result = parse_ceap(text)
    if result:
        assert parse_ceap(result) == result


@given(st.text(alphabet="cCeEaApPsSdDrRnNoOi0123456abc ,/", max_size=30))
def test_near_misses_give_a_canonical_spelling_or_a_message(text: str) -> None:
    result = parse_ceap(text)
    if result is None:
        with pytest.raises(ValueError) as raised:
            parse_ceap_full(text)
        assert str(raised.value)
    elif result:
        assert parse_ceap(result) == result


def test_a_session_keeps_the_canonical_spelling_and_names_the_wrong_part() -> None:
    clean = validate_session(SessionDraft(None, NOW, ceap_right="c2, 4a s ep as pr", ceap_left=" "), NOW, None)
    assert (clean.ceap_right, clean.ceap_left) == ("C2,4a,S Ep As Pr", "")
    with pytest.raises(ValidationError) as raised:
        validate_session(SessionDraft(None, NOW, ceap_left="C2 Ex"), NOW, None)
    message = raised.value.for_field("CEAP left leg")
    assert message is not None
    assert message.startswith('"Ex" is not an etiology'), "the same words as at a follow-up visit"
