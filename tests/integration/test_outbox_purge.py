"""The daily outbox purge: relayed outbox rows and processed_events past the retention
go, in batches and per tenant; pending rows and other tenants' rows stay."""

from __future__ import annotations

import dataclasses
import os
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.adapters.db.models import OutboxRow, ProcessedEventRow, TenantRow
from app.domain.shared.clock import FixedClock
from app.jobs.outbox_purge import HOUSEKEEPING_JOBS, OUTBOX_PURGE, first_id_at, purge_tenant
from app.jobs.schedule import Scheduler
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, new_tenant
from tests.support.reports_data import set_report_settings

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _id_at(when: datetime) -> uuid.UUID:
    """A UUIDv7 minted at ``when`` (as ``new_id`` would have then)."""
    return uuid.UUID(int=first_id_at(when).int | int.from_bytes(os.urandom(7), "big"))


async def _seed(services: Services, tenant: TenantInfo, now: datetime) -> dict[str, list[uuid.UUID]]:
    old, recent = now - timedelta(days=10), now - timedelta(days=1)
    ids: dict[str, list[uuid.UUID]] = {"old_relayed": [], "keep": []}
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        for i in range(5):
            for key, created, relayed in (
                ("old_relayed", old, old),
                ("keep", old, None),  # never relayed: the relay still owes it
                ("keep", recent, recent),
            ):
                row = OutboxRow(
                    tenant_id=tenant.id,
                    id=_id_at(created),
                    event_type="test.purge",
                    payload={"i": i},
                    created_at=created,
                    relayed_at=relayed,
                )
                uow.session.add(row)
                ids[key].append(row.id)
            for when in (old, recent):
                uow.session.add(
                    ProcessedEventRow(
                        tenant_id=tenant.id,
                        id=_id_at(when),
                        consumer="test",
                        event_id=uuid.uuid4(),
                        processed_at=when,
                    )
                )
        await uow.commit()
    return ids


async def _left(services: Services, tenant: TenantInfo) -> tuple[set[uuid.UUID], int]:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        outbox = set(
            (
                await uow.session.execute(select(OutboxRow.id).where(OutboxRow.tenant_id == tenant.id))
            ).scalars()
        )
        handled = (
            await uow.session.execute(
                select(ProcessedEventRow.id).where(ProcessedEventRow.tenant_id == tenant.id)
            )
        ).all()
    return outbox, len(handled)


async def test_purge_deletes_old_relayed_rows_in_batches(services: Services) -> None:
    now = datetime.now(UTC)
    tenant, neighbour = await new_tenant(services), await new_tenant(services)
    ids = await _seed(services, tenant, now)
    await _seed(services, neighbour, now)

    counts = await purge_tenant(services, tenant.id, now - timedelta(days=7), batch=2)
    assert counts == {"outbox": 5, "processed_events": 5}
    outbox, handled = await _left(services, tenant)
    assert outbox == set(ids["keep"]) and handled == 5
    # The other tenant's rows are not touched.
    assert len((await _left(services, neighbour))[0]) == 15
    # Idempotent: nothing more to delete.
    assert await purge_tenant(services, tenant.id, now - timedelta(days=7)) == {
        "outbox": 0,
        "processed_events": 0,
    }


async def test_the_scheduler_purges_daily_even_without_report_mails(services: Services) -> None:
    tenant = await new_tenant(services)
    await set_report_settings(services, tenant, enabled=False)
    now = datetime.now(UTC)
    await _seed(services, tenant, now)
    async with services.sessions() as session:
        tz = ZoneInfo(
            (await session.execute(select(TenantRow.timezone).where(TenantRow.id == tenant.id))).scalar_one()
        )
    today = now.astimezone(tz).date()
    before = FixedClock(datetime(today.year, today.month, today.day, 2, 59, tzinfo=tz))
    after = FixedClock(datetime(today.year, today.month, today.day, 3, 5, tzinfo=tz))

    assert await Scheduler(services, HOUSEKEEPING_JOBS, before).tick([tenant.id]) == []
    results = await Scheduler(services, HOUSEKEEPING_JOBS, after).tick([tenant.id])
    assert [(r.job, r.as_of, r.status) for r in results] == [(OUTBOX_PURGE, today, "done")]
    outbox, handled = await _left(services, tenant)
    assert len(outbox) == 10 and handled == 5
    assert await Scheduler(services, HOUSEKEEPING_JOBS, after).tick([tenant.id]) == []  # once a day

    # Retention 0 keeps everything.
    keep = Services(
        settings=dataclasses.replace(services.settings, outbox_retention_days=0),
        engine=services.engine,
        sessions=services.sessions,
    )
    (job,) = HOUSEKEEPING_JOBS
    assert "skipped" in await job.run(keep, tenant.id, today)
