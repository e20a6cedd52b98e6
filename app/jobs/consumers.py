"""Event consumers. Each runs in its own transaction that first records
(consumer, event id) in ``processed_events``: a redelivered event hits the unique key
and is skipped, so every consumer's effect happens once however often the broker or
the relay repeats a message."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError

from app.adapters.db.models import ProcessedEventRow
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.shared.ids import new_id
from app.jobs.context import DeliveryTask, EventEnvelope, JobContext
from app.jobs.webhook_delivery import fan_out
from app.server.auth import system_principal

log = logging.getLogger("cobalto.jobs.consumers")

# A consumer changes data in the given unit of work (not committing it) and returns
# the delivery tasks to enqueue once its transaction is committed.
Consumer = Callable[[JobContext, SqlUnitOfWork, EventEnvelope], Awaitable[list[DeliveryTask]]]

CONSUMERS: dict[str, Consumer] = {"webhooks": fan_out}


async def handle_event(
    ctx: JobContext, envelope: EventEnvelope, consumers: dict[str, Consumer] | None = None
) -> dict[str, str]:
    """Run every consumer on one event; returns {consumer: "done" | "duplicate"}."""
    outcome: dict[str, str] = {}
    tenant_id = uuid.UUID(envelope.tenant_id)
    event_id = uuid.UUID(envelope.event_id)
    for name, consumer in (consumers or CONSUMERS).items():
        async with ctx.services.uow(system_principal(tenant_id, f"consumer:{name}")) as uow:
            uow.session.add(
                ProcessedEventRow(
                    tenant_id=tenant_id,
                    id=new_id(),
                    consumer=name,
                    event_id=event_id,
                    processed_at=ctx.clock.now(),
                )
            )
            try:
                # Claim first: a concurrent duplicate waits on the unique key, then fails.
                await uow.session.flush()
            except IntegrityError:
                await uow.rollback()
                outcome[name] = "duplicate"
                continue
            tasks = await consumer(ctx, uow, envelope)
            await uow.commit()
        if tasks:
            await ctx.publisher.deliveries(tasks)
        outcome[name] = "done"
    return outcome
