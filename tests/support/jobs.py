"""Helpers for job tests: a publisher that keeps messages for the test to run, and a
clock the test moves (the retry schedule spans days)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.adapters.db.models import WebhookDeliveryRow
from app.adapters.webhooks.endpoints import create_endpoint
from app.jobs.context import DeliveryTask, EventEnvelope, JobContext, secret_box, url_policy
from app.jobs.relay import relay_all, relay_tenant, tenants_with_work
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo


class MovableClock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at

    def today(self, tz: str) -> date:
        return self.at.astimezone(ZoneInfo(tz)).date()

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)

    def move_to(self, at: datetime) -> None:
        self.at = max(self.at, at)


class KeptMessages:
    """The Publisher port, keeping what would go to the broker for the test to run."""

    def __init__(self) -> None:
        self.envelopes: list[EventEnvelope] = []
        self.tasks: list[DeliveryTask] = []

    async def events(self, envelopes: list[EventEnvelope]) -> None:
        self.envelopes.extend(envelopes)

    async def deliveries(self, tasks: list[DeliveryTask]) -> None:
        self.tasks.extend(tasks)

    def take_tasks(self) -> list[DeliveryTask]:
        tasks, self.tasks = self.tasks, []
        return tasks

    def take_envelopes(self, tenant: TenantInfo | None = None) -> list[EventEnvelope]:
        mine = [e for e in self.envelopes if tenant is None or e.tenant_id == str(tenant.id)]
        self.envelopes = [e for e in self.envelopes if e not in mine]
        return mine


def job_context(services: Services, **overrides: Any) -> tuple[JobContext, KeptMessages, MovableClock]:
    kept = KeptMessages()
    clock = overrides.pop("clock", None) or MovableClock()
    ctx = JobContext.build(services, kept, clock=clock, unit_random=lambda: 0.5, **overrides)
    return ctx, kept, clock


async def register_endpoint(
    services: Services, tenant: TenantInfo, url: str, event_types: list[str] | None = None
) -> tuple[uuid.UUID, str]:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row, secret = await create_endpoint(
            uow,
            secret_box(services),
            url_policy(services),
            url=url,
            description="test",
            event_types=event_types or ["*"],
        )
        await uow.commit()
    return row.id, secret


async def relay(services: Services, tenant: TenantInfo, kept: KeptMessages) -> list[EventEnvelope]:
    await relay_tenant(services, tenant.id, kept.events)
    return kept.take_envelopes(tenant)


async def delivery_row(services: Services, tenant: TenantInfo, delivery_id: str) -> WebhookDeliveryRow:
    from app.adapters.webhooks.store import WebhookStore

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await WebhookStore(uow.session, uow.tenant).delivery(uuid.UUID(delivery_id))
    assert row is not None
    return row


async def _discard(_envelopes: list[EventEnvelope]) -> None:
    return None


async def drain_backlog(services: Services) -> None:
    """The session's database holds other tests' unrelayed events; a runtime or worker
    starting now would first relay (and handle) all of them. Tests that time one
    tenant's events mark that backlog relayed first."""
    await relay_all(services, _discard, await tenants_with_work(services, datetime.now(UTC)))
