"""The outbox relay: every committed event is published, marked, and handled once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.adapters.db.models import OutboxRow, ProcessedEventRow, WebhookDeliveryRow
from app.jobs.consumers import handle_event
from app.jobs.context import EventEnvelope
from app.jobs.relay import relay_all, relay_tenant, tenants_with_work
from app.jobs.webhook_delivery import deliver
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, new_tenant
from tests.support.jobs import job_context, register_endpoint
from tests.support.webhook_receiver import webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _count(services: Services, tenant: TenantInfo, model: type, *where: object) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant.id, *where)
        return int((await uow.session.execute(stmt)).scalar_one())


async def test_pending_events_are_published_once_and_marked(services: Services) -> None:
    tenant = await new_tenant(services)
    other = await new_tenant(services)
    _ctx, kept, clock = job_context(services)
    for _ in range(3):
        await add_customer(services, tenant)
    await add_customer(services, other)

    work = await tenants_with_work(services, clock.now())
    assert {tenant.id, other.id} <= set(work)

    assert await relay_tenant(services, tenant.id, kept.events) == 3
    assert [e.tenant_id for e in kept.envelopes] == [str(tenant.id)] * 3
    assert await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 0
    assert await _count(services, other, OutboxRow, OutboxRow.relayed_at.is_(None)) == 1

    # Nothing left: a second pass publishes nothing, and the tenant has no more work.
    assert await relay_tenant(services, tenant.id, kept.events) == 0
    assert tenant.id not in await tenants_with_work(services, clock.now())
    assert other.id in await tenants_with_work(services, clock.now())
    assert len(kept.envelopes) == 3


async def test_relay_crash_after_publish_still_yields_one_effect(services: Services) -> None:
    """The relay publishes, then dies before marking the rows: they are published again,
    and the consumer's processed_events key turns the repeat into a no-op."""
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)

        async def publish_then_crash(envelopes: list[EventEnvelope]) -> None:
            await kept.events(envelopes)
            raise ConnectionError("relay process died")

        with pytest.raises(ConnectionError):
            await relay_tenant(services, tenant.id, publish_then_crash)
        assert await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 1

        assert await relay_all(services, kept.events, [tenant.id]) == 1
        first, second = kept.take_envelopes(tenant)
        assert first == second

        assert await handle_event(ctx, first) == {"webhooks": "done"}
        assert await handle_event(ctx, second) == {"webhooks": "duplicate"}
        for task in kept.take_tasks():
            await deliver(ctx, task)
        assert receiver.verified_ids == [first.event_id]

    assert await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 0
    assert await _count(services, tenant, WebhookDeliveryRow) == 1
    processed = ProcessedEventRow.event_id == uuid.UUID(first.event_id)
    assert await _count(services, tenant, ProcessedEventRow, processed) == 1


async def test_a_large_backlog_does_not_hold_back_other_tenants(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One batch per tenant per pass: the small tenant's event goes out in the first pass,
    before the big tenant's later batches."""
    monkeypatch.setattr("app.jobs.relay.BATCH", 2)
    big = await new_tenant(services)
    small = await new_tenant(services)
    _ctx, kept, _clock = job_context(services)
    for _ in range(5):
        await add_customer(services, big)
    await add_customer(services, small)

    assert await relay_all(services, kept.events, [big.id, small.id]) == 6
    order = [e.tenant_id for e in kept.envelopes]
    assert order == [str(big.id)] * 2 + [str(small.id)] + [str(big.id)] * 3
