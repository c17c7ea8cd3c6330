"""Queries on practitioner accounts: by sign-in name, the administrators, locks for a change."""

from __future__ import annotations

from sqlalchemy import func, select

from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import PractitionerRow


def by_login(tx: UnitOfWork, login: str, *, lock: bool = False) -> PractitionerRow | None:
    """The practitioner with this (folded) sign-in name, or None; with `lock`, held until the unit of work ends."""
    statement = select(PractitionerRow).where(PractitionerRow.login == login)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return tx.scalars(statement).first()


def locked(tx: UnitOfWork, practitioner_id: int) -> PractitionerRow | None:
    """The practitioner's row, held until the unit of work ends and read afresh, or None."""
    if not -(2**63) <= practitioner_id < 2**63:
        return None
    return tx.get(PractitionerRow, practitioner_id, with_for_update=True, populate_existing=True)


def lock_administrators(tx: UnitOfWork) -> None:
    """Hold every administrator's row until the unit of work ends (two rooms cannot both remove "the other" one)."""
    tx.execute(select(PractitionerRow.id).where(PractitionerRow.role == "administrator").with_for_update()).all()


def active_administrators(tx: UnitOfWork) -> int:
    """How many active administrators can sign in."""
    return int(
        tx.scalar(
            select(func.count())
            .select_from(PractitionerRow)
            .where(
                PractitionerRow.role == "administrator",
                PractitionerRow.active.is_(True),
                PractitionerRow.password_hash != "",
            )
        )
        or 0
    )
