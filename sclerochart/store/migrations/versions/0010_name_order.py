"""Each patient's name order (family name first or given name first); names written without spaces findable.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26

Names already stored in Chinese, Japanese or Korean characters become family-first (the user can change
it on the patient form) and get the search terms of their parts typed without spaces ("佐藤花" finds
"佐藤花子"). Other patients keep given-first and their terms, which have not changed.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# The rules as they stood at this revision, kept here so that a later change to the program's search terms
# cannot change what this migration did.
_EAST_ASIAN = ("CJK ", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "HANGUL", "HALFWIDTH HANGUL", "IDEOGRAPHIC")
_SPECIAL = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"})
_SPLIT = re.compile(r"[\s\-‐–'’.,/]+")
_TERM_MAX = 100


def _east_asian(text: str) -> bool:
    return any(
        not char.isascii() and char.isalpha() and unicodedata.name(char, "").startswith(_EAST_ASIAN) for char in text
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped.translate(_SPECIAL))


def _words(text: str) -> list[str]:
    return [word for word in _SPLIT.split(_fold(text).strip()) if word]


def _terms(family: str, given: str, chart: str) -> set[str]:
    found: set[str] = set()
    for text in (family, given, chart):
        words = _words(text)
        found.update(word[:_TERM_MAX] for word in words)
        if len(words) > 1:
            found.add("".join(words)[:_TERM_MAX])
    joined = "".join(_words(family + given))
    found.update(joined[start:][:_TERM_MAX] for start in range(len(joined)))
    found.add("".join(_words(given + family))[:_TERM_MAX])
    return found


def upgrade() -> None:
    """Add the column; make names in East Asian characters family-first and give them their new terms."""
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("name_order", sa.String(length=16), server_default="given_first", nullable=False))
    bind = op.get_bind()
    patients = sa.table(
        "patients",
        sa.column("id", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_name", sa.String),
        sa.column("chart_number", sa.String),
        sa.column("sort_key", sa.String),
        sa.column("archived", sa.Boolean),
        sa.column("name_order", sa.String),
    )
    terms = sa.table(
        "patient_search_terms",
        sa.column("term", sa.String),
        sa.column("patient_id", sa.String),
        sa.column("sort_key", sa.String),
        sa.column("archived", sa.Boolean),
    )
    rows = bind.execute(
        sa.select(
            patients.c.id,
            patients.c.family_name,
            patients.c.given_name,
            patients.c.chart_number,
            patients.c.sort_key,
            patients.c.archived,
        )
    ).all()
    for pid, family, given, chart, sort_key, archived in rows:
        if not _east_asian(family + given):
            continue
        bind.execute(sa.update(patients).where(patients.c.id == pid).values(name_order="family_first"))
        bind.execute(sa.delete(terms).where(terms.c.patient_id == pid))
        bind.execute(
            sa.insert(terms),
            [
                {"term": term, "patient_id": pid, "sort_key": sort_key, "archived": archived}
                for term in sorted(_terms(family, given, chart))
            ],
        )


def downgrade() -> None:
    """Drop the column (the extra search terms do no harm)."""
    with op.batch_alter_table("patients") as batch:
        batch.drop_column("name_order")
