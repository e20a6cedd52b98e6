"""Engines and sessions. Created by the composition root, never at import time."""

from __future__ import annotations

import time
from typing import Any

import msgspec
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.orm import Session

from app.adapters.db.tenancy import install_tenant_guard


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# A connection back in the pool for longer than this is pinged before it is handed out.
# SQLAlchemy's ``pool_pre_ping`` pings every checkout, and on asyncpg a ping is three
# round trips (BEGIN, ";", ROLLBACK): more than the request's own query. A busy pool
# hands out connections used moments ago; one that sat idle through a database restart
# is caught here, and an error on a busy one invalidates the pool (SQLAlchemy's
# disconnect handling), so at worst the requests in flight at the restart fail.
IDLE_PING_SECONDS = 10.0


def _stamp_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    since = record.info.get("idle_since")
    if since is not None and time.monotonic() - since > IDLE_PING_SECONDS:
        try:
            dbapi_conn.ping()
        except Exception as error:
            # The pool drops this connection and tries another (up to three times).
            raise exc.DisconnectionError("idle pooled connection is gone") from error


# JSON columns are read with msgspec (same values as ``json.loads`` for any JSON the
# database holds, several times faster): the outbox relay decodes every event's payload,
# 240k of them after a 100k-title bank return.
_JSON_DECODE = msgspec.json.decode


def make_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, json_deserializer=_JSON_DECODE)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # Connections kept open: enough for a process's concurrent requests. Past it, the
    # overflow connections are closed as soon as the pool has room again, so a pool
    # sized below the steady concurrency opens a PostgreSQL backend per request.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size // 2,
        pool_recycle=1800,
        json_deserializer=_JSON_DECODE,
        connect_args={"server_settings": {"application_name": "cobalto", "jit": "off"}},
    )
    event.listen(engine.sync_engine.pool, "checkin", _stamp_checkin)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    install_tenant_guard(Session)
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
