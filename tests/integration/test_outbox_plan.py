"""The relay's query walks the unrelayed-events index in order (migration 0010): it
never reads and sorts a tenant's whole backlog to take the next batch."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from app.jobs.relay import pending_events
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.databases import postgres_only
from tests.support.factories import new_tenant

pytestmark = [pytest.mark.asyncio(loop_scope="session"), postgres_only]


async def test_the_next_batch_comes_from_the_index_in_order_not_a_sorted_backlog(services: Services) -> None:
    tenant = await new_tenant(services)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        # A backlog of 5,000 unrelayed events, uncommitted as during a big bank file:
        # the statistics know nothing of them (the case that chose a sort before).
        await uow.record_many("test.backlog", [{"n": n} for n in range(5_000)])
        sql = pending_events(tenant.id).compile(
            dialect=postgresql.asyncpg.dialect(), compile_kwargs={"literal_binds": True}
        )
        plan = "\n".join((await uow.session.execute(text(f"EXPLAIN {sql}"))).scalars())
        await uow.rollback()
    assert "ix_outbox_unrelayed" in plan, plan
    assert "Sort" not in plan, plan
