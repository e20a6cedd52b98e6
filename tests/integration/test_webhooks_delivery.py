"""Outbound webhooks against a real HTTP receiver that verifies every signature."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.adapters.db.models import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow
from app.adapters.webhooks.sender import MAX_LOGGED_BODY, WebhookSender
from app.adapters.webhooks.ssrf import UrlPolicy
from app.domain.shared.webhooks import MAX_ATTEMPTS, RETRY_DELAYS
from app.jobs.consumers import handle_event
from app.jobs.webhook_delivery import deliver, enqueue_due
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant
from tests.support.jobs import delivery_row, job_context, register_endpoint, relay
from tests.support.webhook_receiver import webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _rows(services: Services, tenant: TenantInfo, model: type, **where: object) -> list:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        stmt = select(model).where(model.tenant_id == tenant.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return list((await uow.session.execute(stmt)).scalars().all())


async def test_event_reaches_a_verifying_receiver_once(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    with webhook_receiver() as receiver:
        _endpoint_id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        customer = await add_customer(services, tenant, name="Padaria Central")
        [envelope] = await relay(services, tenant, kept)
        assert envelope.event_type == "customer.created"

        assert await handle_event(ctx, envelope) == {"webhooks": "done"}
        [task] = kept.take_tasks()
        assert await deliver(ctx, task) == "succeeded"

        [request] = receiver.received
        assert request.verified
        assert request.headers["webhook-id"] == envelope.event_id
        assert request.headers["content-type"] == "application/json"
        assert request.json["type"] == "customer.created"
        assert request.json["data"]["id"] == str(customer.id)
        assert request.json["timestamp"] == envelope.occurred_at

    row = await delivery_row(services, tenant, task.delivery_id)
    assert (row.status, row.attempts, row.last_status_code) == ("succeeded", 1, 200)
    [attempt] = await _rows(services, tenant, WebhookAttemptRow, delivery_id=row.id)
    assert attempt.status_code == 200
    assert attempt.response_excerpt is not None
    assert len(attempt.response_excerpt) == MAX_LOGGED_BODY  # truncated, the receiver sent 5 kB


async def test_retries_follow_the_schedule_then_succeed(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, clock = job_context(services)
    with webhook_receiver() as receiver:
        receiver.plan = [500, 503]
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        [envelope] = await relay(services, tenant, kept)
        await handle_event(ctx, envelope)
        [task] = kept.take_tasks()

        assert await deliver(ctx, task) == "retry"
        row = await delivery_row(services, tenant, task.delivery_id)
        assert row.next_attempt_at == clock.now() + RETRY_DELAYS[0]  # jitter is 0 at 0.5
        assert await enqueue_due(ctx, tenant.id) == 0  # not due yet

        clock.advance(seconds=6)
        assert await enqueue_due(ctx, tenant.id) == 1
        [retry] = kept.take_tasks()
        assert retry.attempts == 1
        assert await enqueue_due(ctx, tenant.id) == 0  # leased: not enqueued twice
        assert await deliver(ctx, retry) == "retry"
        row = await delivery_row(services, tenant, task.delivery_id)
        assert row.next_attempt_at == clock.now() + RETRY_DELAYS[1]

        clock.advance(minutes=6)
        await enqueue_due(ctx, tenant.id)
        [third] = kept.take_tasks()
        assert await deliver(ctx, third) == "succeeded"
        assert [r.answered for r in receiver.received] == [500, 503, 200]

    attempts = await _rows(services, tenant, WebhookAttemptRow, delivery_id=uuid.UUID(task.delivery_id))
    assert sorted((a.attempt, a.status_code) for a in attempts) == [(1, 500), (2, 503), (3, 200)]
    [endpoint] = await _rows(services, tenant, WebhookEndpointRow)
    assert endpoint.failing_since is None and endpoint.is_enabled


async def test_gives_up_after_about_three_days(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, clock = job_context(services)
    started = clock.now()
    with webhook_receiver() as receiver:
        receiver.default_status = 500
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        [envelope] = await relay(services, tenant, kept)
        await handle_event(ctx, envelope)
        [task] = kept.take_tasks()
        outcomes = [await deliver(ctx, task)]
        while outcomes[-1] == "retry":
            row = await delivery_row(services, tenant, task.delivery_id)
            assert row.next_attempt_at is not None
            clock.move_to(row.next_attempt_at)
            await enqueue_due(ctx, tenant.id)
            [task] = kept.take_tasks()
            outcomes.append(await deliver(ctx, task))
        assert len(receiver.received) == MAX_ATTEMPTS

    assert outcomes[-1] == "failed"
    elapsed = clock.now() - started
    assert timedelta(hours=70) < elapsed < timedelta(hours=73)
    row = await delivery_row(services, tenant, task.delivery_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    [endpoint] = await _rows(services, tenant, WebhookEndpointRow)
    assert endpoint.is_enabled  # 3 days of failure is not yet 5


async def test_endpoint_failing_for_five_days_is_disabled(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, clock = job_context(services)
    with webhook_receiver() as receiver:
        receiver.default_status = 502
        endpoint_id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        [first] = await relay(services, tenant, kept)
        await handle_event(ctx, first)
        assert await deliver(ctx, kept.take_tasks()[0]) == "retry"
        failing_since = clock.now()

        clock.advance(days=4, hours=23)
        await add_customer(services, tenant)
        [second] = await relay(services, tenant, kept)
        await handle_event(ctx, second)
        [task] = [t for t in kept.take_tasks()]
        assert await deliver(ctx, task) == "retry"  # 4 d 23 h: still enabled

        clock.advance(hours=2)
        await enqueue_due(ctx, tenant.id)
        due = kept.take_tasks()
        results = [await deliver(ctx, t) for t in due]
        assert "endpoint_disabled" in results

        [endpoint] = await _rows(services, tenant, WebhookEndpointRow)
        assert not endpoint.is_enabled
        assert endpoint.failing_since == failing_since
        assert endpoint.disabled_reason and "failing continuously" in endpoint.disabled_reason

        # A disabled endpoint receives nothing new.
        count = len(receiver.received)
        await add_customer(services, tenant)
        [third] = await relay(services, tenant, kept)
        await handle_event(ctx, third)
        assert kept.take_tasks() == []
        assert len(receiver.received) == count
    assert endpoint.id == endpoint_id


async def test_duplicate_messages_and_competing_workers_send_once(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        [envelope] = await relay(services, tenant, kept)
        # The same event handled twice (relay repeated it): one delivery row.
        assert await handle_event(ctx, envelope) == {"webhooks": "done"}
        assert await handle_event(ctx, envelope) == {"webhooks": "duplicate"}
        [task] = kept.take_tasks()
        # The same delivery message consumed twice at once: one HTTP request.
        outcomes = await asyncio.gather(deliver(ctx, task), deliver(ctx, task))
        assert sorted(outcomes) == ["skipped", "succeeded"]
        assert len(receiver.received) == 1
    assert len(await _rows(services, tenant, WebhookDeliveryRow)) == 1


async def test_event_type_filter(services: Services) -> None:
    tenant = await new_tenant(services)
    ctx, kept, _clock = job_context(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url, ["invoice.*"])
        customer = await add_customer(services, tenant)
        await add_invoice(services, tenant, customer.id)
        envelopes = await relay(services, tenant, kept)
        assert [e.event_type for e in envelopes] == ["customer.created", "invoice.created"]
        for envelope in envelopes:
            await handle_event(ctx, envelope)
        tasks = kept.take_tasks()
        assert len(tasks) == 1
        await deliver(ctx, tasks[0])
        assert [r.json["type"] for r in receiver.received] == ["invoice.created"]


async def test_send_time_check_refuses_an_address_that_became_private(services: Services) -> None:
    """Registered while allowed, refused at send time: the check runs on every attempt
    (this is what stops DNS rebinding), and nothing reaches the address."""
    tenant = await new_tenant(services)
    strict = WebhookSender(UrlPolicy(allow_private=False, allow_loopback=False))
    ctx, kept, _clock = job_context(services, sender=strict)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        [envelope] = await relay(services, tenant, kept)
        await handle_event(ctx, envelope)
        [task] = kept.take_tasks()
        assert await deliver(ctx, task) == "retry"
        assert receiver.received == []
    [attempt] = await _rows(services, tenant, WebhookAttemptRow)
    assert attempt.status_code is None
    assert attempt.error is not None and "loopback" in attempt.error
    await ctx.aclose()


async def test_redirects_are_not_followed_and_timeouts_fail(services: Services) -> None:
    tenant = await new_tenant(services)
    quick = WebhookSender(UrlPolicy(allow_loopback=True), timeout=0.3)
    ctx, kept, _clock = job_context(services, sender=quick)
    with webhook_receiver() as receiver:
        receiver.plan = [302]
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await add_customer(services, tenant)
        await add_customer(services, tenant)
        first, second = await relay(services, tenant, kept)
        await handle_event(ctx, first)
        assert await deliver(ctx, kept.take_tasks()[0]) == "retry"
        assert len(receiver.received) == 1  # the redirect was not followed

        receiver.hold.set()
        await handle_event(ctx, second)
        assert await deliver(ctx, kept.take_tasks()[0]) == "retry"
        receiver.release.set()
    errors = {a.status_code: a.error for a in await _rows(services, tenant, WebhookAttemptRow)}
    assert errors == {302: None, None: "timeout"}
    await ctx.aclose()
