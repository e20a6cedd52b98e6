"""The unit of work: one transaction bound to one tenant.

Repositories never commit. The driver opens a unit of work, calls a use case and
commits; data, audit entries and outbox events land together or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.db.base import utcnow
from app.adapters.db.bulk import insert_columns
from app.adapters.db.models import AuditRow, OutboxRow
from app.adapters.db.repositories.customers import SqlCustomerRepository
from app.adapters.db.repositories.invoices import SqlInvoiceRepository
from app.adapters.db.repositories.receivables import SqlChangeRequestRepository, SqlInstallmentRepository
from app.adapters.db.repositories.receivables_payments import SqlPaymentRepository
from app.adapters.db.repositories.receivables_settings import load_policy
from app.adapters.db.repositories.users import SqlUserRepository
from app.adapters.db.tenancy import bind_tenant
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.shared.errors import Conflict
from app.domain.shared.events import DomainEvent
from app.domain.shared.ids import new_id, new_ids
from app.domain.tenancy.principal import Principal, TenantId

CommitHook = Callable[[list[uuid.UUID]], None]


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else json.loads(json.dumps(value, default=str))


class SqlUnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        principal: Principal,
        *,
        request_id: str | None = None,
        on_commit: CommitHook | None = None,
    ) -> None:
        self._sessions = sessions
        self.principal = principal
        self.request_id = request_id
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._event_ids: list[uuid.UUID] = []
        self._policy: ReceivablesPolicy | None = None

    # --- lifecycle ----------------------------------------------------
    async def __aenter__(self) -> SqlUnitOfWork:
        self._session = self._sessions()
        bind_tenant(self._session, self.principal.tenant)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._session is not None
        try:
            if exc_type is not None:
                await self._session.rollback()
        finally:
            await self._session.close()

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "unit of work not entered"
        return self._session

    @property
    def tenant(self) -> TenantId:
        return self.principal.tenant

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            raise Conflict(_conflict_detail(exc)) from exc
        ids, self._event_ids = self._event_ids, []
        if ids and self._on_commit:
            self._on_commit(ids)

    async def rollback(self) -> None:
        await self.session.rollback()
        self._event_ids = []

    # --- UnitOfWorkBase -----------------------------------------------
    def now(self) -> datetime:
        return utcnow()

    @property
    def actor(self) -> str:
        return self.principal.actor

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str | None = None,
    ) -> None:
        self.session.add(
            AuditRow(
                tenant_id=self.tenant.value,
                id=new_id(),
                at=utcnow(),
                actor=self.principal.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=_jsonable(before),
                after=_jsonable(after),
                reason=reason,
                request_id=self.request_id,
            )
        )

    def record(self, event: DomainEvent) -> None:
        self.session.add(
            OutboxRow(
                tenant_id=self.tenant.value,
                id=event.id,
                event_type=event.type,
                payload=_jsonable(event.data) or {},
                created_at=utcnow(),
            )
        )
        self._event_ids.append(event.id)

    # --- bulk forms (imports, demo data) ----------------------------------
    async def audit_many(self, action: str, entity: str, items: list[tuple[str, dict[str, Any]]]) -> None:
        """One audit entry per item, inserted in bulk; payloads must be JSON-ready."""
        n = len(items)
        await insert_columns(
            self.session,
            cast(Table, AuditRow.__table__),
            {
                "tenant_id": [self.tenant.value] * n,
                "id": new_ids(n),
                "at": [utcnow()] * n,
                "actor": [self.principal.actor] * n,
                "action": [action] * n,
                "entity": [entity] * n,
                "entity_id": [entity_id for entity_id, _ in items],
                "before": [None] * n,
                "after": [after for _, after in items],
                "reason": [None] * n,
                "request_id": [self.request_id] * n,
            },
        )

    async def record_many(self, event_type: str, payloads: list[dict[str, Any]]) -> None:
        """One outbox event per payload, in the same transaction as the rows."""
        n = len(payloads)
        ids = new_ids(n)
        await insert_columns(
            self.session,
            cast(Table, OutboxRow.__table__),
            {
                "tenant_id": [self.tenant.value] * n,
                "id": ids,
                "event_type": [event_type] * n,
                "payload": payloads,
                "created_at": [utcnow()] * n,
            },
        )
        self._event_ids.extend(ids)

    # --- repositories -------------------------------------------------
    @cached_property
    def customers(self) -> SqlCustomerRepository:
        return SqlCustomerRepository(self.session, self.tenant)

    @cached_property
    def invoices(self) -> SqlInvoiceRepository:
        return SqlInvoiceRepository(self.session, self.tenant)

    @cached_property
    def users(self) -> SqlUserRepository:
        return SqlUserRepository(self.session, self.tenant)

    @cached_property
    def installments(self) -> SqlInstallmentRepository:
        return SqlInstallmentRepository(self.session, self.tenant, self.principal.actor)

    @cached_property
    def payments(self) -> SqlPaymentRepository:
        return SqlPaymentRepository(self.session, self.tenant)

    @cached_property
    def change_requests(self) -> SqlChangeRequestRepository:
        return SqlChangeRequestRepository(self.session, self.tenant)

    async def receivables_policy(self) -> ReceivablesPolicy:
        if self._policy is None:
            self._policy = await load_policy(self.session, self.tenant)
        return self._policy


def _conflict_detail(exc: IntegrityError) -> str:
    text = str(exc.orig).lower()
    for key in ("number", "external_ref", "email", "key"):
        if key in text:
            return f"a record with the same {key} already exists"
    return "the change conflicts with an existing record"
