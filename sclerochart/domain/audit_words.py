"""The audit trail in words: what an event did, for a person reading the trail on screen or paper."""

from __future__ import annotations

import re

from sclerochart.domain.values import AuditEntry

DISCLOSURES = {"view": "viewed", "print": "printed", "export": "exported"}
"""The disclosure log's actions: a record shown, printed or written to a file."""

_QUIET = frozenset(
    {
        "version",
        "details_version",
        "id",
        "session_id",
        "patient_id",
        "region",
        "diagram_version",
        "practitioner_id",
        "signer_id",
        "signature_meaning",
        "signed_content",
    }
)
"""Fields that move with every change, repeat the record's identity or are told by another field (the
practitioner's name tells who the practitioner id is): not worth a word in the trail."""

_NAMES = {
    "volume_ml": "volume (mL)",
    "concentration": "concentration (%)",
    "weight_kg": "weight (kg)",
    "vessel_diameter_mm": "vessel diameter (mm)",
    "checklist_reviewed": "checklist gone through",
    "weight_reason": "no weight because",
    "practitioner_name": "practitioner",
    "foam_liquid_parts": "foam liquid parts",
    "foam_gas_parts": "foam gas parts",
    "agent_id": "sclerosant (catalogue number)",
    "x": "position across",
    "y": "position down",
}
"""Field names as a clinician reads them."""

_VALUES = {"name_order": {"given_first": "given name first", "family_first": "family name first"}}
"""Stored values that are codes, as a clinician reads them."""

_ISO_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d+)?)?$")


def in_words(entry: AuditEntry) -> str:
    """What an event did, for a person: "created", "removed", or each changed field as "name: before → after"."""
    if entry.action in DISCLOSURES:
        what = (entry.after or {}).get("what", "")
        return f"{DISCLOSURES[entry.action]}: {what}" if what else DISCLOSURES[entry.action]
    if entry.action == "sign-in":
        return "signed in"
    if entry.action == "sign-in refused":
        return "sign-in refused: wrong password"
    if entry.action == "password":
        return "password changed"
    if entry.action == "remove-session":
        when = (entry.before or {}).get("started_at", "")
        return f"empty session of {_word(when)} deleted"
    if entry.action == "restore":
        done = entry.after or {}
        aside = done.get("saved_aside_as")
        kept = f"; the database it replaced was saved as {aside}" if aside else ""
        return f"database restored from the backup made {_word(done.get('made_at'))} ({done.get('holds', '')}){kept}"
    if entry.action == "amend":
        return _amendment_words(entry.after or {})
    if entry.before is None:
        return "created"
    if entry.after is None:
        return "removed"
    changed = [
        f"{field_name(name)}: {_value_word(name, entry.before.get(name))} → {_value_word(name, entry.after.get(name))}"
        for name in sorted(set(entry.before) | set(entry.after))
        if name not in _QUIET and entry.before.get(name) != entry.after.get(name)
    ]
    return "; ".join(changed) or "no field changed"


def _amendment_words(after: dict[str, object]) -> str:
    parts = [f"amendment {after.get('number', '')} signed by {after.get('signed_by', '')}: {after.get('reason', '')}"]
    if after.get("text"):
        parts.append(f"addendum: {_word(after['text'])}")
    corrections = after.get("corrections")
    for correction in corrections if isinstance(corrections, list) else ():
        if isinstance(correction, dict):
            field = field_name(str(correction.get("field", "")))
            parts.append(
                f"site {correction.get('site_number')} {field}: "
                f"{_word(correction.get('before'))} → {_word(correction.get('after'))}"
            )
    return "; ".join(parts)


def field_name(name: str) -> str:
    """A stored field's name as a clinician reads it ("volume_ml" → "volume (mL)")."""
    return _NAMES.get(name, name.replace("_", " "))


def _value_word(name: str, value: object) -> str:
    """A field's value in words: a code it stores ("family_first") as what it means."""
    words = _VALUES.get(name, {})
    return words.get(value, _word(value)) if isinstance(value, str) else _word(value)


def _word(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and (match := _ISO_TIME.match(value)):
        year, month, day, hour, minute = match.groups()[:5]
        return f"{day}.{month}.{year} {hour}:{minute}"
    if isinstance(value, dict):
        return ", ".join(f"{key} {_word(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_word(item) for item in value) or "—"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"
