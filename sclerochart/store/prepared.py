"""Statements a click runs every time: compiled once and, on SQLite, run straight on the driver's connection.

Running a statement through SQLAlchemy (its execution context, events and result objects) takes longer than
SQLite takes to run the click's statements themselves. A `Prepared` statement keeps what SQLAlchemy compiles
for SQLite once: the SQL text, the order of its parameters and, for each value, the converter SQLAlchemy's
own type would apply (dates as text, JSON, booleans), in both directions. So what is stored and read is
exactly what SQLAlchemy would store and read. Rows come back as named tuples of the statement's column keys.

On PostgreSQL the statement runs through SQLAlchemy as any other. Errors of the SQLite driver come out as
SQLAlchemy's, so the store's plain-words translation (locked, full disk, read-only, damaged) applies alike.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Delete, Insert, Select, Update

Converter = Callable[[Any], Any] | None


class _ForSqlite:
    """A statement compiled for one SQLite dialect: its text, parameter order and converters."""

    def __init__(self, statement: Select[Any] | Insert | Update | Delete, dialect: Dialect, keys: Sequence[str] | None):
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        positions = compiled.positiontup
        if positions is None:  # SQLite's driver takes positional parameters only
            raise TypeError(f"{dialect.name} does not take positional parameters")
        self.sql = compiled.string
        if "POSTCOMPILE" in self.sql:  # rendered at each run by SQLAlchemy (an IN list, a literal): not prepared
            raise TypeError(f"{self.sql[:80]}… has parameters SQLAlchemy renders at each run")
        # Each parameter in order: a value the statement holds (a literal, converted once here) or one to be given.
        self.constants: list[Any] = []
        self.given: list[tuple[int, str, Converter]] = []
        for position, name in enumerate(positions):
            bind = compiled.binds[name]
            convert = _converter_in(bind.type, dialect)
            if bind.callable is not None:
                raise TypeError(f"{name}: a parameter whose value is worked out at each run is not prepared")
            if not bind.required and not bind.unique:  # a named parameter with a default a caller could replace
                raise TypeError(f"{name}: a named parameter is given at each run, not given a default")
            if bind.required:
                self.constants.append(None)
                self.given.append((position, name, convert))
            else:
                self.constants.append(bind.value if convert is None else convert(bind.value))
        self.row: Any = None
        self.out: tuple[tuple[int, Callable[[Any], Any]], ...] = ()
        if isinstance(statement, Select):
            columns = statement.selected_columns
            self.row = namedtuple("StoredRow", columns.keys())  # type: ignore[misc]
            converters = (_converter_out(column.type, dialect) for column in columns)
            self.out = tuple((index, convert) for index, convert in enumerate(converters) if convert is not None)
        self.error = dialect.loaded_dbapi.Error
        self.dialect = dialect

    def run(self, connection: Connection, parameters: dict[str, Any]) -> Any:
        """Run on the connection's driver connection, inside the transaction it has begun; the driver's cursor.

        Past SQLAlchemy, nothing would begin one: outside a transaction a change would be committed on its own.
        """
        if not connection.in_transaction():
            raise sqlalchemy.exc.InvalidRequestError("a prepared statement runs inside a transaction begun first")
        arguments = list(self.constants)
        for position, name, convert in self.given:
            try:
                value = parameters[name]
            except KeyError:
                raise sqlalchemy.exc.InvalidRequestError(f"A value is required for bind parameter {name!r}") from None
            arguments[position] = value if convert is None else convert(value)
        driver = connection.connection.dbapi_connection
        assert driver is not None
        try:
            return driver.execute(self.sql, arguments)
        except self.error as error:
            raise sqlalchemy.exc.DBAPIError.instance(
                self.sql, arguments, error, self.error, dialect=self.dialect
            ) from error

    def rows(self, cursor: Any) -> list[Any]:
        """The cursor's rows as named tuples, each value as SQLAlchemy's type would give it."""
        rows = []
        for raw in cursor.fetchall():
            values = list(raw)
            for index, convert in self.out:  # only the columns whose type converts (most are as the driver gives)
                values[index] = convert(values[index])
            rows.append(self.row._make(values))
        return rows


def _converter_in(type_: Any, dialect: Dialect) -> Converter:
    return dialect.type_descriptor(type_).bind_processor(dialect)


def _converter_out(type_: Any, dialect: Dialect) -> Converter:
    return dialect.type_descriptor(type_).result_processor(dialect, None)


class Prepared:
    """One statement built once (a module's constant), run by `first`, `all`, `insert` or `count`.

    Args:
        statement: the statement, with bound parameters by name.
        keys: for an INSERT, the columns it is given (all the others take their defaults in the database).
    """

    def __init__(self, statement: Select[Any] | Insert | Update | Delete, keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self._keys = tuple(keys) if keys is not None else None
        self._compiled: dict[tuple[str, str], _ForSqlite] = {}

    def _for(self, connection: Connection) -> _ForSqlite | None:
        dialect = connection.dialect
        if dialect.name != "sqlite":
            return None
        key = (dialect.name, dialect.driver)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _ForSqlite(self.statement, dialect, self._keys)
        return found

    def first(self, connection: Connection, parameters: dict[str, Any]) -> Any:
        """The first row, or None."""
        prepared = self._for(connection)
        if prepared is None:
            return connection.execute(self.statement, parameters).first()
        rows = prepared.rows(prepared.run(connection, parameters))
        return rows[0] if rows else None

    def all(self, connection: Connection, parameters: dict[str, Any]) -> list[Any]:
        """Every row."""
        prepared = self._for(connection)
        if prepared is None:
            return list(connection.execute(self.statement, parameters).all())
        return prepared.rows(prepared.run(connection, parameters))

    def insert(self, connection: Connection, parameters: dict[str, Any]) -> int:
        """Run an INSERT of one row; the new row's id (its integer primary key)."""
        prepared = self._for(connection)
        if prepared is None:
            primary_key = connection.execute(self.statement, parameters).inserted_primary_key
            assert primary_key is not None
            return int(primary_key[0])
        return int(prepared.run(connection, parameters).lastrowid)

    def count(self, connection: Connection, parameters: dict[str, Any]) -> int:
        """Run an UPDATE or DELETE; how many rows it changed."""
        prepared = self._for(connection)
        if prepared is None:
            return int(connection.execute(self.statement, parameters).rowcount)
        return int(prepared.run(connection, parameters).rowcount)
