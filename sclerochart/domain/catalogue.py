"""The sclerosant catalogue as first seeded, every number taken from DOMAIN.md §3 with its source.

A limit that DOMAIN.md marks unverified is left as None and shown as "not set": the clinic may set it,
the program never presents it as a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sclerochart.domain.values import Form


@dataclass(frozen=True)
class CatalogueSeed:
    """One catalogue entry as shipped (before any clinic edit)."""

    code: str
    name: str
    atc_code: str | None
    concentrations: tuple[float, ...]
    forms: tuple[Form, ...]
    max_mg_per_kg_day: float | None
    max_ml_session: float | None
    max_foam_ml_session: float | None
    max_ml_per_injection: float | None
    limit_source: str
    notes: str


POLIDOCANOL = CatalogueSeed(
    code="polidocanol",
    name="Polidocanol",
    atc_code="C05BB02",
    concentrations=(0.25, 0.5, 1.0, 2.0, 3.0),
    forms=(Form.LIQUID, Form.FOAM),
    max_mg_per_kg_day=2.0,
    max_ml_session=None,
    max_foam_ml_session=10.0,
    max_ml_per_injection=0.3,
    limit_source=(
        "2 mg/kg body weight per day: Aethoxysklerol labels. Foam at most 10 mL per session whatever the "
        "weight: Aethoxysklerol label; 2nd European Consensus on foam sclerotherapy 2006. "
        "0.1–0.3 mL per injection: Aethoxysklerol labels."
    ),
    notes=(
        "Aethoxysklerol, Asclera. Spider veins 0.25–0.5 % (central feeding vessel 1 %); reticular 0.5–1 %; "
        "small varices 1 %; medium 2–3 %."
    ),
)

SODIUM_TETRADECYL_SULFATE = CatalogueSeed(
    code="sts",
    name="Sodium tetradecyl sulfate",
    atc_code="C05BB04",
    concentrations=(0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 3.0),
    forms=(Form.LIQUID, Form.FOAM),
    max_mg_per_kg_day=None,
    max_ml_session=10.0,
    max_foam_ml_session=None,
    max_ml_per_injection=2.0,
    limit_source=(
        "10 mL per treatment: Sotradecol label. 0.5–2 mL per injection, preferably 1 mL or less: Sotradecol label."
    ),
    notes=(
        "Sotradecol, Fibrovein. By vessel diameter (Fibrovein): <0.5 mm 0.1 %, 0.5–1 mm 0.2 %, 1–2 mm 0.3 %, "
        "2–3 mm 0.5 %, 3–5 mm 0.75 %, >5 mm 1–3 %."
    ),
)

HYPERTONIC_SALINE = CatalogueSeed(
    code="saline",
    name="Hypertonic saline",
    atc_code=None,
    concentrations=(11.7, 23.4),
    forms=(Form.LIQUID,),
    max_mg_per_kg_day=None,
    max_ml_session=None,
    max_foam_ml_session=None,
    max_ml_per_injection=None,
    limit_source="No limit found in the sources: unverified. The clinic may set one.",
    notes="11.7–23.4 % (23.4 % approved product; use for sclerotherapy is off-label). ATC code unverified.",
)

GLYCERIN = CatalogueSeed(
    code="glycerin",
    name="Glycerin 72 % + lidocaine/epinephrine",
    atc_code=None,
    concentrations=(72.0,),
    forms=(Form.LIQUID,),
    max_mg_per_kg_day=None,
    max_ml_session=None,
    max_foam_ml_session=None,
    max_ml_per_injection=None,
    limit_source="No limit found in the sources: unverified. The clinic may set one.",
    notes="Glycerin 72 % mixed 2:1 with lidocaine/epinephrine (chromated glycerin in some countries). ATC unverified.",
)

SEED_CATALOGUE: tuple[CatalogueSeed, ...] = (POLIDOCANOL, SODIUM_TETRADECYL_SULFATE, HYPERTONIC_SALINE, GLYCERIN)
