"""Repositories are scoped to one tenant from construction: every statement they
build starts from ``scoped(Model)``, so a tenant filter is never written by hand."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, Table, Update, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.tenancy.principal import TenantId

M = TypeVar("M")


class TenantRepository:
    def __init__(self, session: AsyncSession, tenant: TenantId) -> None:
        self.session = session
        self.tenant = tenant

    @property
    def tenant_uuid(self) -> uuid.UUID:
        return self.tenant.value

    def scoped(self, model: type[M], *columns: Any) -> Select[Any]:
        stmt = select(*columns) if columns else select(model)
        return stmt.where(model.tenant_id == self.tenant.value)  # type: ignore[attr-defined]

    def scoped_update(self, model: type[M], *where: Any) -> Update:
        """``UPDATE`` of this tenant's rows of ``model`` that match ``where``; the caller
        adds ``.values(...)``."""
        return update(model).where(model.tenant_id == self.tenant.value, *where)  # type: ignore[attr-defined]

    def scoped_table(self, table: Table, *columns: Any) -> Select[Any]:
        """``scoped`` in Core terms: the rows come back as plain tuples, without the ORM's
        result processing (for the bulk paths that read thousands of rows)."""
        stmt = select(*columns) if columns else select(table)
        return stmt.where(table.c.tenant_id == self.tenant.value)
