"""Whether the database's own triggers that a shortcut relies on are there and switched on, as SQL to read along.

Two shortcuts of a click trust triggers: the catalogue's stamp (renewed by triggers at every change to the
sclerosants) and the signed sessions' doses (signed sessions, their sites and their amendments refused any
change by triggers). A trigger dropped or switched off outside the program (by hand, or a table rebuilt) would
make either shortcut wrong, so each is taken only while every trigger it relies on is found in place (on
SQLite, looked for again whenever the schema changed: `sessions.click_header`).

What is checked is that the triggers are there by name and switched on. A trigger made again under its name
with another body, SQLite's triggers switched off for one connection (SQLITE_DBCONFIG_ENABLE_TRIGGER), or
PostgreSQL's replication role set to skip them, are not seen here: those are deliberate work around the
database's own rules, and `sclerochart check` finds what they changed in signed records by their seals.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, column, exists, func, or_, select, table

_SQLITE_MASTER = table("sqlite_master", column("type"), column("name"), column("tbl_name"))
_PG_TRIGGER = table("pg_trigger", column("tgname"), column("tgenabled"), column("tgrelid"))


def armed(engine: str, triggers: Sequence[tuple[str, str]]) -> ColumnElement[bool]:
    """True when every (table, trigger name) is there and switched on, on `engine` ("sqlite" or "postgresql")."""
    if engine == "sqlite":  # SQLite keeps no on/off state of its own for a trigger: there, or dropped
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
