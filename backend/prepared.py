"""Fixed Core statements run straight on the driver's cursor, for every message's path.

SQLAlchemy's execution of a statement (its context, events and result object) costs about a
tenth of a millisecond on these machines, several times what SQLite takes to run a statement
found by index, and the message path runs a handful of fixed statements for every message
(the gateway benchmark). A `Prepared` statement is compiled by SQLAlchemy once per dialect; its
parameters go through the bind processors SQLAlchemy would apply (enums, UTC times) and its
result columns through the result processors, so what is written and read is what
`Connection.execute` would write and read. It runs in the connection's current transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

_Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Parameter names in the order a positional driver (SQLite's) takes them; None for a
    # driver that takes them by name (psycopg2's).
    positions: tuple[str, ...] | None
    # What SQLAlchemy does to a parameter's value before the driver gets it, by name.
    bind_processors: Mapping[str, Callable[[Any], Any]]
    # Values the statement holds itself (a LIMIT, a constant in `.values()`), processed.
    fixed: Mapping[str, Any]
    results: tuple[_Processor, ...]


def _processed(
    processors: Mapping[str, Callable[[Any], Any]], values: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        name: (processors[name](value) if name in processors else value)
        for name, value in values.items()
    }


class Prepared:
    """One Core statement, compiled once per dialect, run on the driver's own cursor.

    An INSERT takes its columns from the names of the values given. A column default of
    SQLAlchemy's is not applied here, so a statement that would need one is refused.
    """

    def __init__(self, statement: Executable) -> None:
        assert isinstance(statement, ClauseElement)
        self._statement: ClauseElement = statement
        # Only an INSERT's text depends on the names of the values (its columns).
        self._by_names = bool(statement.is_insert)
        self._compiled_for: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _compiled(self, dialect: Dialect, names: tuple[str, ...]) -> _Compiled:
        found = self._compiled_for.get((dialect.name, names))
        if found is None:
            compiled: Any = self._statement.compile(
                dialect=dialect, column_keys=list(names) or None
            )
            if compiled.insert_prefetch or compiled.update_prefetch:
                raise ValueError("a prepared statement is given every value; it has defaults")
            processors = dict(compiled._bind_processors)
            found = _Compiled(
                compiled.string,
                tuple(compiled.positiontup) if compiled.positional else None,
                processors,
                _processed(
                    processors,
                    {
                        name: value
                        for name, value in compiled.construct_params(_check=False).items()
                        if not compiled.binds[name].required
                    },
                ),
                tuple(
                    column.type._cached_result_processor(dialect, None)
                    for column in compiled._result_columns
                ),
            )
            # Two threads compiling at once both store the same thing.
            self._compiled_for[(dialect.name, names)] = found
        return found

    @staticmethod
    def _parameters(compiled: _Compiled, values: Mapping[str, Any]) -> Any:
        processed = {**compiled.fixed, **_processed(compiled.bind_processors, values)}
        if compiled.positions is None:
            return processed
        return [processed[name] for name in compiled.positions]

    def _run(
        self, connection: Connection, values: Any, *, many: bool = False, fetch: bool = False
    ) -> tuple[Any, ...] | None:
        dialect = connection.dialect
        rows = list(values) if many else [values]
        compiled = self._compiled(dialect, tuple(rows[0]) if self._by_names and rows else ())
        driver = connection.connection.driver_connection
        assert driver is not None
        parameters = [self._parameters(compiled, row) for row in rows]
        cursor = driver.cursor()
        try:
            if many:
                cursor.executemany(compiled.sql, parameters)
            else:
                cursor.execute(compiled.sql, parameters[0])
            row = cursor.fetchone() if fetch else None
        except dialect.loaded_dbapi.Error as error:
            # As SQLAlchemy raises it, so that callers catch one kind of error either way.
            # Without the parameters in its text: they hold clients' words.
            raise exc.DBAPIError.instance(
                compiled.sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=True,
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        if row is None:
            return None
        return tuple(
            process(value) if process is not None else value
            for process, value in zip(compiled.results, row, strict=True)
        )

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> None:
        """Run the statement once with `values`."""
        self._run(connection, values)

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement once for each of `rows` (the driver's executemany)."""
        self._run(connection, rows, many=True)

    def first(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row the statement returns (a query, or RETURNING), or None."""
        return self._run(connection, values, fetch=True)
