"""Bulk inserts for imports and other batch writes: one statement per chunk of rows.

On PostgreSQL the rows travel as one array per column, ``INSERT … SELECT … FROM
unnest(…)``: one statement, one plan and one executor start per chunk, where
``executemany`` binds and executes the INSERT once per row (the server's per-row cost
was most of a 100k-invoice import). Row-level security applies to it like to any
INSERT: the rows must pass the policy's WITH CHECK for the transaction's tenant.
(``COPY`` would be faster still, but PostgreSQL refuses ``COPY FROM`` into a table
with row-level security.) Other databases: ``executemany``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from typing import Any

import msgspec
from sqlalchemy import ARRAY, JSON, ColumnElement, Table, TypeDecorator, any_, bindparam, insert, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK_ROWS = 5_000


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, JSON columns as JSON-ready values)."""
    if rows:
        names = list(rows[0])
        await insert_columns(session, table, {name: [row[name] for row in rows] for name in names})


async def insert_columns(session: AsyncSession, table: Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """Insert rows given column by column (equal lengths): no dict per row on the way."""
    names = tuple(columns)
    count = len(columns[names[0]]) if names else 0
    if any(len(values) != count for values in columns.values()):
        raise ValueError("bulk insert columns differ in length")
    if not count:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        rows = [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        for start in range(0, count, CHUNK_ROWS):
            await session.execute(insert(table), rows[start : start + CHUNK_ROWS])
        return
    sql, converters = _unnest_insert(table, names, dialect)
    converted = [
        values if convert is None else [convert(v) for v in values]
        for values, convert in zip(columns.values(), converters, strict=True)
    ]
    for start in range(0, count, CHUNK_ROWS):
        params = {f"c{i}": values[start : start + CHUNK_ROWS] for i, values in enumerate(converted)}
        await session.execute(sql, params)


def one_of(session: AsyncSession, column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN values`` for a batch of keys. On PostgreSQL as ``= ANY(array)``: one
    bind parameter, where IN binds one per value (a thousand-value IN list was planned
    afresh on every batch, 25-50 ms each)."""
    if session.get_bind().dialect.name == "postgresql":
        result: ColumnElement[bool] = column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    else:
        result = column.in_(values)
    return result


_json = msgspec.json.Encoder()


def _json_text(value: Any) -> str | None:
    return None if value is None else _json.encode(value).decode()


@lru_cache(maxsize=64)
def _unnest_insert(
    table: Table, names: tuple[str, ...], dialect: Dialect
) -> tuple[Any, list[Callable[[Any], Any] | None]]:
    """The statement for these columns, and per column the conversion of a value."""
    # SQLAlchemy's Python-side defaults do not apply to a textual statement.
    missing = [c.name for c in table.c if c.default is not None and c.name not in names]
    if missing:
        raise ValueError(f"bulk insert into {table.name} must give {', '.join(missing)}")
    selected: list[str] = []
    arrays: list[str] = []
    converters: list[Callable[[Any], Any] | None] = []
    for i, name in enumerate(names):
        column = table.c[name]
        type_ = column.type
        if isinstance(type_, TypeDecorator):
            # The decorator's checks still apply (UTCDateTime refuses naive datetimes).
            decorator = type_

            def convert(value: Any, decorator: TypeDecorator[Any] = decorator) -> Any:
                return decorator.process_bind_param(value, dialect)

            converters.append(convert)
            type_ = type_.impl_instance
        elif isinstance(type_.dialect_impl(dialect), JSON):
            converters.append(_json_text)
        else:
            converters.append(None)
        sql_type = type_.dialect_impl(dialect).compile(dialect=dialect)
        if isinstance(type_.dialect_impl(dialect), JSON):
            arrays.append(f"CAST(:c{i} AS TEXT[])")
            selected.append(f"CAST(c{i} AS {sql_type})")
        else:
            arrays.append(f"CAST(:c{i} AS {sql_type}[])")
            selected.append(f"c{i}")
    columns = ", ".join(f'"{n}"' for n in names)
    aliases = ", ".join(f"c{i}" for i in range(len(names)))
    sql = (
        f'INSERT INTO "{table.name}" ({columns}) SELECT {", ".join(selected)} '
        f"FROM unnest({', '.join(arrays)}) AS t({aliases})"
    )
    return text(sql), converters
