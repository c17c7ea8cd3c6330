"""CEAP 2020 clinical class per leg (DOMAIN.md §5): parsing and the canonical spelling."""

from __future__ import annotations

import re

CLINICAL_CLASSES: dict[str, str] = {
    "C0": "No visible or palpable signs of venous disease",
    "C1": "Telangiectasia or reticular veins",
    "C2": "Varicose veins",
    "C2r": "Recurrent varicose veins",
    "C3": "Oedema",
    "C4a": "Pigmentation or eczema",
    "C4b": "Lipodermatosclerosis or atrophie blanche",
    "C4c": "Corona phlebectatica",
    "C5": "Healed venous ulcer",
    "C6": "Active venous ulcer",
    "C6r": "Recurrent active venous ulcer",
}

_PATTERN = re.compile(r"^\s*c\s*(0|1|2r?|3|4[abc]|5|6r?)\s*[,/ ]?\s*([sa])?\s*$", re.IGNORECASE)


def parse_ceap(text: str) -> str | None:
    """The canonical form ("C2r,S") of a CEAP clinical class, "" for empty input, None when not valid."""
    if not text.strip():
        return ""
    match = _PATTERN.match(text)
    if match is None:
        return None
    code = "C" + match.group(1).lower()
    suffix = match.group(2)
    return f"{code},{suffix.upper()}" if suffix else code
