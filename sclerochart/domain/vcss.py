"""Revised Venous Clinical Severity Score per leg (DOMAIN.md §5): its ten items, scores, checks and stored form.

Source: Vasquez MA, Rabe E, McLafferty RB, et al. Revision of the venous clinical severity score: venous outcomes
consensus statement: special communication of the American Venous Forum Ad Hoc Outcomes Working Group.
J Vasc Surg 2010;52(5):1387-96, doi:10.1016/j.jvs.2010.06.161.

The definitions and the words for each score are paraphrased, shortened, from the published table as reproduced by
the Dutch guideline database (richtlijnendatabase.nl, 'De "Revised" VCSS classificatie', Tabel 1) and by BMJ Best
Practice ("adapted from Vasquez et al. 2010"). In the copies found, three cells were cut off; they were completed
from the original VCSS of 2000 (Rutherford et al., J Vasc Surg 2000, as reproduced on varicoseandmore.com) and
should be checked against the 2010 table by a clinician:

* induration, score 1 ("around the ankle only": the 2010 pattern of the items above it, the 2000 table's "focal,
  circummalleolar");
* active ulcer size, scores 1 to 3 (diameter under 2 cm, 2 to 6 cm, over 6 cm: the 2000 table's);
* use of compression therapy, score 3 ("full compliance"; the 2000 table adds "+ elevation").

Each item is scored 0 to 3, for a total of 0 to 30. An item may be left unscored; the total then sums the scored
items and the score is not complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sclerochart.domain.errors import FieldError

SCORE_RANGE = (0, 3)
VCSS_MAX = 30
LEGS = ("right", "left")


@dataclass(frozen=True)
class VcssItem:
    """One item of the score: what it assesses and what each score 0, 1, 2 and 3 means."""

    key: str
    name: str
    definition: str
    levels: tuple[str, str, str, str]


VCSS_ITEMS: tuple[VcssItem, ...] = (
    VcssItem(
        "pain",
        "Pain",
        "Pain or other discomfort (aching, heaviness, tiredness, soreness, burning) of venous origin.",
        (
            "None",
            "Now and then; does not limit daily activities",
            "Daily; gets in the way of daily activities but does not stop them",
            "Daily; limits most daily activities",
        ),
    ),
    VcssItem(
        "varicose_veins",
        "Varicose veins",
        "Varicose veins of 3 mm or more across, seen standing.",
        (
            "None",
            "Few and scattered: single branches or clusters; ankle flare counts here",
            "In the calf or the thigh",
            "In both calf and thigh",
        ),
    ),
    VcssItem(
        "oedema",
        "Venous oedema",
        "Swelling of venous origin.",
        (
            "None",
            "Foot and ankle only",
            "Above the ankle, below the knee",
            "Up to the knee or above",
        ),
    ),
    VcssItem(
        "pigmentation",
        "Skin pigmentation",
        "Pigmentation of venous origin; not focal pigment over varicose veins or pigment from other diseases.",
        (
            "None, or focal only",
            "Around the ankle only",
            "Diffuse over the lower third of the calf",
            "Wider, above the lower third of the calf",
        ),
    ),
    VcssItem(
        "inflammation",
        "Inflammation",
        "More than recent pigmentation: redness, cellulitis, venous eczema or dermatitis.",
        (
            "None",
            "Around the ankle only",
            "Diffuse over the lower third of the calf",
            "Wider, above the lower third of the calf",
        ),
    ),
    VcssItem(
        "induration",
        "Induration",
        "Venous skin and tissue changes: chronic oedema with fibrosis, hypodermitis, white atrophy, "
        "lipodermatosclerosis.",
        (
            "None",
            "Around the ankle only",
            "Diffuse over the lower third of the calf",
            "Wider, above the lower third of the calf",
        ),
    ),
    VcssItem(
        "ulcer_number",
        "Number of active ulcers",
        "Open venous ulcers on this leg.",
        ("None", "One", "Two", "Three or more"),
    ),
    VcssItem(
        "ulcer_duration",
        "Active ulcer duration",
        "How long the longest-standing active ulcer has been open.",
        ("No active ulcer", "Under 3 months", "3 months to a year", "Not healed for over a year"),
    ),
    VcssItem(
        "ulcer_size",
        "Active ulcer size",
        "Diameter of the largest active ulcer.",
        ("No active ulcer", "Under 2 cm", "2 to 6 cm", "Over 6 cm"),
    ),
    VcssItem(
        "compression",
        "Use of compression therapy",
        "How the patient wears compression stockings.",
        ("Not used", "Now and then", "On most days", "Full compliance"),
    ),
)
"""The ten items in the published order."""

VCSS_KEYS: tuple[str, ...] = tuple(item.key for item in VCSS_ITEMS)
ITEMS_BY_KEY: dict[str, VcssItem] = {item.key: item for item in VCSS_ITEMS}

SCORE_MESSAGE = "must be 0, 1, 2 or 3."


def is_score(value: object) -> bool:
    """True for the int 0, 1, 2 or 3 (not a bool, a float or a text)."""
    return type(value) is int and SCORE_RANGE[0] <= value <= SCORE_RANGE[1]


@dataclass(frozen=True)
class Vcss:
    """One leg's score: per item, in the order of VCSS_ITEMS, 0 to 3 or None when not scored."""

    scores: tuple[int | None, ...] = (None,) * len(VCSS_ITEMS)

    def __post_init__(self) -> None:
        """Refuse a score of the wrong length or with a value outside 0 to 3."""
        object.__setattr__(self, "scores", tuple(self.scores))
        if len(self.scores) != len(VCSS_ITEMS):
            raise ValueError(f"A VCSS has {len(VCSS_ITEMS)} items, not {len(self.scores)}.")
        for item, value in zip(VCSS_ITEMS, self.scores, strict=True):
            if value is not None and not is_score(value):
                raise ValueError(f"{item.name} {SCORE_MESSAGE}")

    @classmethod
    def of(cls, scores: Mapping[str, int | None]) -> Vcss:
        """The score from item keys to scores; items not named are unscored.

        Raises:
            ValueError: for a key that is no item, or a score outside 0 to 3.
        """
        unknown = sorted(set(scores) - set(VCSS_KEYS))
        if unknown:
            raise ValueError(f"Unknown VCSS item {unknown[0]!r}.")
        return cls(tuple(scores.get(key) for key in VCSS_KEYS))

    def score(self, key: str) -> int | None:
        """The score of one item, None when not scored."""
        return self.scores[VCSS_KEYS.index(key)]

    @property
    def total(self) -> int:
        """The sum of the scored items, 0 to 30."""
        return sum(value for value in self.scores if value is not None)

    @property
    def complete(self) -> bool:
        """True when every item is scored."""
        return all(value is not None for value in self.scores)

    @property
    def scored(self) -> int:
        """How many items are scored."""
        return sum(value is not None for value in self.scores)


def validate_vcss(scores: Mapping[str, object], leg: str) -> list[FieldError]:
    """Each item whose score is not 0, 1, 2 or 3 (None is unscored and fine); fields like "VCSS right leg: Pain".

    Raises:
        ValueError: for a leg other than "right" or "left", or a key that is no item (mistakes of the program).
    """
    if leg not in LEGS:
        raise ValueError(f"leg must be 'right' or 'left', not {leg!r}")
    unknown = sorted(set(scores) - set(VCSS_KEYS))
    if unknown:
        raise ValueError(f"Unknown VCSS item {unknown[0]!r}.")
    return [
        FieldError(f"VCSS {leg} leg: {item.name}", SCORE_MESSAGE)
        for item in VCSS_ITEMS
        if item.key in scores and scores[item.key] is not None and not is_score(scores[item.key])
    ]


def vcss_words(stored: Mapping[str, object] | None) -> str:
    """A leg's score as printed and shown: "—" (not scored), "7", or "3 (2 of 10 items scored)"."""
    if not stored:
        return "—"
    score = from_stored(stored)
    return str(score.total) if score.complete else f"{score.total} ({score.scored} of {len(VCSS_ITEMS)} items scored)"


def from_stored(stored: Mapping[str, object]) -> Vcss:
    """The score from its stored form; unknown keys are ignored (a newer version's), missing or null are unscored.

    Raises:
        ValueError: when a known item holds something other than 0, 1, 2 or 3: a damaged score is not guessed at.
    """
    scores: list[int | None] = []
    for item in VCSS_ITEMS:
        value = stored.get(item.key)
        if value is not None and not is_score(value):
            raise ValueError(f"The stored VCSS item {item.name} holds {value!r}; it {SCORE_MESSAGE}")
        scores.append(value if isinstance(value, int) else None)
    return Vcss(tuple(scores))
