"""Clinic settings as stored in the database, shared by every room."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sclerochart import settings
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.store.models import ClinicSettingRow


def load_settings(ctx: ServiceContext) -> settings.ClinicSettings:
    """The clinic's settings, defaults filled in."""
    with ctx.db.read() as session:
        stored = {row.key: row.value for row in session.scalars(select(ClinicSettingRow))}
    return settings.from_stored(stored)


def change_setting(ctx: ServiceContext, key: str, value: Any) -> settings.ClinicSettings:
    """Change one setting after checking it; audited."""
    with ctx.db.write() as session:
        stored = {row.key: row.value for row in session.scalars(select(ClinicSettingRow))}
        current = settings.from_stored(stored)
        changed = settings.with_value(current, key, value)
        new_value = getattr(changed, key)
        row = session.get(ClinicSettingRow, key)
        if row is None:
            session.add(ClinicSettingRow(key=key, value=new_value))
        else:
            row.value = new_value
        audit.record(session, ctx, "update", "setting", key, {key: getattr(current, key)}, {key: new_value})
    return changed
