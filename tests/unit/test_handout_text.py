"""The handout's editable text: placeholders checked and filled, paragraphs and bullets found."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sclerochart.domain.handout import PLACEHOLDERS, Block, blocks, fill, template_problem
from sclerochart.settings import handout_defaults


def test_every_default_text_is_a_valid_template() -> None:
    for key, text in handout_defaults().items():
        assert template_problem(text) is None, key


def test_unknown_placeholders_and_lone_braces_are_named() -> None:
    assert "{next_sesion}" in (template_problem("From {next_sesion}.") or "")
    assert "{next_session:>10}" in (template_problem("From {next_session:>10}.") or "")
    assert "without its pair" in (template_problem("From {next_session.") or "")
    assert "without its pair" in (template_problem("From next_session}.") or "")
    assert "at most 3000" in (template_problem("x" * 3001) or "")


def test_fill_replaces_every_placeholder_and_keeps_doubled_braces() -> None:
    values = {key: key.upper() for key in PLACEHOLDERS}
    assert (
        fill("Hello {patient_name}, from {next_session} {{on}}.", values)
        == "Hello PATIENT_NAME, from NEXT_SESSION {on}."
    )


def test_paragraphs_and_bullets() -> None:
    text = "First line\ncontinues.\n\n- one\n• two\nAfter the list."
    assert blocks(text) == (
        Block(("First line continues.",), bullets=False),
        Block(("one", "two"), bullets=True),
        Block(("After the list.",), bullets=False),
    )


@given(st.text(alphabet=st.sampled_from("ab Łд-•\n"), max_size=80))
@example("- • a")  # a bullet whose text starts with a bullet mark keeps it
def test_no_word_is_lost(text: str) -> None:
    words = []
    for line in (raw.strip() for raw in text.splitlines()):  # one bullet mark per line: "- • a" is the item "• a"
        words += (line[2:] if line[:2] in ("- ", "• ") else line).split()
    kept = [w for block in blocks(text) for line in block.lines for w in line.split()]
    assert kept == words
