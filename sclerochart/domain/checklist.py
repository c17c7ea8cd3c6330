"""The pre-treatment checklist of DOMAIN.md §4: absolute and relative contraindications and checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ItemKind(StrEnum):
    """What a "yes" to an item means."""

    ABSOLUTE = "absolute contraindication"
    RELATIVE = "relative contraindication"
    CHECK = "check before treatment"


@dataclass(frozen=True)
class ChecklistItem:
    """One question of the checklist."""

    key: str
    label: str
    kind: ItemKind
    foam_only: bool = False


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("allergy_sclerosant", "Known allergy or previous anaphylaxis to the sclerosant", ItemKind.ABSOLUTE),
    ChecklistItem("acute_dvt_pe", "Acute DVT or pulmonary embolism", ItemKind.ABSOLUTE),
    ChecklistItem("immobile", "Bedridden or unable to walk", ItemKind.ABSOLUTE),
    ChecklistItem("arterial_disease", "Severe arterial disease (Fontaine III–IV)", ItemKind.ABSOLUTE),
    ChecklistItem("symptomatic_pfo", "Known symptomatic patent foramen ovale", ItemKind.ABSOLUTE, foam_only=True),
    ChecklistItem("pregnancy", "Pregnancy", ItemKind.RELATIVE),
    ChecklistItem("breastfeeding", "Breastfeeding", ItemKind.RELATIVE),
    ChecklistItem("hormones", "Hormonal contraception or HRT", ItemKind.RELATIVE),
    ChecklistItem("thrombophilia", "Thrombophilia or previous DVT/PE", ItemKind.RELATIVE),
    ChecklistItem("recent_surgery", "Major surgery in the last 3 months", ItemKind.RELATIVE),
    ChecklistItem("anticoagulation", "Anticoagulation", ItemKind.RELATIVE),
    ChecklistItem("migraine_aura", "Migraine with aura", ItemKind.RELATIVE),
    ChecklistItem("asthma", "Asthma", ItemKind.RELATIVE),
    ChecklistItem("obesity", "Obesity", ItemKind.RELATIVE),
    ChecklistItem("acute_thrombophlebitis", "Acute superficial thrombophlebitis", ItemKind.RELATIVE),
    ChecklistItem("long_haul_travel", "Planned long-haul travel", ItemKind.RELATIVE),
    ChecklistItem("weight_recorded", "Body weight recorded (needed for the mg/kg limit)", ItemKind.CHECK),
    ChecklistItem("duplex_done", "Duplex scan done and underlying reflux treated", ItemKind.CHECK),
    ChecklistItem("consent_given", "Consent obtained", ItemKind.CHECK),
    ChecklistItem("stockings_ready", "Compression stockings measured and available", ItemKind.CHECK),
    ChecklistItem("photos_taken", "Before photos taken", ItemKind.CHECK),
)

ITEMS_BY_KEY = {item.key: item for item in CHECKLIST}


def absolute_contraindications(answers: dict[str, bool], uses_foam: bool) -> tuple[ChecklistItem, ...]:
    """The absolute contraindications answered "yes" (foam-only items count only when foam is used)."""
    return tuple(
        item
        for item in CHECKLIST
        if item.kind is ItemKind.ABSOLUTE and answers.get(item.key) and (uses_foam or not item.foam_only)
    )
