"""The sclerosant catalogue, the presets and the practitioners (clinic-editable reference data)."""

from __future__ import annotations

from dataclasses import replace

from sclerochart.domain.errors import FieldError, NotFoundError, ValidationError
from sclerochart.domain.validation import clean_text, validate_site
from sclerochart.domain.values import Practitioner, Preset, Sclerosant, View
from sclerochart.services import audit, mapping
from sclerochart.services.context import ServiceContext
from sclerochart.services.versions import require_version
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PractitionerRow, PresetRow
from sclerochart.store.repositories import catalogue as catalogue_repo


def list_sclerosants(ctx: ServiceContext, *, include_inactive: bool = False) -> tuple[Sclerosant, ...]:
    """The catalogue in its display order."""
    with ctx.db.read() as tx:
        rows = catalogue_repo.catalogue_rows(tx, include_inactive=include_inactive)
        return tuple(mapping.sclerosant(row) for row in rows)


def sclerosants_by_id(ctx: ServiceContext) -> dict[int, Sclerosant]:
    """Every catalogue entry (inactive ones too, for old sessions) by id."""
    return {agent.id: agent for agent in list_sclerosants(ctx, include_inactive=True)}


_LIMIT_FIELDS = {
    "max_mg_per_kg_day": ("Limit mg per kg per day", 0.01, 100.0),
    "max_ml_session": ("Limit mL per session", 0.1, 200.0),
    "max_foam_ml_session": ("Limit foam mL per session", 0.1, 200.0),
    "max_ml_per_injection": ("Limit mL per injection", 0.01, 50.0),
}


def set_sclerosant_limit(
    ctx: ServiceContext, agent_id: int, field: str, value: float | None, expected_version: int
) -> Sclerosant:
    """Set or clear (None = "not set") one limit of a catalogue entry seen at `expected_version`; audited."""
    if field not in _LIMIT_FIELDS:
        raise ValidationError([FieldError("Limit", f"{field!r} is not a limit of the catalogue.")])
    title, low, high = _LIMIT_FIELDS[field]
    if value is not None and not low <= value <= high:
        raise ValidationError([FieldError(title, f"must be from {low:g} to {high:g}, or empty for 'not set'.")])
    with ctx.db.write() as tx:
        row = catalogue_repo.locked_sclerosant(tx, agent_id)
        if row is None:
            raise NotFoundError(f"No sclerosant with the id {agent_id} is in the catalogue.")
        require_version(
            tx,
            ctx,
            what=f"The catalogue entry {row.name}",
            entity="sclerosant",
            entity_id=agent_id,
            stored=row.version,
            expected=expected_version,
            shows="",
        )
        before = mapping.sclerosant(row)
        setattr(row, field, value)
        row.version += 1
        after = mapping.sclerosant(row)
        audit.record(tx, ctx, "update", "sclerosant", agent_id, before, after)
    return after


def list_presets(ctx: ServiceContext) -> tuple[Preset, ...]:
    """The presets, those on keys 1–9 first in key order."""
    with ctx.db.read() as tx:
        rows = catalogue_repo.preset_rows(tx)
        presets = [mapping.preset(row) for row in rows]
    return tuple(sorted(presets, key=lambda p: (p.key is None, p.key or 0, p.name)))


def save_preset(ctx: ServiceContext, preset: Preset) -> Preset:
    """Create (id 0) or change a preset after checking its settings against the catalogue; audited."""
    agents = sclerosants_by_id(ctx)
    errors: list[FieldError] = []
    name = clean_text(preset.name)
    if not name or len(name) > 60:
        errors.append(FieldError("Preset name", "is required and at most 60 characters."))
    if preset.key is not None and not 1 <= preset.key <= 9:
        errors.append(FieldError("Key", "must be 1 to 9, or none."))
    agent = agents.get(preset.agent_id)
    if agent is None:
        errors.append(FieldError("Sclerosant", "must be one of the catalogue."))
    if errors:
        raise ValidationError(errors)
    assert agent is not None
    checked = validate_site(preset.site_draft(View.ANTERIOR, 0.5, 0.5), agent)
    clean = replace(
        preset,
        name=name,
        concentration=checked.concentration,
        foam_liquid_parts=checked.foam_liquid_parts,
        foam_gas_parts=checked.foam_gas_parts,
        gas=checked.gas,
        volume_ml=checked.volume_ml,
    )
    with ctx.db.write() as tx:
        if clean.key is not None:
            holder = catalogue_repo.preset_on_key(tx, clean.key, clean.id)
            if holder is not None:  # the key moves to the preset being saved
                held = mapping.preset(holder)
                holder.key = None
                holder.version += 1
                tx.flush()
                audit.record(tx, ctx, "update", "preset", holder.id, held, mapping.preset(holder))
        row = catalogue_repo.locked_preset(tx, clean.id) if clean.id else None
        if clean.id and row is None:
            raise NotFoundError(
                f"The preset {clean.name} was removed in another room.", "The keys now show the stored presets."
            )
        if row is not None:
            _require_preset(tx, ctx, row, clean.version)
            row.version += 1
        before = mapping.preset(row) if row is not None else None
        if row is None:
            row = PresetRow(version=1)
            tx.add(row)
        mapping.apply_preset(row, clean)
        tx.flush()
        after = mapping.preset(row)
        audit.record(tx, ctx, "update" if before else "create", "preset", row.id, before, after)
    return after


def delete_preset(ctx: ServiceContext, preset_id: int, expected_version: int) -> Preset:
    """Remove a preset seen at `expected_version` (sites placed with it keep their values); audited."""
    with ctx.db.write() as tx:
        row = catalogue_repo.locked_preset(tx, preset_id)
        if row is None:
            raise NotFoundError("This preset was removed in another room.", "The keys now show the stored presets.")
        _require_preset(tx, ctx, row, expected_version)
        before = mapping.preset(row)
        tx.delete(row)
        audit.record(tx, ctx, "delete", "preset", preset_id, before, None)
    return before


def _require_preset(tx: UnitOfWork, ctx: ServiceContext, row: PresetRow, expected_version: int) -> None:
    require_version(
        tx,
        ctx,
        what=f"Preset {row.key or ''} ({row.name})".replace(" ()", ""),
        entity="preset",
        entity_id=row.id,
        stored=row.version,
        expected=expected_version,
        shows="The preset keys now show what is stored.",
    )


def list_practitioners(ctx: ServiceContext, *, include_inactive: bool = False) -> tuple[Practitioner, ...]:
    """The practitioners by name."""
    with ctx.db.read() as tx:
        rows = catalogue_repo.practitioner_rows(tx, include_inactive=include_inactive)
        return tuple(mapping.practitioner(row) for row in rows)


def add_practitioner(ctx: ServiceContext, name: str, credentials: str = "") -> Practitioner:
    """Add a practitioner; audited."""
    clean_name, clean_credentials = clean_text(name), clean_text(credentials)
    errors = []
    if not clean_name or len(clean_name) > 100:
        errors.append(FieldError("Practitioner name", "is required and at most 100 characters."))
    if len(clean_credentials) > 100:
        errors.append(FieldError("Credentials", "must be at most 100 characters."))
    if errors:
        raise ValidationError(errors)
    with ctx.db.write() as tx:
        row = PractitionerRow(name=clean_name, credentials=clean_credentials, active=True)
        tx.add(row)
        tx.flush()
        created = mapping.practitioner(row)
        audit.record(tx, ctx, "create", "practitioner", row.id, None, created)
    return created
