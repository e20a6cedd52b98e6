"""The relay's queries stay on the index whatever the statistics: the next batch comes
from the unrelayed-events index in order (migration 0010), never from a sort of the
whole backlog; marking a batch relayed walks the batch's key range only."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from app.jobs.relay import mark_relayed, pending_events
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


async def test_marking_a_batch_relayed_probes_its_id_range_not_the_whole_tenant(services: Services) -> None:
    """A tenant's burst of events the statistics know nothing of: marking one batch must
    walk the batch's key range, not every row of the tenant filtered by the id list
    (what PostgreSQL chose for ``tenant_id = X AND id = ANY(ids)`` alone)."""
    tenant = await new_tenant(services)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        await uow.record_many("test.backlog", [{"n": n} for n in range(5_000)])
        rows = (await uow.session.execute(pending_events(tenant.id))).all()
        stmt = mark_relayed(uow.session, tenant.id, [r.id for r in rows])
        # Bound as the relay binds them (a uuid[] parameter), not as literals.
        compiled = stmt.compile(dialect=uow.session.get_bind().dialect)
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        conn = await uow.session.connection()
        plan = "\n".join(r[0] for r in await conn.exec_driver_sql(f"EXPLAIN {compiled.string}", params))
        await uow.rollback()
    (condition,) = [line for line in plan.splitlines() if "Index Cond" in line]
    assert "tenant_id =" in condition and "id >=" in condition and "id <=" in condition, plan


async def test_the_outbox_is_vacuumed_by_row_count_like_a_queue(services: Services) -> None:
    async with services.sessions() as session:
        options = (
            await session.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'outbox'"))
        ).scalar()
    assert set(options or ()) >= {
        "autovacuum_vacuum_scale_factor=0",
        "autovacuum_vacuum_threshold=20000",
        "autovacuum_analyze_scale_factor=0",
        "autovacuum_analyze_threshold=20000",
    }
