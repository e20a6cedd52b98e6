"""Events handled a relayed batch at a time: one message and one transaction per batch,
still exactly one delivery per (event, endpoint)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import func, select

from app.adapters.db.models import OutboxRow, ProcessedEventRow, WebhookDeliveryRow
from app.jobs.actors import EVENT_ACTOR, EVENTS_ACTOR, DramatiqPublisher, declare_actors
from app.jobs.broker import BrokerInfo
from app.jobs.consumers import handle_events
from app.jobs.context import EventEnvelope, JobCall
from app.jobs.relay import relay_tenant
from app.jobs.webhook_delivery import deliver
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant
from tests.support.jobs import job_context, register_endpoint, relay
from tests.support.webhook_receiver import webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _count(services: Services, tenant: TenantInfo, model: type, *where: object) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant.id, *where)
        return int((await uow.session.execute(stmt)).scalar_one())


async def _customers(services: Services, tenant: TenantInfo, n: int) -> None:
    for _ in range(n):
        await add_customer(services, tenant)


async def test_a_batch_repeating_an_event_delivers_it_once(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    await register_endpoint(services, tenant, "http://127.0.0.1:9/a")
    await _customers(services, tenant, 2)
    first, second = await relay(services, tenant, kept)

    outcome = await handle_events(ctx, [first, second, first])
    assert outcome == {"webhooks": {first.event_id: "done", second.event_id: "done"}}
    tasks = kept.take_tasks()
    assert len(tasks) == 2
    assert await _count(services, tenant, WebhookDeliveryRow) == 2
    assert await _count(services, tenant, ProcessedEventRow) == 2


async def test_a_batch_replayed_after_a_relay_crash_delivers_nothing_new(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await _customers(services, tenant, 3)

        async def publish_then_crash(envelopes: list[EventEnvelope]) -> None:
            await kept.events(envelopes)
            raise ConnectionError("relay process died")

        with pytest.raises(ConnectionError):
            await relay_tenant(services, tenant.id, publish_then_crash)
        batch = kept.take_envelopes(tenant)
        replay = await relay(services, tenant, kept)
        assert replay == batch and len(batch) == 3

        assert set((await handle_events(ctx, batch))["webhooks"].values()) == {"done"}
        tasks = kept.take_tasks()
        assert set((await handle_events(ctx, replay))["webhooks"].values()) == {"duplicate"}
        assert kept.take_tasks() == []
        for task in tasks:
            assert await deliver(ctx, task) == "succeeded"
        assert sorted(receiver.verified_ids) == sorted(e.event_id for e in batch)

    assert await _count(services, tenant, WebhookDeliveryRow) == 3
    assert await _count(services, tenant, ProcessedEventRow) == 3


async def test_a_batch_half_handled_before_delivers_only_the_rest(services: Services) -> None:
    """A batch overlapping an earlier one (an old single-event message, a shorter batch)."""
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    await register_endpoint(services, tenant, "http://127.0.0.1:9/a")
    await _customers(services, tenant, 3)
    batch = await relay(services, tenant, kept)

    await handle_events(ctx, batch[:1])
    assert len(kept.take_tasks()) == 1
    outcome = (await handle_events(ctx, batch))["webhooks"]
    assert [outcome[e.event_id] for e in batch] == ["duplicate", "done", "done"]
    assert len(kept.take_tasks()) == 2
    assert await _count(services, tenant, WebhookDeliveryRow) == 3


async def test_competing_workers_on_one_batch_deliver_once(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    await register_endpoint(services, tenant, "http://127.0.0.1:9/a")
    await _customers(services, tenant, 4)
    batch = await relay(services, tenant, kept)

    await asyncio.gather(handle_events(ctx, batch), handle_events(ctx, list(reversed(batch))))
    assert len(kept.take_tasks()) == 4
    assert await _count(services, tenant, WebhookDeliveryRow) == 4
    assert await _count(services, tenant, ProcessedEventRow) == 4


async def test_a_tenant_without_endpoints_writes_nothing(services: Services) -> None:
    tenant = await new_tenant(services)
    other = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    # Another tenant's endpoint must not count for this one.
    await register_endpoint(services, other, "http://127.0.0.1:9/other")
    await _customers(services, tenant, 3)
    batch = await relay(services, tenant, kept)

    assert set((await handle_events(ctx, batch))["webhooks"].values()) == {"done"}
    assert kept.take_tasks() == []
    assert await _count(services, tenant, WebhookDeliveryRow) == 0
    assert await _count(services, tenant, ProcessedEventRow) == 0
    assert await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 0


async def test_only_events_an_endpoint_wants_are_recorded(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    await register_endpoint(services, tenant, "http://127.0.0.1:9/a", ["invoice.*"])
    customer = await add_customer(services, tenant)
    await add_invoice(services, tenant, customer.id)
    batch = await relay(services, tenant, kept)
    assert [e.event_type for e in batch] == ["customer.created", "invoice.created"]

    await handle_events(ctx, batch)
    [task] = kept.take_tasks()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        mine = WebhookDeliveryRow.tenant_id == tenant.id
        [delivery] = (await uow.session.execute(select(WebhookDeliveryRow).where(mine))).scalars().all()
        recorded = select(ProcessedEventRow.event_id).where(ProcessedEventRow.tenant_id == tenant.id)
        processed = (await uow.session.execute(recorded)).scalars().all()
    assert str(delivery.id) == task.delivery_id
    assert (delivery.event_type, delivery.status, delivery.attempts) == ("invoice.created", "pending", 0)
    assert delivery.payload["data"] == batch[1].payload
    assert processed == [uuid.UUID(batch[1].event_id)]


async def test_one_message_per_batch_and_old_single_event_messages_still_work(services: Services) -> None:
    """The relay's batch goes out as one message to the batch actor; a message in the
    format of earlier versions (one event) is still consumed, once."""
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    await register_endpoint(services, tenant, "http://127.0.0.1:9/a")
    await _customers(services, tenant, 3)

    calls: list[JobCall] = []
    info = BrokerInfo(StubBroker(), "embedded", "test")
    actors = declare_actors(info, run=calls.append)
    publisher = DramatiqPublisher(info, actors)
    assert await relay_tenant(services, tenant.id, publisher.events) == 3
    queue = info.broker.queues[info.queue("events")]  # type: ignore[attr-defined]
    [message] = [Message.decode(queue.get_nowait()) for _ in range(queue.qsize())]
    assert message.actor_name == EVENTS_ACTOR

    def consume(actor_name: str, *args: Any) -> JobCall:
        actor = info.broker.get_actor(actor_name)
        actor.fn(*args)
        return calls.pop()

    [_tenant_id, events] = message.args
    old = consume(EVENT_ACTOR, events[0])
    assert await old(ctx) == {"webhooks": "done"}
    outcome = await consume(EVENTS_ACTOR, *message.args)(ctx)
    assert list(outcome["webhooks"].values()) == ["duplicate", "done", "done"]
    assert len(kept.take_tasks()) == 3
    assert await _count(services, tenant, WebhookDeliveryRow) == 3
    info.broker.close()
