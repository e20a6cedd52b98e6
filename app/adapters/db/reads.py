"""Read-only transactions of one tenant, for the hot list endpoints.

The ORM unit of work costs a dozen Python layers and four round trips per request
(BEGIN, ``set_config``, the query, ROLLBACK). A list page needs none of the ORM: on
PostgreSQL + asyncpg this reader takes a pooled connection, opens the transaction and
binds the tenant in **one** round trip (``BEGIN READ ONLY; SELECT set_config(…)`` as a
simple-protocol batch), runs the page query as a prepared statement compiled once per
query shape, and ends with ROLLBACK. Other databases run the same Core statement on a
plain connection.

Tenant isolation is unchanged: every ``ReadQuery`` must filter on
``bindparam("tenant_id")``, which only the reader fills, from its ``TenantId``; and on
PostgreSQL row-level security sees the tenant exactly as for the unit of work
(transaction-local ``set_config``, so a pooled connection never carries it on).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol

from sqlalchemy import Select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.domain.tenancy.principal import TenantId

TENANT_PARAM = "tenant_id"
# A stale pooled connection (database restarted) fails on its first statement, before
# anything was read: it is dropped and the read starts again on another one.
CONNECT_ATTEMPTS = 3


class ReadQuery:
    """A Core ``SELECT`` whose tenant filter is the bind parameter ``tenant_id``.

    Compiled once per dialect (SQL text and the order of its positional parameters);
    literal binds in the statement (say ``.limit(5)``) keep their values.
    """

    __slots__ = ("_compiled", "stmt")

    def __init__(self, stmt: Select[Any]) -> None:
        if TENANT_PARAM not in stmt.compile().binds:
            raise ValueError("a tenant read must filter on bindparam('tenant_id')")
        self.stmt = stmt
        self._compiled: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {}

    def compiled(self, dialect: Dialect) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            c = self.stmt.compile(dialect=dialect)
            found = (str(c), tuple(c.positiontup or ()), dict(c.params))
            self._compiled[dialect.name] = found
        return found


class TenantReader(Protocol):
    tenant: TenantId

    async def rows(self, query: ReadQuery, **params: Any) -> Sequence[Sequence[Any]]:
        """The rows of ``query`` for this reader's tenant, columns by position."""
        ...


class _AsyncpgReader:
    __slots__ = ("_dialect", "_driver", "tenant")

    def __init__(self, driver: Any, tenant: TenantId, dialect: Dialect) -> None:
        self.tenant = tenant
        self._driver = driver
        self._dialect = dialect

    async def rows(self, query: ReadQuery, **params: Any) -> Sequence[Sequence[Any]]:
        sql, order, defaults = query.compiled(self._dialect)
        params[TENANT_PARAM] = self.tenant.value
        args = [params[name] if name in params else defaults[name] for name in order]
        result: Sequence[Sequence[Any]] = await self._driver.fetch(sql, *args)
        return result


class _CoreReader:
    __slots__ = ("_conn", "tenant")

    def __init__(self, conn: AsyncConnection, tenant: TenantId) -> None:
        self.tenant = tenant
        self._conn = conn

    async def rows(self, query: ReadQuery, **params: Any) -> Sequence[Sequence[Any]]:
        params[TENANT_PARAM] = self.tenant.value
        rows: Sequence[Sequence[Any]] = (await self._conn.execute(query.stmt, params)).all()
        return rows


@asynccontextmanager
async def tenant_reads(engine: AsyncEngine, tenant: TenantId) -> AsyncIterator[TenantReader]:
    """A read-only transaction bound to ``tenant`` (ended when the block exits)."""
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "asyncpg":
        async with _asyncpg_reads(engine, tenant) as reader:
            yield reader
        return
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant.value)})
        yield _CoreReader(conn, tenant)
        await conn.rollback()


def _begin_sql(tenant: TenantId) -> str:
    # A literal is safe here: a UUID's text form is hex digits and dashes only. The
    # simple protocol is what lets BEGIN and set_config share one round trip.
    value = uuid.UUID(str(tenant.value))
    return f"BEGIN READ ONLY; SELECT set_config('app.tenant_id', '{value}', true)"


@asynccontextmanager
async def _asyncpg_reads(engine: AsyncEngine, tenant: TenantId) -> AsyncIterator[TenantReader]:
    conn, driver = await _begin(engine, _begin_sql(tenant))
    try:
        yield _AsyncpgReader(driver, tenant, engine.dialect)
    except asyncio.CancelledError:
        # Cancelled mid-query the protocol state is unknown: never hand it on.
        await _discard(conn)
        raise
    except BaseException:
        await _end(conn, driver)
        raise
    await _end(conn, driver)


async def _begin(engine: AsyncEngine, begin_sql: str) -> tuple[AsyncConnection, Any]:
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        conn = await engine.connect()
        try:
            driver: Any = (await conn.get_raw_connection()).driver_connection
            await driver.execute(begin_sql)
        except BaseException as exc:
            await _discard(conn)
            if attempt == CONNECT_ATTEMPTS or not _disconnected(exc):
                raise
            continue
        return conn, driver
    raise AssertionError("unreachable")  # pragma: no cover


async def _end(conn: AsyncConnection, driver: Any) -> None:
    """ROLLBACK and return the connection; a connection that cannot is closed instead."""
    try:
        await driver.execute("ROLLBACK")
    except BaseException:
        await _discard(conn)
        raise
    await conn.close()


async def _discard(conn: AsyncConnection) -> None:
    try:
        await conn.invalidate()
    finally:
        await conn.close()


def _disconnected(exc: BaseException) -> bool:
    import asyncpg

    return isinstance(
        exc,
        (
            ConnectionError,
            OSError,
            asyncpg.exceptions.ConnectionDoesNotExistError,
            asyncpg.exceptions.PostgresConnectionError,
            asyncpg.exceptions.InterfaceError,
        ),
    )
