"""Clinic settings as stored in the database, shared by every room, and the clinic's logo."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sclerochart import settings
from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext, require_administrator
from sclerochart.services.versions import require_version
from sclerochart.store import backups
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import ClinicSettingRow, RevisionRow
from sclerochart.store.repositories import settings as settings_repo

LOGO_KEY = "clinic_logo"
"""The logo is stored apart from the other settings (base64 PNG or JPEG), so reading settings stays small."""

LOGO_MAX_BYTES = 1_000_000
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def load_settings(ctx: ServiceContext) -> settings.ClinicSettings:
    """The clinic's settings, defaults filled in."""
    with ctx.db.read() as tx:
        return settings_in(tx)


def settings_in(tx: UnitOfWork) -> settings.ClinicSettings:
    """The clinic's settings as a unit of work in progress sees them."""
    rows = settings_repo.setting_rows(tx, except_key=LOGO_KEY)
    return settings.from_stored({row.key: row.value for row in rows})


SETTINGS_REVISION = "clinic_settings"


def settings_version(ctx: ServiceContext) -> int:
    """The version of the clinic settings (logo included) as stored now: a change names the one it was made from."""
    with ctx.db.read() as tx:
        row = tx.get(RevisionRow, SETTINGS_REVISION)
        return row.version if row is not None else 1


def change_setting(ctx: ServiceContext, key: str, value: Any) -> settings.ClinicSettings:
    """Change one setting from the settings as stored now (a command names its value; no screen can be stale)."""
    return change_settings(ctx, {key: value}, settings_version(ctx))


def _require_settings(tx: UnitOfWork, ctx: ServiceContext, expected_version: int) -> RevisionRow:
    counter = settings_repo.revision(tx, SETTINGS_REVISION, lock=True)
    require_version(
        tx,
        ctx,
        what="The clinic settings",
        entity="setting",
        entity_id="*",
        stored=counter.version,
        expected=expected_version,
        shows="Open the settings again to see what is stored.",
    )
    return counter


def lock_settings(tx: UnitOfWork) -> RevisionRow:
    """The settings' version counter, held until the unit of work ends (one change of the settings at a time)."""
    return settings_repo.revision(tx, SETTINGS_REVISION, lock=True)


def bump_settings_version(tx: UnitOfWork, ctx: ServiceContext) -> None:
    """Count a change of the settings made in this unit of work (screens showing the old ones are stale)."""
    counter = lock_settings(tx)
    counter.version += 1
    audit.record(tx, ctx, "update", "setting", "*", {"version": counter.version - 1}, {"version": counter.version})


KEEP_LOGO = object()
"""The logo argument that leaves the stored logo as it is."""


def change_settings(
    ctx: ServiceContext, values: Mapping[str, Any], expected_version: int, *, logo: bytes | object | None = KEEP_LOGO
) -> settings.ClinicSettings:
    """Change several settings (and the logo, when given) at once, as seen at `expected_version`.

    All are checked first, and either all are saved or none. A value equal to its default is stored as "use
    the default", so a later change of a default (a new version's handout text, say) reaches the clinics that
    never changed it. Each change is audited.

    Raises:
        StaleError: another room changed the settings since that version.
        ValidationError: a value is not allowed; nothing was saved.
    """
    require_administrator(ctx, "change the clinic settings")
    _check_backup_folder(ctx, values.get("backup_folder"))
    if logo is not KEEP_LOGO:
        _check_logo(logo)  # type: ignore[arg-type]
    with ctx.db.write() as tx:
        counter = _require_settings(tx, ctx, expected_version)
        changed = write_values(tx, ctx, values)
        if logo is not KEEP_LOGO:
            _store_logo(tx, ctx, logo)  # type: ignore[arg-type]
        counter.version += 1
        audit.record(tx, ctx, "update", "setting", "*", {"version": counter.version - 1}, {"version": counter.version})
    return changed


def _check_backup_folder(ctx: ServiceContext, folder: object) -> None:
    """A backup folder the copies cannot be written into is refused when it is chosen, not hours later."""
    if not isinstance(folder, str) or not folder.strip() or ctx.db.target.path is None:
        return
    where = Path(folder.strip())
    if not where.is_absolute():
        return  # the settings' own check names what is allowed
    problem = backups.folder_problem(where)
    if problem is not None:
        title = settings.SPECS["backup_folder"].title
        raise ValidationError(
            [FieldError(title, f"{where} cannot be written ({problem}). Plug in the drive, or choose another folder.")]
        )


def write_values(tx: UnitOfWork, ctx: ServiceContext, values: Mapping[str, Any]) -> settings.ClinicSettings:
    """Check every value, then store them all in the unit of work (each change audited) or raise for all.

    A value equal to its default is stored as "use the default".

    Raises:
        ValidationError: a value is not allowed; nothing was written.
    """
    errors: list[FieldError] = []
    current = settings_in(tx)
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
        row = tx.get(ClinicSettingRow, key)
        if after == getattr(defaults, key):
            if row is not None:
                tx.delete(row)
        elif row is None:
            tx.add(ClinicSettingRow(key=key, value=after))
        else:
            row.value = after
        if before != after:
            audit.record(tx, ctx, "update", "setting", key, {key: before}, {key: after})
    return changed


def reset_setting(ctx: ServiceContext, key: str) -> settings.ClinicSettings:
    """Put one setting back to its default (the stored value is removed); audited."""
    if key not in settings.SPECS:
        raise ValidationError([FieldError("Setting", f"{key!r} is not a clinic setting.")])
    require_administrator(ctx, "change the clinic settings")
    with ctx.db.write() as tx:
        counter = settings_repo.revision(tx, SETTINGS_REVISION, lock=True)
        row = tx.get(ClinicSettingRow, key)
        if row is not None:
            before = row.value
            tx.delete(row)
            default = getattr(settings.ClinicSettings(), key)
            audit.record(tx, ctx, "update", "setting", key, {key: before}, {key: default})
            counter.version += 1
    return load_settings(ctx)


def load_logo(ctx: ServiceContext) -> bytes | None:
    """The clinic's logo (PNG or JPEG bytes), or None when none is set."""
    with ctx.db.read() as tx:
        row = tx.get(ClinicSettingRow, LOGO_KEY)
        value = None if row is None else row.value
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _check_logo(data: bytes | None) -> None:
    if data is None:
        return
    if not data.startswith(_IMAGE_SIGNATURES):
        raise ValidationError([FieldError("Clinic logo", "must be a PNG or JPEG picture.")])
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            [FieldError("Clinic logo", f"is {len(data) // 1000} kB; at most {LOGO_MAX_BYTES // 1000} kB.")]
        )


def _store_logo(tx: UnitOfWork, ctx: ServiceContext, data: bytes | None) -> None:
    row = tx.get(ClinicSettingRow, LOGO_KEY)
    before = {"logo_bytes": 0 if row is None else len(str(row.value)) * 3 // 4}
    after = {"logo_bytes": 0 if data is None else len(data)}
    if data is None:
        if row is None:
            return
        tx.delete(row)
    else:
        encoded = base64.b64encode(data).decode("ascii")
        if row is None:
            tx.add(ClinicSettingRow(key=LOGO_KEY, value=encoded))
        elif row.value == encoded:
            return
        else:
            row.value = encoded
    audit.record(tx, ctx, "update", "setting", LOGO_KEY, before, after)
