"""Whether the database's own triggers that a shortcut relies on are there and switched on, as SQL to read along.

Two shortcuts of a click trust triggers: the catalogue's stamp (renewed by triggers at every change to the
sclerosants) and the signed sessions' doses (signed sessions, their sites and their amendments refused any
change by triggers). A trigger dropped or disabled outside the program (by hand, or a table rebuilt) would make
either shortcut wrong, so each is taken only when a statement finds every trigger it relies on in place.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, column, exists, func, or_, select, table

_SQLITE_MASTER = table("sqlite_master", column("type"), column("name"), column("tbl_name"))
_PG_TRIGGER = table("pg_trigger", column("tgname"), column("tgenabled"), column("tgrelid"))


def armed(engine: str, triggers: Sequence[tuple[str, str]]) -> ColumnElement[bool]:
    """True when every (table, trigger name) is there and switched on, on `engine` ("sqlite" or "postgresql")."""
    if engine == "sqlite":  # SQLite's triggers cannot be switched off, only dropped
        found = (
            select(func.count())
            .select_from(_SQLITE_MASTER)
            .where(
                _SQLITE_MASTER.c.type == "trigger",
                # Pairs compared one by one: SQLite prepares a statement with LIKE on a bound value at every run.
                or_(*(and_(_SQLITE_MASTER.c.tbl_name == t, _SQLITE_MASTER.c.name == name) for t, name in triggers)),
            )
            .scalar_subquery()
        )
        return found == len(triggers)
    return and_(
        *(
            exists().where(
                _PG_TRIGGER.c.tgname == name,
                _PG_TRIGGER.c.tgrelid == func.to_regclass(t),
                _PG_TRIGGER.c.tgenabled != "D",
            )
            for t, name in triggers
        )
    )
