"""No text meant for the developers reaches a clinician: no document names, section signs or issue numbers."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVELOPER_WORDS = re.compile(r"DOMAIN|DESIGN\.md|§|product brief|\bIssue \d")


def _texts_of(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are not docstrings (docstrings are for us)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            docstrings.add(id(node.value))  # attribute docstrings
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "module", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "sclerochart").rglob("*.py")), ids=str
)
def test_no_developer_words_in_the_programs_texts(module: str) -> None:
    found = [f"{module}:{line}: {text!r}" for line, text in _texts_of(ROOT / module) if DEVELOPER_WORDS.search(text)]
    assert not found, "\n".join(found)


def test_no_developer_words_in_the_handout_defaults_or_their_sources() -> None:
    with (ROOT / "resources" / "handout" / "aftercare.toml").open("rb") as file:
        sections = tomllib.load(file)
    found = [
        f"{key}.{field}: {value!r}"
        for key, section in sections.items()
        for field, value in section.items()
        if isinstance(value, str) and DEVELOPER_WORDS.search(value)
    ]
    assert not found, "\n".join(found)
