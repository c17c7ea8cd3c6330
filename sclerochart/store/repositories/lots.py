"""Queries on a session's lots per agent and the sites of one agent in a session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, select

from sclerochart.store.database import UnitOfWork, core
from sclerochart.store.models import InjectionSiteRow, SessionLotRow


def lot_rows(tx: UnitOfWork, session_id: str) -> Sequence[SessionLotRow]:
    """The session's lots, by agent."""
    statement = select(SessionLotRow).where(SessionLotRow.session_id == session_id).order_by(SessionLotRow.agent_id)
    return tx.scalars(statement).all()


def lot_row(tx: UnitOfWork, session_id: str, agent_id: int) -> SessionLotRow | None:
    """The lot of one agent in the session, or None."""
    return tx.scalars(
        select(SessionLotRow).where(SessionLotRow.session_id == session_id, SessionLotRow.agent_id == agent_id)
    ).first()


_LOTS = cast(Table, SessionLotRow.__table__)
_LOT_NUMBER = select(_LOTS.c.lot_number).where(
    _LOTS.c.session_id == bindparam("session_id"), _LOTS.c.agent_id == bindparam("agent_id")
)


def lot_number_for(tx: UnitOfWork, session_id: str, agent_id: int) -> str:
    """The lot number set for an agent in a session, "" for none."""
    return core(tx).scalar(_LOT_NUMBER, {"session_id": session_id, "agent_id": agent_id}) or ""


def agent_site_rows(tx: UnitOfWork, session_id: str, agent_id: int) -> Sequence[InjectionSiteRow]:
    """The sites of one agent in the session, in number order."""
    statement = (
        select(InjectionSiteRow)
        .where(InjectionSiteRow.session_id == session_id, InjectionSiteRow.agent_id == agent_id)
        .order_by(InjectionSiteRow.number)
    )
    return tx.scalars(statement).all()
