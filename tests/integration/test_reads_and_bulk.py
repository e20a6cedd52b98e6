"""The lean read path (``reads.tenant_reads``) and bulk inserts (``bulk.insert_columns``):
tenant-bound, and a pooled connection never carries a tenant or a transaction on."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import Table, bindparam, select, text

from app.adapters.db.bulk import insert_columns
from app.adapters.db.models import AuditRow, CustomerRow
from app.adapters.db.queries import customer_page
from app.adapters.db.reads import ReadQuery, tenant_reads
from app.adapters.db.repositories.customers import CustomerFilter
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.databases import postgres_only
from tests.support.factories import add_customer, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


def test_a_read_query_must_filter_on_the_tenant_parameter() -> None:
    with pytest.raises(ValueError, match="tenant_id"):
        ReadQuery(select(CustomerRow.id).where(CustomerRow.name == bindparam("name")))


async def test_pages_hold_only_the_readers_tenant(services: Services) -> None:
    a, b = await new_tenant(services), await new_tenant(services)
    mine = await add_customer(services, a, name="Acme Norte")
    await add_customer(services, b, name="Acme Sul")
    async with services.reads(system_principal(a.id, "test")) as reads:
        rows, last = await customer_page(reads, CustomerFilter(q="acme"), 25, None)
    assert [str(r[0]) for r in rows] == [str(mine.id)] and last is None


@postgres_only
async def test_connections_go_back_to_the_pool_without_tenant_or_transaction(services: Services) -> None:
    tenant = await new_tenant(services)
    principal = system_principal(tenant.id, "test")
    with pytest.raises(ZeroDivisionError):
        async with services.reads(principal) as reads:
            await customer_page(reads, CustomerFilter(), 5, None)
            raise ZeroDivisionError
    async with services.reads(principal) as reads:
        await customer_page(reads, CustomerFilter(), 5, None)
    # Every pooled connection: no tenant left behind, no transaction left open.
    idle = services.engine.sync_engine.pool.checkedin()  # type: ignore[attr-defined]
    assert idle >= 1
    conns = [await services.engine.connect() for _ in range(idle)]
    try:
        for conn in conns:
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None and not raw.is_in_transaction()
            assert (await conn.execute(text("SELECT current_setting('app.tenant_id', true)"))).scalar() in (
                None,
                "",
            )
    finally:
        for conn in conns:
            await conn.close()


async def test_tenant_reads_outside_a_tenant_see_nothing_of_it(services: Services) -> None:
    a, b = await new_tenant(services), await new_tenant(services)
    await add_customer(services, a, name="Only A")
    async with tenant_reads(services.engine, system_principal(b.id, "test").tenant) as reads:
        rows, _ = await customer_page(reads, CustomerFilter(q="only a"), 25, None)
    assert rows == []


async def test_bulk_columns_must_line_up_and_give_the_defaulted_ones(services: Services) -> None:
    tenant = await new_tenant(services)
    table = cast(Table, AuditRow.__table__)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        with pytest.raises(ValueError, match="length"):
            await insert_columns(uow.session, table, {"tenant_id": [tenant.id], "id": []})
        if uow.session.get_bind().dialect.name == "postgresql":
            with pytest.raises(ValueError, match="must give"):
                await insert_columns(uow.session, table, {"tenant_id": [tenant.id], "actor": ["x"]})
        await uow.audit_many("create", "thing", [("1", {"n": 1}), ("2", {"n": 2, "s": "ç"})])
        await uow.commit()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        stmt = select(AuditRow.entity_id, AuditRow.after, AuditRow.at).where(
            AuditRow.tenant_id == tenant.id, AuditRow.entity == "thing"
        )
        rows = sorted((await uow.session.execute(stmt)).all())
    assert [(r[0], r[1]) for r in rows] == [("1", {"n": 1}), ("2", {"n": 2, "s": "ç"})]
    assert all(r[2].tzinfo is not None for r in rows)
