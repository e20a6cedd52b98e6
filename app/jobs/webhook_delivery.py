"""Outbound webhooks: deliver one attempt, and enqueue the deliveries whose retry time
has come (the fan-out of events to endpoints is ``app.jobs.webhook_fanout``).

A delivery is claimed with a conditional UPDATE on its attempts count (see
``WebhookStore.claim``) and leased for ``ctx.lease``; the HTTP call happens outside any
transaction. A worker killed mid-send leaves the lease to expire, and the scheduler
enqueues the delivery again: at-least-once on the wire, with the same ``webhook-id`` so
receivers can drop the repeat, as Standard Webhooks intends.
"""

from __future__ import annotations

import json
import logging
import uuid

from app.adapters.db.models import WebhookAttemptRow
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.webhooks.sender import SendResult
from app.adapters.webhooks.store import FAILED, SUCCEEDED, WebhookStore
from app.domain.shared.ids import new_id
from app.domain.shared.webhooks import disable_reason, retry_delay, should_disable
from app.jobs.context import BATCH, DeliveryTask, EventEnvelope, JobContext
from app.server.auth import system_principal

log = logging.getLogger("cobalto.jobs.webhooks")


def webhook_body(envelope: EventEnvelope) -> dict[str, object]:
    """The message shape Standard Webhooks recommends: type, timestamp, data."""
    return {"type": envelope.event_type, "timestamp": envelope.occurred_at, "data": envelope.payload}


def encode_body(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def _uow(ctx: JobContext, tenant_id: uuid.UUID, label: str) -> SqlUnitOfWork:
    return ctx.services.uow(system_principal(tenant_id, label))


async def deliver(ctx: JobContext, task: DeliveryTask) -> str:
    """Make one attempt of a delivery; returns what happened (for logs and tests)."""
    tenant_id, delivery_id = uuid.UUID(task.tenant_id), uuid.UUID(task.delivery_id)
    attempt = task.attempts + 1
    async with _uow(ctx, tenant_id, "webhooks") as uow:
        store = WebhookStore(uow.session, uow.tenant)
        if not await store.claim(delivery_id, task.attempts, ctx.clock.now() + ctx.lease):
            await uow.rollback()
            return "skipped"
        delivery = await store.delivery(delivery_id)
        assert delivery is not None
        endpoint = await store.endpoint(delivery.endpoint_id)
        if endpoint is None or not endpoint.is_enabled:
            delivery.status, delivery.next_attempt_at = FAILED, None
            delivery.last_error = "endpoint disabled"
            await uow.commit()
            return "endpoint_disabled"
        url, secret = endpoint.url, ctx.box.open(endpoint.secret_encrypted)
        body, msg_id = encode_body(dict(delivery.payload)), str(delivery.event_id)
        await uow.commit()

    result = await ctx.sender.send(url, secret, msg_id, body)
    return await _record(ctx, tenant_id, delivery_id, attempt, result)


async def _record(
    ctx: JobContext, tenant_id: uuid.UUID, delivery_id: uuid.UUID, attempt: int, result: SendResult
) -> str:
    now = ctx.clock.now()
    async with _uow(ctx, tenant_id, "webhooks") as uow:
        store = WebhookStore(uow.session, uow.tenant)
        delivery = await store.delivery(delivery_id)
        if delivery is None:  # the endpoint was deleted meanwhile
            return "gone"
        endpoint = await store.endpoint_for_update(delivery.endpoint_id)
        store.add(
            WebhookAttemptRow(
                id=new_id(),
                delivery_id=delivery_id,
                attempt=attempt,
                attempted_at=now,
                status_code=result.status_code,
                response_excerpt=result.response_excerpt,
                error=result.error,
                duration_ms=result.duration_ms,
            )
        )
        delivery.last_status_code = result.status_code
        if result.ok:
            delivery.status, delivery.delivered_at = SUCCEEDED, now
            delivery.next_attempt_at, delivery.last_error = None, None
            if endpoint is not None:
                endpoint.failing_since = None
            outcome = "succeeded"
        else:
            delivery.last_error = result.error or f"HTTP {result.status_code}"
            delay = retry_delay(attempt, ctx.unit_random())
            if delay is None:
                delivery.status, delivery.next_attempt_at = FAILED, None
                outcome = "failed"
            else:
                delivery.next_attempt_at = now + delay
                outcome = "retry"
            if endpoint is not None and endpoint.is_enabled:
                if endpoint.failing_since is None:
                    endpoint.failing_since = now
                elif should_disable(endpoint.failing_since, now):
                    endpoint.is_enabled = False
                    endpoint.disabled_reason = disable_reason(endpoint.failing_since)
                    log.warning("webhook endpoint %s disabled: %s", endpoint.id, endpoint.disabled_reason)
                    outcome = "endpoint_disabled"
        await uow.commit()
    return outcome


async def enqueue_due(ctx: JobContext, tenant_id: uuid.UUID) -> int:
    """Enqueue the tenant's deliveries whose next attempt is due (retries, lost messages)."""
    now = ctx.clock.now()
    total = 0
    while True:
        async with _uow(ctx, tenant_id, "webhooks") as uow:
            rows = await WebhookStore(uow.session, uow.tenant).take_due(now, now + ctx.lease, BATCH)
            await uow.commit()
        if rows:
            await ctx.publisher.deliveries(
                [DeliveryTask(str(tenant_id), str(delivery_id), attempts) for delivery_id, attempts in rows]
            )
        total += len(rows)
        if len(rows) < BATCH:
            return total
