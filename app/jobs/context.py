"""What job code needs, built once per process: the services, the webhook sender and
secret box, the clock and randomness (injectable so tests don't wait for retries)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Collection, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from app.adapters.webhooks.secret_box import SecretBox
from app.adapters.webhooks.sender import WebhookSender
from app.domain.shared.clock import Clock, SystemClock
from app.server.services import Services
from app.server.webhook_config import secret_box, url_policy

# How long a claimed delivery is protected from being picked up again: longer than
# the HTTP timeout, so only a worker that died mid-send has it retried.
DEFAULT_LEASE = timedelta(seconds=60)
# Pending outbox rows / due deliveries handled per tenant and transaction.
BATCH = 200


@dataclass(frozen=True)
class EventEnvelope:
    """An outbox event on its way to the consumers (the message body)."""

    tenant_id: str
    event_id: str
    event_type: str
    payload: dict[str, Any]
    occurred_at: str

    def as_message(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "payload": self.payload,
            "occurred_at": self.occurred_at,
        }


@dataclass(frozen=True)
class DeliveryTask:
    tenant_id: str
    delivery_id: str
    # The attempts count when enqueued: the claim succeeds only if it still holds.
    attempts: int


class Publisher(Protocol):
    async def events(self, envelopes: list[EventEnvelope]) -> None: ...

    async def deliveries(self, tasks: list[DeliveryTask]) -> None: ...


@dataclass
class JobContext:
    services: Services
    publisher: Publisher
    sender: WebhookSender
    box: SecretBox
    clock: Clock = field(default_factory=SystemClock)
    unit_random: Callable[[], float] = random.random
    lease: timedelta = DEFAULT_LEASE

    @classmethod
    def build(cls, services: Services, publisher: Publisher, **overrides: Any) -> JobContext:
        return cls(
            services=services,
            publisher=publisher,
            sender=overrides.pop("sender", None) or WebhookSender(url_policy(services)),
            box=secret_box(services),
            **overrides,
        )

    async def aclose(self) -> None:
        await self.sender.aclose()


# Given to a consumer: records (consumer, event) for these events in processed_events
# and returns the ones this transaction now owns (the others were handled already).
Claim = Callable[[Collection[uuid.UUID]], Awaitable[set[uuid.UUID]]]

JobCall = Callable[[JobContext], Coroutine[Any, Any, Any]]
