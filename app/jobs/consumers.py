"""Event consumers, run on a batch of one tenant's events in one transaction per consumer.

Exactly once per (consumer, event): a consumer works out which events of the batch
have an effect for it and *claims* them before writing anything; the claim inserts
(consumer, event id) into ``processed_events``, whose unique key lets only one
transaction ever own an event. The events the claim does not return were handled
before (the relay published them twice after a crash, the broker redelivered the
message) or are being handled by a concurrent worker, which ``ON CONFLICT DO NOTHING``
waits for on PostgreSQL; the consumer skips them.

Events with no effect for a consumer are not claimed, so they write nothing: for a
tenant without a matching webhook endpoint a batch costs one small read. Replaying such
an event later can only do what a first handling at that moment would have done (e.g.
deliver to an endpoint registered meanwhile), never a second copy of anything, because
whatever is written is written only under a claim.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.db.bulk import one_of
from app.adapters.db.models import ProcessedEventRow
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.shared.ids import new_ids
from app.jobs.context import Claim, DeliveryTask, EventEnvelope, JobContext
from app.jobs.webhook_fanout import fan_out
from app.server.auth import system_principal

log = logging.getLogger("cobalto.jobs.consumers")

DONE = "done"
DUPLICATE = "duplicate"

# A consumer changes data in the given unit of work (not committing it) for the events
# it claimed, and returns the delivery tasks to enqueue once the transaction commits.
Consumer = Callable[[JobContext, SqlUnitOfWork, list[EventEnvelope], Claim], Awaitable[list[DeliveryTask]]]

CONSUMERS: dict[str, Consumer] = {"webhooks": fan_out}


async def handle_events(
    ctx: JobContext, envelopes: list[EventEnvelope], consumers: dict[str, Consumer] | None = None
) -> dict[str, dict[str, str]]:
    """Run every consumer on a batch; returns {consumer: {event id: "done" | "duplicate"}}.

    Envelopes of several tenants are handled tenant by tenant (the relay sends one
    tenant per batch; the grouping only keeps a mixed list from crossing tenants)."""
    outcome: dict[str, dict[str, str]] = {}
    for tenant_id, group in _by_tenant(envelopes).items():
        for name, consumer in (consumers or CONSUMERS).items():
            outcome.setdefault(name, {}).update(await _consume(ctx, tenant_id, name, consumer, group))
    return outcome


async def handle_event(
    ctx: JobContext, envelope: EventEnvelope, consumers: dict[str, Consumer] | None = None
) -> dict[str, str]:
    """One event (messages queued by versions that published one event per message);
    returns {consumer: "done" | "duplicate"}."""
    outcome = await handle_events(ctx, [envelope], consumers)
    return {name: events[envelope.event_id] for name, events in outcome.items()}


def _by_tenant(envelopes: list[EventEnvelope]) -> dict[uuid.UUID, list[EventEnvelope]]:
    """Per tenant, each event once (a batch may repeat an event), in the batch's order."""
    groups: dict[uuid.UUID, dict[str, EventEnvelope]] = {}
    for envelope in envelopes:
        groups.setdefault(uuid.UUID(envelope.tenant_id), {}).setdefault(envelope.event_id, envelope)
    return {tenant_id: list(events.values()) for tenant_id, events in groups.items()}


async def _consume(
    ctx: JobContext, tenant_id: uuid.UUID, name: str, consumer: Consumer, envelopes: list[EventEnvelope]
) -> dict[str, str]:
    duplicates: set[uuid.UUID] = set()
    async with ctx.services.uow(system_principal(tenant_id, f"consumer:{name}")) as uow:

        async def claim(event_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
            claimed = await claim_events(uow.session, tenant_id, name, event_ids, ctx)
            duplicates.update(set(event_ids) - claimed)
            return claimed

        tasks = await consumer(ctx, uow, envelopes, claim)
        await uow.commit()
    if tasks:
        await ctx.publisher.deliveries(tasks)
    return {e.event_id: DUPLICATE if uuid.UUID(e.event_id) in duplicates else DONE for e in envelopes}


async def claim_events(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    consumer: str,
    event_ids: Collection[uuid.UUID],
    ctx: JobContext,
) -> set[uuid.UUID]:
    """Record (consumer, event) for the events not yet recorded; returns those recorded now.

    One read skips what earlier transactions recorded (the usual repeat); the insert's
    ``ON CONFLICT DO NOTHING … RETURNING`` settles races with a concurrent worker."""
    if not event_ids:
        return set()
    seen = select(ProcessedEventRow.event_id).where(
        ProcessedEventRow.tenant_id == tenant_id,
        ProcessedEventRow.consumer == consumer,
        one_of(session, ProcessedEventRow.event_id, list(event_ids)),
    )
    done = set((await session.execute(seen)).scalars())
    # Sorted: two workers claiming overlapping batches take the keys in the same order.
    fresh = sorted(set(event_ids) - done)
    if not fresh:
        return set()
    now = ctx.clock.now()
    rows = [
        {
            "tenant_id": tenant_id,
            "id": row_id,
            "consumer": consumer,
            "event_id": event_id,
            "processed_at": now,
        }
        for row_id, event_id in zip(new_ids(len(fresh)), fresh, strict=True)
    ]
    stmt = _insert_ignoring_conflicts(session).values(rows).returning(ProcessedEventRow.event_id)
    return set((await session.execute(stmt)).scalars())


def _insert_ignoring_conflicts(session: AsyncSession) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(ProcessedEventRow).on_conflict_do_nothing()
    return sqlite.insert(ProcessedEventRow).on_conflict_do_nothing()
