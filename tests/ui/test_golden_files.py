"""The golden-file check of the document tests (tests/integration/documents.py): a rewrite is never a pass.

It lives with the UI tests because the document tests' own module is shared; it needs no database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.documents import UPDATE_GOLDEN, check_golden


@pytest.fixture
def golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    monkeypatch.delenv("CI", raising=False)
    path = tmp_path / "golden" / "report.pdf"
    path.parent.mkdir()
    path.write_bytes(b"%PDF old")
    return path


def test_the_same_bytes_pass_and_other_bytes_fail(golden: Path) -> None:
    check_golden(golden, b"%PDF old", "the report")
    with pytest.raises(AssertionError, match="the report changed"):
        check_golden(golden, b"%PDF new", "the report")
    assert golden.read_bytes() == b"%PDF old"


def test_a_rewrite_fails_once_and_then_compares_for_real(golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    with pytest.raises(pytest.fail.Exception, match="rewritten: look at it, then rerun"):
        check_golden(golden, b"%PDF new", "the report")
    assert golden.read_bytes() == b"%PDF new"
    check_golden(golden, b"%PDF new", "the report")  # nothing left to rewrite: a plain comparison
    monkeypatch.delenv(UPDATE_GOLDEN)
    check_golden(golden, b"%PDF new", "the report")


def test_a_missing_golden_file_is_written_and_fails(golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = golden.parent / "handout.pdf"
    with pytest.raises(AssertionError, match=r"no golden file handout\.pdf"):
        check_golden(missing, b"%PDF", "the handout")
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    with pytest.raises(pytest.fail.Exception, match="rewritten"):
        check_golden(missing, b"%PDF", "the handout")
    assert missing.read_bytes() == b"%PDF"


@pytest.mark.parametrize("ci", ["true", "1", "True"])
def test_ci_refuses_to_rewrite(golden: Path, monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="never in CI"):
        check_golden(golden, b"%PDF new", "the report")
    assert golden.read_bytes() == b"%PDF old"
