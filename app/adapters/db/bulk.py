"""Bulk inserts for imports and other batch writes: one statement per chunk of rows.

On PostgreSQL the rows travel as one array per column, ``INSERT … SELECT … FROM
unnest(…)``: one statement, one plan and one executor start per chunk, where
``executemany`` binds and executes the INSERT once per row (the server's per-row cost
was most of a 100k-invoice import). Row-level security applies to it like to any
INSERT: the rows must pass the policy's WITH CHECK for the transaction's tenant.
(``COPY`` would be faster still, but PostgreSQL refuses ``COPY FROM`` into a table
with row-level security.) Other databases: ``executemany``.

The batch lookups of imports (``lookup_keys``) probe a unique index once per key, and
``replan`` makes a long import transaction's foreign-key checks follow the tenant's growth.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeGuard, cast

import msgspec
from sqlalchemy import (
    ARRAY,
    JSON,
    BinaryExpression,
    BindParameter,
    Column,
    ColumnElement,
    Select,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    func,
    insert,
    select,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import operators, visitors

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


def lookup_keys(
    session: AsyncSession,
    stmt: Select[Any],
    key: ColumnElement[Any] | QueryableAttribute[Any],
    values: Collection[Any],
    *,
    unique: bool = True,
) -> Select[Any]:
    """``stmt`` (a repository's ``scoped`` select) narrowed to the rows whose ``key`` is
    one of ``values``: the batch lookups of imports.

    On PostgreSQL each key is probed on its own: ``unnest(values) AS k(v)`` joined
    LATERAL to ``stmt`` with ``key = k.v``, under ``LIMIT 1`` when the key is unique per
    tenant or ``OFFSET 0`` (tax ids), so that the subquery is not flattened into a join.
    With ``key = ANY(array)`` or a join the planner may scan the whole tenant instead, and
    it does when its statistics predate the tenant's rows; in an import's transaction the
    tenant soon holds tens of thousands of uncommitted rows, scanned again every batch.

    The tenant is compared through the lateral join as well (``tenant_id = s.t``, ``s``
    being ``unnest([tenant])``). Against a literal tenant PostgreSQL sizes the tenant from
    its statistics: about no row for one they have not seen, so one probe of the key and
    a scan of the tenant's "single row" by a shorter index cost the same, and it takes
    the shorter index. Against a parameter it assumes the table's average tenant, and the
    probe wins. Row-level security applies as to any statement.

    Other databases: ``stmt`` with ``key IN (values)``.
    """
    tenant = _tenant_filter(stmt)
    if session.get_bind().dialect.name != "postgresql":
        return stmt.where(key.in_(values))
    tenants = (
        func.unnest(bindparam(None, [tenant.right.value], type_=ARRAY(tenant.left.type)))
        .table_valued("t")
        .render_derived(name="s")
    )
    keys = (
        func.unnest(bindparam(None, list(values), type_=ARRAY(key.type)))
        .table_valued("v")
        .render_derived(name="k")
    )

    def through_lateral(element: Any, **_: Any) -> Any:
        return element.left == tenants.c.t if _is_tenant_filter(element) else None

    probe = cast(Select[Any], visitors.replacement_traverse(stmt, {}, through_lateral)).where(key == keys.c.v)
    probe = probe.limit(1) if unique else probe.offset(0)
    found = probe.lateral("p")
    return select(*found.c).select_from(tenants.join(keys, true()).join(found, true()))


def _is_tenant_filter(element: object) -> TypeGuard[BinaryExpression[bool]]:
    return (
        isinstance(element, BinaryExpression)
        and element.operator is operators.eq
        and isinstance(element.left, Column)
        and element.left.name == "tenant_id"
        and isinstance(element.right, BindParameter)
    )


def _tenant_filter(stmt: Select[Any]) -> BinaryExpression[bool]:
    """``stmt``'s one ``tenant_id = :tenant`` criterion (``TenantRepository.scoped``)."""
    where = stmt.whereclause
    found = [e for e in visitors.iterate(where) if _is_tenant_filter(e)] if where is not None else []
    if len(found) != 1:
        raise ValueError("a key lookup starts from a repository's scoped select (one tenant filter)")
    return found[0]


async def replan(session: AsyncSession) -> None:
    """Make PostgreSQL plan the transaction's statements afresh, for the tables as they
    are now and for any tenant: foreign-key checks included.

    A backend keeps the plan of each foreign-key check (and of each prepared statement)
    until something invalidates it, usually the ANALYZE that follows enough committed
    writes. Nothing does inside one import transaction: the checks keep the plan chosen
    when the tenant had no rows, and for a key ``(tenant_id, id)`` that plan can be a
    scan of all the tenant's rows through any index starting with ``tenant_id``, longer
    with every batch. ``DISCARD PLANS`` drops the plans. A dropped check is rebuilt from
    scratch, and PostgreSQL plans the first five runs of a statement for the values at
    hand: for this tenant's id, sized from statistics taken before it had rows (about
    no row, so the same scan again, five times a batch). ``plan_cache_mode`` has every
    statement planned for any tenant, sized as the table's average, for the rest of the
    transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("DISCARD PLANS"))
        await session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))


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
