"""Daily purge of what the outbox machinery no longer needs, per tenant.

Relayed outbox rows and ``processed_events`` (the consumers' dedupe keys) only matter
while a broker may still redeliver: after ``COBALTO_OUTBOX_RETENTION_DAYS`` (default 7;
0 keeps everything) they are deleted. Unrelayed rows are never touched.

Deletes go ``BATCH`` rows per transaction, each in the tenant's own unit of work (RLS
applies on PostgreSQL; the app role has DELETE on both tables), so no lock is held
for long and the relay keeps working meanwhile. Both scans follow an index:
``ix_outbox_pending`` (tenant, relayed_at, id) for the outbox, and the primary key
(tenant, id) for ``processed_events``, whose ids are UUIDv7 (time-ordered), bounded
by the first id of the cutoff's millisecond.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select

from app.adapters.db.base import utcnow
from app.adapters.db.models import OutboxRow, ProcessedEventRow
from app.jobs.schedule import ScheduledJob
from app.server.auth import system_principal
from app.server.services import Services

OUTBOX_PURGE = "outbox_purge"
PURGE_AT = time(3, 0)  # tenant-local: a quiet hour
BATCH = 1_000


def first_id_at(when: datetime) -> uuid.UUID:
    """The smallest UUIDv7 of ``when``'s millisecond (ids are ``new_id``'s layout)."""
    ms = int(when.timestamp() * 1000) & ((1 << 48) - 1)
    return uuid.UUID(int=(ms << 80) | (0x7 << 76) | (0b10 << 62))


async def _delete_batch(services: Services, tenant_id: uuid.UUID, ids_query: Any, model: Any) -> int:
    async with services.uow(system_principal(tenant_id, "outbox-purge")) as uow:
        ids = list((await uow.session.execute(ids_query)).scalars())
        if ids:
            await uow.session.execute(
                delete(model)
                .where(model.tenant_id == tenant_id, model.id.in_(ids))
                .execution_options(synchronize_session=False)
            )
            await uow.session.commit()
        return len(ids)


async def purge_tenant(
    services: Services, tenant_id: uuid.UUID, cutoff: datetime, *, batch: int = BATCH
) -> dict[str, int]:
    """Delete the tenant's outbox rows relayed before ``cutoff`` and its
    ``processed_events`` older than it; returns the counts."""
    relayed = (
        select(OutboxRow.id)
        .where(
            OutboxRow.tenant_id == tenant_id,
            # Created before the cut-off (time-ordered ids: a primary-key range), then
            # relayed before it too.
            OutboxRow.id < first_id_at(cutoff),
            OutboxRow.relayed_at < cutoff,
        )
        .order_by(OutboxRow.id)
        .limit(batch)
    )
    handled = (
        select(ProcessedEventRow.id)
        .where(
            ProcessedEventRow.tenant_id == tenant_id,
            ProcessedEventRow.id < first_id_at(cutoff),
            ProcessedEventRow.processed_at < cutoff,
        )
        .order_by(ProcessedEventRow.id)
        .limit(batch)
    )
    counts = {"outbox": 0, "processed_events": 0}
    for key, query, model in (
        ("outbox", relayed, OutboxRow),
        ("processed_events", handled, ProcessedEventRow),
    ):
        while True:
            done = await _delete_batch(services, tenant_id, query, model)
            counts[key] += done
            if done < batch:
                break
    return counts


async def _purge(services: Services, tenant_id: uuid.UUID, _as_of: date) -> dict[str, Any]:
    days = services.settings.outbox_retention_days
    if days <= 0:
        return {"skipped": "COBALTO_OUTBOX_RETENTION_DAYS is 0"}
    cutoff = utcnow() - timedelta(days=days)
    return {**await purge_tenant(services, tenant_id, cutoff), "cutoff": cutoff.isoformat()}


# One purge covers every missed day: after downtime only the latest runs.
HOUSEKEEPING_JOBS = (ScheduledJob(OUTBOX_PURGE, _purge, latest_only=True, housekeeping=True, at=PURGE_AT),)
