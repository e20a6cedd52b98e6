"""The long-lived objects one app process shares, built by the composition root."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.adapters.db.engine import make_engine, make_sessionmaker
from app.adapters.db.reads import TenantReader, tenant_reads
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.tenancy.principal import Principal
from app.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    # Called after a commit with the ids of the events it wrote: wakes the outbox relay.
    on_events: Callable[[list[uuid.UUID]], None] = field(default=lambda ids: None)
    extras: dict[str, object] = field(default_factory=dict)

    def uow(self, principal: Principal, request_id: str | None = None) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, principal, request_id=request_id, on_commit=self.on_events)

    def reads(self, principal: Principal) -> AbstractAsyncContextManager[TenantReader]:
        """A read-only transaction of the principal's tenant (list pages: no ORM, no audit)."""
        return tenant_reads(self.engine, principal.tenant)


def build_services(settings: Settings) -> Services:
    """Engine, sessions and the container every entry point (server, worker, CLI) starts from."""
    engine = make_engine(settings.database_url)
    return Services(settings=settings, engine=engine, sessions=make_sessionmaker(engine))
