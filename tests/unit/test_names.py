"""Names in any script are welcome; hidden direction overrides, control characters and invisible-only names are not."""

from __future__ import annotations

import datetime as dt

import pytest

from sclerochart.domain.accounts import AccountDraft, validate_account, validate_password, wait_after
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.validation import name_problem, validate_patient
from tests.conftest import patient_draft


@pytest.mark.parametrize(
    "name", ["Zoë Łukasiewicz-Ødegård", "王芳", "محمد الأحمد", "דוד כהן", "Nguyễn Thị Hồng", "مهسا\u200cرضایی"]
)
def test_names_of_every_script_pass(name: str) -> None:
    assert name_problem(name, maximum=100, required=True) is None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Ruth\u202eokafO", "text-direction"),
        ("\u2067Ruth", "text-direction"),
        ("\u200b\u200b", "only invisible"),
        ("\ufeff", "only invisible"),
        ("Ruth\x00", "control characters"),
        ("", "required"),
    ],
)
def test_hidden_characters_in_a_name_are_refused(name: str, words: str) -> None:
    problem = name_problem(name, maximum=100, required=True)
    assert problem is not None and words in problem


def test_a_patients_name_with_a_direction_override_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_patient(patient_draft(family_name="Smith\u202egnimmoc"), dt.date(2026, 11, 26))
    assert "text-direction" in (caught.value.for_field("Family name") or "")


def test_account_rules() -> None:
    clean = validate_account(AccountDraft("  Dr. Ana Müller ", " Ana.M "))
    assert (clean.name, clean.login) == ("Dr. Ana Müller", "ana.m")
    with pytest.raises(ValidationError):
        validate_account(AccountDraft("Ruth", "-ruth"))
    assert validate_password("пароль-2026") == "пароль-2026"
    for bad in ("", "x", "seven77", " leading space", "tab\tinside"):
        with pytest.raises(ValidationError):
            validate_password(bad)
    assert [wait_after(n) for n in range(8)] == [0, 0, 0, 5, 10, 20, 40, 60]
