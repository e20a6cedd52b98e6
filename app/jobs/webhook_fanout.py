"""The webhooks consumer: fan a batch of one tenant's events out to the endpoints that
want them, in the consumer's transaction.

The tenant's enabled endpoints are read once per batch. Only events that some endpoint
wants are claimed (``processed_events``), and only claimed events get deliveries, all
inserted in one statement. A tenant without a matching endpoint costs that one read.
"""

from __future__ import annotations

import uuid

from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.webhooks.store import NewDelivery, WebhookStore
from app.domain.shared.webhooks import wants
from app.jobs.context import Claim, DeliveryTask, EventEnvelope, JobContext
from app.jobs.webhook_delivery import webhook_body


async def fan_out(
    ctx: JobContext, uow: SqlUnitOfWork, envelopes: list[EventEnvelope], claim: Claim
) -> list[DeliveryTask]:
    """One pending delivery per claimed event and enabled endpoint whose filter matches."""
    store = WebhookStore(uow.session, uow.tenant)
    endpoints = await store.enabled_endpoints()
    wanted = [
        (envelope, [e.id for e in endpoints if wants(e.event_types, envelope.event_type)])
        for envelope in envelopes
    ]
    wanted = [(envelope, endpoint_ids) for envelope, endpoint_ids in wanted if endpoint_ids]
    if not wanted:
        return []
    claimed = await claim([uuid.UUID(envelope.event_id) for envelope, _ in wanted])
    new = [
        NewDelivery(endpoint_id, uuid.UUID(envelope.event_id), envelope.event_type, webhook_body(envelope))
        for envelope, endpoint_ids in wanted
        if uuid.UUID(envelope.event_id) in claimed
        for endpoint_id in endpoint_ids
    ]
    if not new:
        return []
    now = ctx.clock.now()
    # Leased from the start: the message enqueued after the commit is the first try;
    # the scheduler takes over only if that message is lost.
    ids = await store.add_pending(new, created_at=now, next_attempt_at=now + ctx.lease)
    tenant_id = str(uow.tenant.value)
    return [DeliveryTask(tenant_id, str(delivery_id), 0) for delivery_id in ids]
