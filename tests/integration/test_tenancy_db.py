"""Tenant isolation at the database: RLS on every tenant table, the app role's limits,
and two tenants served concurrently over one pool without ever seeing each other."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

import app.adapters.db.models  # noqa: F401
from app.adapters.db.base import Base
from app.adapters.db.models import PLATFORM_TABLES, CustomerRow
from app.adapters.db.queries import customers_after
from app.adapters.db.repositories.customers import CustomerFilter
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.databases import APP_ROLE, DatabaseUnderTest, postgres_only
from tests.support.factories import add_customer, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


def tenant_tables() -> set[str]:
    return {t.name for t in Base.metadata.sorted_tables if "tenant_id" in t.c} - PLATFORM_TABLES


def test_every_tenant_table_leads_its_keys_with_tenant_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name in PLATFORM_TABLES or "tenant_id" not in table.c:
            continue
        pk = [c.name for c in table.primary_key.columns]
        assert pk[0] == "tenant_id", f"{table.name}: primary key must start with tenant_id ({pk})"
        for fk in table.foreign_key_constraints:
            cols = [c.name for c in fk.columns]
            if fk.referred_table.name != "tenants":
                assert "tenant_id" in cols, f"{table.name}: foreign key {cols} must include tenant_id"


@postgres_only
async def test_rls_forced_on_every_tenant_table(services: Services, database: DatabaseUnderTest) -> None:
    async with services.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                    "pg_get_userbyid(c.relowner) AS owner, "
                    "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies "
                    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'r'"
                )
            )
        ).all()
    by_name = {r.relname: r for r in rows}
    missing = []
    for table in sorted(tenant_tables()):
        r = by_name.get(table)
        if r is None or not r.relrowsecurity or not r.relforcerowsecurity or r.policies == 0:
            missing.append(table)
    assert not missing, f"tenant tables without RLS+FORCE+policy: {missing}"
    owned = [r.relname for r in rows if r.owner == APP_ROLE]
    assert not owned, f"the app role must own no table: {owned}"


@postgres_only
async def test_app_role_is_not_privileged(services: Services, database: DatabaseUnderTest) -> None:
    async with services.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
    assert row.current_user == APP_ROLE
    assert not row.rolsuper
    assert not row.rolbypassrls


@postgres_only
async def test_without_tenant_setting_no_rows_are_visible(
    services: Services, database: DatabaseUnderTest
) -> None:
    tenant = await new_tenant(services)
    await add_customer(services, tenant, name="Hidden")
    async with services.engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM customers"))).scalar()
    assert count == 0


@postgres_only
async def test_writing_another_tenants_row_is_refused(
    services: Services, database: DatabaseUnderTest
) -> None:
    mine = await new_tenant(services)
    other = await new_tenant(services)
    async with services.uow(system_principal(mine.id, "test")) as uow:
        uow.session.add(
            CustomerRow(tenant_id=other.id, id=uuid.uuid4(), name="Intruder", search_name="intruder")
        )
        with pytest.raises((ProgrammingError, DBAPIError)):
            await uow.session.flush()


@postgres_only
async def test_audit_log_is_append_only_for_the_app(services: Services, database: DatabaseUnderTest) -> None:
    tenant = await new_tenant(services)
    await add_customer(services, tenant)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        with pytest.raises((ProgrammingError, DBAPIError)):
            await uow.session.execute(text("UPDATE audit_log SET action = 'tampered'"))


async def test_two_tenants_concurrently_over_one_pool_never_mix(services: Services) -> None:
    a, b = await new_tenant(services), await new_tenant(services)
    a_ids = {(await add_customer(services, a, name=f"Alpha {i}")).id for i in range(5)}
    b_ids = {(await add_customer(services, b, name=f"Beta {i}")).id for i in range(5)}

    async def read(tenant_id: uuid.UUID) -> set[uuid.UUID]:
        async with services.uow(system_principal(tenant_id, "test")) as uow:
            items, _ = await customers_after(uow.customers, CustomerFilter(), 100, None)
            await asyncio.sleep(0)  # let the other tenant's task interleave mid-transaction
            items2, _ = await customers_after(uow.customers, CustomerFilter(), 100, None)
        return {uuid.UUID(i["id"]) for i in items + items2}

    tasks = [read(a.id if i % 2 == 0 else b.id) for i in range(60)]
    results = await asyncio.gather(*tasks)
    for i, seen in enumerate(results):
        expected = a_ids if i % 2 == 0 else b_ids
        assert seen == expected
