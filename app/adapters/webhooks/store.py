"""Tenant-scoped persistence of webhook endpoints, deliveries and attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, update

from app.adapters.db.bulk import insert_columns
from app.adapters.db.models import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.shared.ids import new_ids

PENDING = "pending"
SUCCEEDED = "succeeded"
FAILED = "failed"


@dataclass(frozen=True)
class NewDelivery:
    """A delivery to create: one event for one endpoint."""

    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    payload: dict[str, object]


class WebhookStore(TenantRepository):
    # --- endpoints ----------------------------------------------------
    async def endpoint(self, endpoint_id: uuid.UUID) -> WebhookEndpointRow | None:
        stmt = self.scoped(WebhookEndpointRow).where(WebhookEndpointRow.id == endpoint_id)
        row: WebhookEndpointRow | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return row

    async def endpoint_for_update(self, endpoint_id: uuid.UUID) -> WebhookEndpointRow | None:
        """Locks the row (PostgreSQL) so concurrent attempts update failing_since in turn."""
        stmt = self.scoped(WebhookEndpointRow).where(WebhookEndpointRow.id == endpoint_id).with_for_update()
        row: WebhookEndpointRow | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return row

    async def endpoints(self) -> Sequence[WebhookEndpointRow]:
        stmt = self.scoped(WebhookEndpointRow).order_by(WebhookEndpointRow.id)
        rows: Sequence[WebhookEndpointRow] = (await self.session.execute(stmt)).scalars().all()
        return rows

    async def enabled_endpoints(self) -> Sequence[WebhookEndpointRow]:
        stmt = self.scoped(WebhookEndpointRow).where(WebhookEndpointRow.is_enabled.is_(True))
        rows: Sequence[WebhookEndpointRow] = (await self.session.execute(stmt)).scalars().all()
        return rows

    def add(self, row: WebhookEndpointRow | WebhookDeliveryRow | WebhookAttemptRow) -> None:
        row.tenant_id = self.tenant_uuid
        self.session.add(row)

    async def delete_endpoint(self, endpoint_id: uuid.UUID) -> None:
        deliveries = self.scoped(WebhookDeliveryRow, WebhookDeliveryRow.id).where(
            WebhookDeliveryRow.endpoint_id == endpoint_id
        )
        await self.session.execute(
            delete(WebhookAttemptRow).where(
                WebhookAttemptRow.tenant_id == self.tenant_uuid,
                WebhookAttemptRow.delivery_id.in_(deliveries.scalar_subquery()),
            )
        )
        await self.session.execute(
            delete(WebhookDeliveryRow).where(
                WebhookDeliveryRow.tenant_id == self.tenant_uuid,
                WebhookDeliveryRow.endpoint_id == endpoint_id,
            )
        )
        await self.session.execute(
            delete(WebhookEndpointRow).where(
                WebhookEndpointRow.tenant_id == self.tenant_uuid, WebhookEndpointRow.id == endpoint_id
            )
        )

    # --- deliveries ---------------------------------------------------
    async def add_pending(
        self, deliveries: Sequence[NewDelivery], created_at: datetime, next_attempt_at: datetime
    ) -> list[uuid.UUID]:
        """Insert pending deliveries in one statement (per chunk); returns their ids in order."""
        n = len(deliveries)
        ids = new_ids(n)
        await insert_columns(
            self.session,
            cast(Table, WebhookDeliveryRow.__table__),
            {
                "tenant_id": [self.tenant_uuid] * n,
                "id": ids,
                "endpoint_id": [d.endpoint_id for d in deliveries],
                "event_id": [d.event_id for d in deliveries],
                "event_type": [d.event_type for d in deliveries],
                "payload": [d.payload for d in deliveries],
                "status": [PENDING] * n,
                "attempts": [0] * n,
                "next_attempt_at": [next_attempt_at] * n,
                "created_at": [created_at] * n,
            },
        )
        return ids

    async def delivery(self, delivery_id: uuid.UUID) -> WebhookDeliveryRow | None:
        stmt = self.scoped(WebhookDeliveryRow).where(WebhookDeliveryRow.id == delivery_id)
        row: WebhookDeliveryRow | None = (await self.session.execute(stmt)).scalar_one_or_none()
        return row

    async def deliveries(
        self, endpoint_id: uuid.UUID, limit: int, before: uuid.UUID | None = None, status: str | None = None
    ) -> Sequence[WebhookDeliveryRow]:
        """Newest first (ids are UUIDv7, so id order is creation order)."""
        stmt = self.scoped(WebhookDeliveryRow).where(WebhookDeliveryRow.endpoint_id == endpoint_id)
        if before is not None:
            stmt = stmt.where(WebhookDeliveryRow.id < before)
        if status is not None:
            stmt = stmt.where(WebhookDeliveryRow.status == status)
        stmt = stmt.order_by(WebhookDeliveryRow.id.desc()).limit(limit)
        rows: Sequence[WebhookDeliveryRow] = (await self.session.execute(stmt)).scalars().all()
        return rows

    async def attempts(self, delivery_id: uuid.UUID) -> Sequence[WebhookAttemptRow]:
        stmt = (
            self.scoped(WebhookAttemptRow)
            .where(WebhookAttemptRow.delivery_id == delivery_id)
            .order_by(WebhookAttemptRow.attempted_at, WebhookAttemptRow.attempt)
        )
        rows: Sequence[WebhookAttemptRow] = (await self.session.execute(stmt)).scalars().all()
        return rows

    async def claim(self, delivery_id: uuid.UUID, expected_attempts: int, lease_until: datetime) -> bool:
        """Take attempt ``expected_attempts + 1`` of a pending delivery, or learn that
        someone else did. A conditional UPDATE: exactly one of any number of duplicate
        messages (or competing workers) wins, on PostgreSQL and SQLite alike. The lease
        makes the scheduler retry it if this worker dies mid-send."""
        stmt = (
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.tenant_id == self.tenant_uuid,
                WebhookDeliveryRow.id == delivery_id,
                WebhookDeliveryRow.status == PENDING,
                WebhookDeliveryRow.attempts == expected_attempts,
            )
            .values(attempts=expected_attempts + 1, next_attempt_at=lease_until)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def take_due(self, now: datetime, lease_until: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        """Due pending deliveries, each pushed to ``lease_until`` so that only this
        scheduler enqueues it (SKIP LOCKED on PostgreSQL lets several run side by side)."""
        stmt = (
            self.scoped(WebhookDeliveryRow, WebhookDeliveryRow.id, WebhookDeliveryRow.attempts)
            .where(WebhookDeliveryRow.status == PENDING, WebhookDeliveryRow.next_attempt_at <= now)
            .order_by(WebhookDeliveryRow.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = [(r.id, r.attempts) for r in (await self.session.execute(stmt)).all()]
        if rows:
            await self.session.execute(
                update(WebhookDeliveryRow)
                .where(
                    WebhookDeliveryRow.tenant_id == self.tenant_uuid,
                    WebhookDeliveryRow.id.in_([r[0] for r in rows]),
                    WebhookDeliveryRow.status == PENDING,
                    WebhookDeliveryRow.next_attempt_at <= now,
                )
                .values(next_attempt_at=lease_until)
                .execution_options(synchronize_session=False)
            )
        return rows
