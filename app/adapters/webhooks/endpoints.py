"""Use cases on webhook endpoints and deliveries, run inside the caller's unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.adapters.db.models import WebhookDeliveryRow, WebhookEndpointRow
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.webhooks.secret_box import SecretBox
from app.adapters.webhooks.signing import new_secret
from app.adapters.webhooks.ssrf import UnsafeUrl, UrlPolicy, resolve
from app.adapters.webhooks.store import FAILED, PENDING, SUCCEEDED, WebhookStore
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.webhooks import clean_event_types

MAX_ENDPOINTS_PER_TENANT = 50


@dataclass(frozen=True)
class EndpointChanges:
    url: str | None = None
    description: str | None = None
    clear_description: bool = False
    event_types: list[str] | None = None
    is_enabled: bool | None = None


def snapshot(row: WebhookEndpointRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "url": row.url,
        "description": row.description,
        "event_types": list(row.event_types),
        "is_enabled": row.is_enabled,
        "disabled_reason": row.disabled_reason,
        "failing_since": row.failing_since.isoformat() if row.failing_since else None,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


async def checked_url(url: str, policy: UrlPolicy) -> str:
    try:
        await resolve(url.strip(), policy)
    except UnsafeUrl as exc:
        raise ValidationFailed([FieldError("url", str(exc))]) from exc
    return url.strip()


async def create_endpoint(
    uow: SqlUnitOfWork,
    box: SecretBox,
    policy: UrlPolicy,
    *,
    url: str,
    description: str | None,
    event_types: Iterable[str],
) -> tuple[WebhookEndpointRow, str]:
    """Register an endpoint; returns it with its signing secret (shown this once)."""
    store = WebhookStore(uow.session, uow.tenant)
    if len(await store.endpoints()) >= MAX_ENDPOINTS_PER_TENANT:
        raise Conflict(f"a tenant may register at most {MAX_ENDPOINTS_PER_TENANT} endpoints")
    clean_url = await checked_url(url, policy)
    secret = new_secret()
    now = uow.now()
    row = WebhookEndpointRow(
        id=new_id(),
        url=clean_url,
        description=description,
        event_types=clean_event_types(event_types),
        secret_encrypted=box.seal(secret),
        is_enabled=True,
        created_at=now,
        updated_at=now,
    )
    store.add(row)
    uow.audit("create", "webhook_endpoint", str(row.id), None, snapshot(row))
    return row, secret


async def _existing(store: WebhookStore, endpoint_id: uuid.UUID, lock: bool = False) -> WebhookEndpointRow:
    row = await (store.endpoint_for_update(endpoint_id) if lock else store.endpoint(endpoint_id))
    if row is None:
        raise NotFound("webhook endpoint not found")
    return row


async def update_endpoint(
    uow: SqlUnitOfWork, policy: UrlPolicy, endpoint_id: uuid.UUID, changes: EndpointChanges
) -> WebhookEndpointRow:
    store = WebhookStore(uow.session, uow.tenant)
    row = await _existing(store, endpoint_id, lock=True)
    before = snapshot(row)
    if changes.url is not None:
        row.url = await checked_url(changes.url, policy)
    if changes.clear_description:
        row.description = None
    elif changes.description is not None:
        row.description = changes.description
    if changes.event_types is not None:
        row.event_types = clean_event_types(changes.event_types)
    if changes.is_enabled is True and not row.is_enabled:
        # Re-enabling starts a fresh failure window.
        row.is_enabled, row.disabled_reason, row.failing_since = True, None, None
    elif changes.is_enabled is False and row.is_enabled:
        row.is_enabled, row.disabled_reason = False, "disabled by a user"
    row.updated_at = uow.now()
    uow.audit("update", "webhook_endpoint", str(row.id), before, snapshot(row))
    return row


async def delete_endpoint(uow: SqlUnitOfWork, endpoint_id: uuid.UUID) -> None:
    store = WebhookStore(uow.session, uow.tenant)
    row = await _existing(store, endpoint_id, lock=True)
    before = snapshot(row)
    await store.delete_endpoint(endpoint_id)
    uow.audit("delete", "webhook_endpoint", str(endpoint_id), before, None)


async def rotate_secret(
    uow: SqlUnitOfWork, box: SecretBox, endpoint_id: uuid.UUID
) -> tuple[WebhookEndpointRow, str]:
    store = WebhookStore(uow.session, uow.tenant)
    row = await _existing(store, endpoint_id, lock=True)
    secret = new_secret()
    row.secret_encrypted = box.seal(secret)
    row.updated_at = uow.now()
    uow.audit("rotate_secret", "webhook_endpoint", str(row.id), None, None)
    return row, secret


async def replay_delivery(uow: SqlUnitOfWork, delivery_id: uuid.UUID) -> WebhookDeliveryRow:
    """Send a finished delivery again with a fresh retry schedule.

    The delivery keeps its webhook-id, so a receiver that already processed it can
    recognise the repeat. It becomes due at once: the retry scheduler enqueues it.
    """
    store = WebhookStore(uow.session, uow.tenant)
    delivery = await store.delivery(delivery_id)
    if delivery is None:
        raise NotFound("webhook delivery not found")
    endpoint = await _existing(store, delivery.endpoint_id)
    if not endpoint.is_enabled:
        raise Conflict("the endpoint is disabled; enable it before replaying")
    if delivery.status == PENDING:
        raise Conflict("the delivery is still pending; it will be retried on schedule")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = uow.now()
    uow.audit("replay", "webhook_delivery", str(delivery.id), before, {"status": PENDING})
    return delivery


def delivery_snapshot(row: WebhookDeliveryRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "endpoint_id": str(row.endpoint_id),
        "event_id": str(row.event_id),
        "event_type": row.event_type,
        "status": row.status,
        "attempts": row.attempts,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "next_attempt_at": _iso(row.next_attempt_at) if row.status == PENDING else None,
        "created_at": row.created_at.isoformat(),
        "delivered_at": _iso(row.delivered_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


__all__ = [
    "FAILED",
    "SUCCEEDED",
    "EndpointChanges",
    "create_endpoint",
    "delete_endpoint",
    "delivery_snapshot",
    "replay_delivery",
    "rotate_secret",
    "snapshot",
    "update_endpoint",
]
