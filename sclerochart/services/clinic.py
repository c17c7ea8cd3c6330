"""Clinic settings as stored in the database, shared by every room, and the clinic's logo."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from sclerochart import settings
from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.store.models import ClinicSettingRow

LOGO_KEY = "clinic_logo"
"""The logo is stored apart from the other settings (base64 PNG or JPEG), so reading settings stays small."""

LOGO_MAX_BYTES = 1_000_000
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def load_settings(ctx: ServiceContext) -> settings.ClinicSettings:
    """The clinic's settings, defaults filled in."""
    with ctx.db.read() as session:
        rows = session.scalars(select(ClinicSettingRow).where(ClinicSettingRow.key != LOGO_KEY))
        stored = {row.key: row.value for row in rows}
    return settings.from_stored(stored)


def change_setting(ctx: ServiceContext, key: str, value: Any) -> settings.ClinicSettings:
    """Change one setting after checking it; audited."""
    return change_settings(ctx, {key: value})


def change_settings(ctx: ServiceContext, values: Mapping[str, Any]) -> settings.ClinicSettings:
    """Change several settings at once: all are checked first, and either all are saved or none.

    A value equal to its default is stored as "use the default", so a later change of a default (a new
    version's handout text, say) reaches the clinics that never changed it. Each change is audited.
    """
    errors: list[FieldError] = []
    with ctx.db.write() as session:
        rows = session.scalars(select(ClinicSettingRow).where(ClinicSettingRow.key != LOGO_KEY))
        current = settings.from_stored({row.key: row.value for row in rows})
        changed = current
        for key, value in values.items():
            try:
                changed = settings.with_value(changed, key, value)
            except ValidationError as error:
                errors.extend(error.errors)
        if errors:
            raise ValidationError(errors)
        defaults = settings.ClinicSettings()
        for key in values:
            before, after = getattr(current, key), getattr(changed, key)
            row = session.get(ClinicSettingRow, key)
            if after == getattr(defaults, key):
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(ClinicSettingRow(key=key, value=after))
            else:
                row.value = after
            if before != after:
                audit.record(session, ctx, "update", "setting", key, {key: before}, {key: after})
    return changed


def reset_setting(ctx: ServiceContext, key: str) -> settings.ClinicSettings:
    """Put one setting back to its default (the stored value is removed); audited."""
    if key not in settings.SPECS:
        raise ValidationError([FieldError("Setting", f"{key!r} is not a clinic setting.")])
    with ctx.db.write() as session:
        row = session.get(ClinicSettingRow, key)
        if row is not None:
            before = row.value
            session.delete(row)
            default = getattr(settings.ClinicSettings(), key)
            audit.record(session, ctx, "update", "setting", key, {key: before}, {key: default})
    return load_settings(ctx)


def load_logo(ctx: ServiceContext) -> bytes | None:
    """The clinic's logo (PNG or JPEG bytes), or None when none is set."""
    with ctx.db.read() as session:
        row = session.get(ClinicSettingRow, LOGO_KEY)
        value = None if row is None else row.value
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def set_logo(ctx: ServiceContext, data: bytes | None) -> None:
    """Set the logo printed in the header of every document, or remove it with None; audited."""
    if data is not None:
        if not data.startswith(_IMAGE_SIGNATURES):
            raise ValidationError([FieldError("Clinic logo", "must be a PNG or JPEG picture.")])
        if len(data) > LOGO_MAX_BYTES:
            raise ValidationError(
                [FieldError("Clinic logo", f"is {len(data) // 1000} kB; at most {LOGO_MAX_BYTES // 1000} kB.")]
            )
    with ctx.db.write() as session:
        row = session.get(ClinicSettingRow, LOGO_KEY)
        before = {"logo_bytes": 0 if row is None else len(str(row.value)) * 3 // 4}
        after = {"logo_bytes": 0 if data is None else len(data)}
        if data is None:
            if row is None:
                return
            session.delete(row)
        else:
            encoded = base64.b64encode(data).decode("ascii")
            if row is None:
                session.add(ClinicSettingRow(key=LOGO_KEY, value=encoded))
            else:
                row.value = encoded
        audit.record(session, ctx, "update", "setting", LOGO_KEY, before, after)
