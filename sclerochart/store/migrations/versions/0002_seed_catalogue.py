"""Seed the sclerosant catalogue (DOMAIN.md §3) and starter presets on keys 1–7.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The catalogue is taken from sclerochart.domain.catalogue, whose seed values stay as first shipped; a
later correction of a seeded value is a new revision that updates the stored row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sclerochart.domain.catalogue import POLIDOCANOL, SEED_CATALOGUE, SODIUM_TETRADECYL_SULFATE

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_sclerosants = sa.table(
    "sclerosants",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("atc_code", sa.String),
    sa.column("concentrations", sa.JSON),
    sa.column("forms", sa.JSON),
    sa.column("max_mg_per_kg_day", sa.Float),
    sa.column("max_ml_session", sa.Float),
    sa.column("max_foam_ml_session", sa.Float),
    sa.column("max_ml_per_injection", sa.Float),
    sa.column("limit_source", sa.Text),
    sa.column("notes", sa.Text),
    sa.column("active", sa.Boolean),
    sa.column("sort_order", sa.Integer),
)

_presets = sa.table(
    "presets",
    sa.column("id", sa.Integer),
    sa.column("key", sa.Integer),
    sa.column("name", sa.String),
    sa.column("agent_id", sa.Integer),
    sa.column("concentration", sa.Float),
    sa.column("form", sa.String),
    sa.column("foam_liquid_parts", sa.Integer),
    sa.column("foam_gas_parts", sa.Integer),
    sa.column("gas", sa.String),
    sa.column("volume_ml", sa.Float),
    sa.column("vessel_type", sa.String),
)

_AGENT_IDS = {seed.code: index for index, seed in enumerate(SEED_CATALOGUE, start=1)}

# Starter presets inside the usual ranges of DOMAIN.md §3 (polidocanol 0.1–0.3 mL per injection,
# spider veins 0.25–0.5 %, reticular 0.5–1 %; STS by diameter, 0.5–2 mL per injection). Foam 1:4 in room air.
_STARTER_PRESETS = (
    (1, "POL 0.25 % spider", POLIDOCANOL.code, 0.25, "liquid", None, None, None, 0.2, "telangiectasia"),
    (2, "POL 0.5 % spider", POLIDOCANOL.code, 0.5, "liquid", None, None, None, 0.2, "telangiectasia"),
    (3, "POL 1 % reticular", POLIDOCANOL.code, 1.0, "liquid", None, None, None, 0.3, "reticular vein"),
    (4, "POL 0.5 % foam", POLIDOCANOL.code, 0.5, "foam", 1, 4, "room air", 0.3, "reticular vein"),
    (5, "POL 1 % foam", POLIDOCANOL.code, 1.0, "foam", 1, 4, "room air", 0.3, "feeding vein"),
    (6, "STS 0.1 % <0.5 mm", SODIUM_TETRADECYL_SULFATE.code, 0.1, "liquid", None, None, None, 0.5, "telangiectasia"),
    (7, "STS 0.3 % 1–2 mm", SODIUM_TETRADECYL_SULFATE.code, 0.3, "liquid", None, None, None, 0.5, "reticular vein"),
)


def upgrade() -> None:
    """Insert the four sclerosants and the starter presets."""
    op.bulk_insert(
        _sclerosants,
        [
            {
                "id": _AGENT_IDS[seed.code],
                "code": seed.code,
                "name": seed.name,
                "atc_code": seed.atc_code,
                "concentrations": list(seed.concentrations),
                "forms": [form.value for form in seed.forms],
                "max_mg_per_kg_day": seed.max_mg_per_kg_day,
                "max_ml_session": seed.max_ml_session,
                "max_foam_ml_session": seed.max_foam_ml_session,
                "max_ml_per_injection": seed.max_ml_per_injection,
                "limit_source": seed.limit_source,
                "notes": seed.notes,
                "active": True,
                "sort_order": _AGENT_IDS[seed.code],
            }
            for seed in SEED_CATALOGUE
        ],
    )
    op.bulk_insert(
        _presets,
        [
            {
                "id": key,
                "key": key,
                "name": name,
                "agent_id": _AGENT_IDS[code],
                "concentration": percent,
                "form": form,
                "foam_liquid_parts": liquid,
                "foam_gas_parts": gas_parts,
                "gas": gas,
                "volume_ml": volume,
                "vessel_type": vessel,
            }
            for key, name, code, percent, form, liquid, gas_parts, gas, volume, vessel in _STARTER_PRESETS
        ],
    )


def downgrade() -> None:
    """Remove the seeded presets and catalogue rows."""
    op.execute(_presets.delete().where(_presets.c.id.in_([row[0] for row in _STARTER_PRESETS])))
    op.execute(_sclerosants.delete().where(_sclerosants.c.code.in_([seed.code for seed in SEED_CATALOGUE])))
