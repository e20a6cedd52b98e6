"""The Dramatiq actors and the publisher that sends them messages.

Actors run in Dramatiq's worker threads; the job code is async (the database drivers
are), so each actor hands its coroutine to the process's job event loop and waits.
The same actors are declared by the publishing side (the API server) and the consuming
side (``cobalto worker`` or the embedded worker threads).

The relay publishes one message per batch of one tenant's events
(``cobalto_handle_events``), handled in one transaction. ``cobalto_handle_event`` (one
event per message) is what earlier versions published: it stays declared so that
messages still queued in Redis/RabbitMQ across an upgrade are consumed, not lost. An
API process that only publishes hands large bank files to the workers
(``cobalto_process_bank_file``, one message per file).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

import dramatiq
from dramatiq.brokers.stub import StubBroker

from app.jobs.bank_files import process_bank_file
from app.jobs.broker import BrokerInfo
from app.jobs.consumers import handle_event, handle_events
from app.jobs.context import BATCH, DeliveryTask, EventEnvelope, JobCall
from app.jobs.webhook_delivery import deliver

EVENT_ACTOR = "cobalto_handle_event"  # one event per message: older publishers
EVENTS_ACTOR = "cobalto_handle_events"
DELIVERY_ACTOR = "cobalto_deliver_webhook"
BANK_FILE_ACTOR = "cobalto_process_bank_file"
# A job that hangs (e.g. a database outage) is abandoned after this and retried.
JOB_TIMEOUT_SECONDS = 120
# A bank file's job runs as long as the file takes (a 100k-title return: minutes); a
# retry while it still runs finds the file's lease held and does nothing.
BANK_FILE_TIMEOUT_SECONDS = 3_600


class Runner(Protocol):
    """Runs a job coroutine on the job event loop and returns its result."""

    def __call__(self, call: JobCall, timeout: float = JOB_TIMEOUT_SECONDS, /) -> Any: ...


@dataclass
class Actors:
    handle_event: dramatiq.Actor[..., Any]
    handle_events: dramatiq.Actor[..., Any]
    deliver_webhook: dramatiq.Actor[..., Any]
    process_bank_file: dramatiq.Actor[..., Any]


def declare_actors(info: BrokerInfo, run: Runner) -> Actors:
    """``run`` executes a job coroutine on the job event loop and returns its result."""

    def handle_event_actor(message: dict[str, Any]) -> None:
        envelope = EventEnvelope(**message)
        run(lambda ctx: handle_event(ctx, envelope))

    def handle_events_actor(_tenant_id: str, events: list[dict[str, Any]]) -> None:
        # The tenant is in the arguments for whoever reads the queue; every envelope
        # names its own, and ``handle_events`` never lets a batch cross tenants.
        envelopes = [EventEnvelope(**message) for message in events]
        run(lambda ctx: handle_events(ctx, envelopes))

    def deliver_actor(tenant_id: str, delivery_id: str, attempts: int) -> None:
        task = DeliveryTask(tenant_id, delivery_id, attempts)
        run(lambda ctx: deliver(ctx, task))

    def bank_file_actor(tenant_id: str, file_id: str) -> None:
        run(lambda ctx: process_bank_file(ctx, tenant_id, file_id), BANK_FILE_TIMEOUT_SECONDS)

    # Broker-level retries cover infrastructure failures (database down, crash);
    # webhook HTTP failures are not exceptions, they follow the delivery's own schedule.
    options = {"max_retries": 10, "min_backoff": 1_000, "max_backoff": 300_000, "time_limit": 150_000}
    return Actors(
        handle_event=dramatiq.Actor(
            handle_event_actor,
            broker=info.broker,
            actor_name=EVENT_ACTOR,
            queue_name=info.queue("events"),
            priority=0,
            options=dict(options),
        ),
        handle_events=dramatiq.Actor(
            handle_events_actor,
            broker=info.broker,
            actor_name=EVENTS_ACTOR,
            queue_name=info.queue("events"),
            priority=0,
            options=dict(options),
        ),
        deliver_webhook=dramatiq.Actor(
            deliver_actor,
            broker=info.broker,
            actor_name=DELIVERY_ACTOR,
            queue_name=info.queue("webhooks"),
            priority=10,
            options=dict(options),
        ),
        process_bank_file=dramatiq.Actor(
            bank_file_actor,
            broker=info.broker,
            actor_name=BANK_FILE_ACTOR,
            queue_name=info.queue("bank-files"),
            priority=20,
            options=_bank_file_options(),
        ),
    )


def _bank_file_options() -> dict[str, Any]:
    # A failure (the file marked failed, or the database gone) is retried: the retry
    # resumes after the last committed batch. Fewer retries than events: a file that
    # fails for its content fails again.
    limit_ms = BANK_FILE_TIMEOUT_SECONDS * 1_000
    return {"max_retries": 5, "min_backoff": 5_000, "max_backoff": 300_000, "time_limit": limit_ms}


def loop_runner(loop: asyncio.AbstractEventLoop, build: Callable[[], Any]) -> Runner:
    """Run job coroutines on ``loop`` from worker threads; ``build()`` gives the context."""

    def run(call: JobCall, timeout: float = JOB_TIMEOUT_SECONDS, /) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(call(build()), loop)
        return future.result(timeout=timeout)

    return run


class DramatiqPublisher:
    def __init__(self, info: BrokerInfo, actors: Actors) -> None:
        self._broker = info.broker
        self._actors = actors
        # The stub broker only appends to an in-memory queue; real brokers do network
        # I/O, which must not block the event loop.
        self._inline = isinstance(info.broker, StubBroker)

    async def _enqueue(self, messages: list[dramatiq.Message[Any]]) -> None:
        def send() -> None:
            for message in messages:
                self._broker.enqueue(message)

        if self._inline:
            send()
        else:
            await asyncio.to_thread(send)

    async def events(self, envelopes: list[EventEnvelope]) -> None:
        """One message per tenant and ``BATCH`` events (the relay passes one batch)."""
        by_tenant: dict[str, list[EventEnvelope]] = {}
        for envelope in envelopes:
            by_tenant.setdefault(envelope.tenant_id, []).append(envelope)
        await self._enqueue(
            [
                self._actors.handle_events.message(tenant_id, [e.as_message() for e in group[i : i + BATCH]])
                for tenant_id, group in by_tenant.items()
                for i in range(0, len(group), BATCH)
            ]
        )

    async def deliveries(self, tasks: list[DeliveryTask]) -> None:
        await self._enqueue(
            [self._actors.deliver_webhook.message(t.tenant_id, t.delivery_id, t.attempts) for t in tasks]
        )

    async def bank_file(self, tenant_id: uuid.UUID, file_id: uuid.UUID) -> None:
        await self._enqueue([self._actors.process_bank_file.message(str(tenant_id), str(file_id))])
