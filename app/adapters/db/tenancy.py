"""Tenant binding of a database session.

A session bound to a tenant carries it in ``session.info``; at the start of every
transaction the tenant is set with ``set_config('app.tenant_id', …, true)`` so that
PostgreSQL row-level security sees it (transaction-local: a pooled connection never
leaks it to the next request). On SQLite the repositories' filter is the guard.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.domain.tenancy.principal import TenantId

_TENANT_KEY = "cobalto_tenant_id"
_installed: set[type] = set()


def _after_begin(session: Session, _transaction: Any, connection: Any) -> None:
    tenant = session.info.get(_TENANT_KEY)
    if tenant is not None and connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})


def install_tenant_guard(session_cls: type[Session]) -> None:
    if session_cls not in _installed:
        event.listen(session_cls, "after_begin", _after_begin)
        _installed.add(session_cls)


def bind_tenant(session: AsyncSession, tenant: TenantId) -> None:
    session.info[_TENANT_KEY] = tenant.value


def bound_tenant(session: AsyncSession) -> uuid.UUID | None:
    value = session.info.get(_TENANT_KEY)
    return value if isinstance(value, uuid.UUID) else None
