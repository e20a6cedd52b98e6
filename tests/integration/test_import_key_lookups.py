"""The key lookups of imports (``bulk.lookup_keys``) and their foreign-key checks.

On both databases the lookups return exactly the tenant's matching keys. On PostgreSQL,
in a database of their own whose statistics were taken before the importing tenant had
rows, the lookups still probe the unique index key by key (where ``key = ANY(…)`` scans
the tenant), and the foreign-key checks of a long import keep probing the primary key.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.adapters.db.bulk import lookup_keys, one_of
from app.adapters.db.models import CustomerRow, InvoiceRow
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.customers.imports import import_customer_rows
from app.domain.receivables.imports import import_invoice_rows
from app.domain.shared.imports import FileDuplicates, SourceRow
from app.main import build_services
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.databases import (
    DatabaseUnderTest,
    create_postgres,
    drop_postgres,
    postgres_only,
    settings_for,
)
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

CNPJ = "11222333000181"  # a valid CNPJ, stored bare


async def test_lookups_return_the_tenants_own_keys_only(services: Services) -> None:
    mine, other = await new_tenant(services), await new_tenant(services)
    c1 = await add_customer(services, mine, name="Um", external_ref="R-1", tax_id=CNPJ)
    c2 = await add_customer(
        services, mine, name="Dois", external_ref="R-2", country="US", tax_id="12-3456789"
    )
    c3 = await add_customer(services, mine, name="Três", tax_id=CNPJ)  # same tax id as c1
    theirs = await add_customer(services, other, name="Outro", external_ref="R-3", tax_id=CNPJ)
    await add_invoice(services, mine, c1.id, number="NF-1", external_ref="E-1")
    await add_invoice(services, mine, c2.id, number="NF-2")
    await add_invoice(services, other, theirs.id, number="NF-3", external_ref="E-3")

    async with services.uow(system_principal(mine.id, "test")) as uow:
        # A row written earlier in the same (uncommitted) import counts too.
        await add_in_transaction(uow, c2.id, "NF-4", "E-4")
        assert await uow.invoices.existing_numbers({"NF-1", "NF-2", "NF-3", "NF-4", "NF-9"}) == {
            "NF-1",
            "NF-2",
            "NF-4",
        }
        assert await uow.invoices.existing_external_refs({"E-1", "E-3", "E-4", "E-9"}) == {"E-1", "E-4"}
        matches = await uow.invoices.customers_matching({"R-1", "R-3", "R-9"}, {CNPJ, "12-3456789", "999"})
        assert await uow.customers.existing_external_refs({"R-1", "R-2", "R-3"}) == {"R-1", "R-2"}
        await uow.rollback()
    assert sorted((m.id, m.external_ref, m.tax_id) for m in matches) == sorted(
        [(c1.id, "R-1", CNPJ), (c2.id, "R-2", "12-3456789"), (c3.id, None, CNPJ)]
    )


async def add_in_transaction(uow: SqlUnitOfWork, customer_id: uuid.UUID, number: str, ref: str) -> None:
    values = {"number": number, "customer": "R-2", "issue_date": "2026-10-01", "due_date": "2026-10-31"}
    row = SourceRow(2, {**values, "amount": "10,00", "external_ref": ref})
    batch = await import_invoice_rows(uow, [row], FileDuplicates(), "BRL", write=True)
    assert [i.customer_id for i in batch.created] == [customer_id], batch.errors


async def test_a_lookup_must_start_from_a_scoped_select(services: Services) -> None:
    tenant = await new_tenant(services)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        with pytest.raises(ValueError, match="scoped"):
            lookup_keys(uow.session, select(InvoiceRow.number), InvoiceRow.number, {"NF-1"})


# --- PostgreSQL, statistics older than the tenant ------------------------------------


@pytest.fixture(scope="module")
def own_database(
    database: DatabaseUnderTest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseUnderTest]:
    """A database of the module's own: its statistics are the tests' to make stale, and
    nobody else's plans change with them."""
    db = create_postgres(tmp_path_factory.mktemp("var-lookups"))
    yield db
    drop_postgres(db)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def own_services(
    own_database: DatabaseUnderTest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Services]:
    svc = build_services(settings_for(own_database, tmp_path_factory.mktemp("var-lookups-app")))
    yield svc
    await svc.engine.dispose()


def cnpj(n: int) -> str:
    base = f"{n:08d}0001"

    def digit(digits: str) -> str:
        weights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][-len(digits) :]
        rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        return "0" if rest < 2 else str(11 - rest)

    first = digit(base)
    return base + first + digit(base + first)


def customer_rows(count: int) -> list[SourceRow]:
    # Two customers per tax id: the tax-id lookup is one of several rows per key.
    return [
        SourceRow(i + 2, {"name": f"Cliente {i}", "external_ref": f"C-{i:05d}", "tax_id": cnpj(i // 2 + 1)})
        for i in range(count)
    ]


def invoice_rows(start: int, count: int, customers: int) -> list[SourceRow]:
    return [
        SourceRow(
            i + 2,
            {
                "number": f"NF{i:07d}",
                "customer": f"C-{i % customers:05d}",
                "issue_date": "2026-10-01",
                "due_date": "2026-10-31",
                "amount": "150,00",
                "external_ref": f"E{i:07d}",
            },
        )
        for i in range(start, start + count)
    ]


async def import_rows(services: Services, tenant: TenantInfo, customers: int, invoices: int) -> None:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        await import_customer_rows(uow, customer_rows(customers), FileDuplicates(), write=True)
        await import_invoice_rows(
            uow, invoice_rows(0, invoices, customers), FileDuplicates(), "BRL", write=True
        )
        await uow.commit()


async def analyze(db: DatabaseUnderTest, tables: str) -> None:
    engine = create_async_engine(db.owner_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"ANALYZE {tables}"))
    finally:
        await engine.dispose()


async def plan_of(session: AsyncSession, stmt: Select[Any]) -> dict[str, Any]:
    """``EXPLAIN`` of ``stmt`` with its parameters, in the session's transaction (the app
    role, the tenant's ``app.tenant_id``): the plan PostgreSQL makes for those values."""
    conn = await session.connection()
    compiled = stmt.compile(dialect=conn.dialect)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    result = await conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled.string}", params)
    document = result.scalar_one()
    plan: dict[str, Any] = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    return plan


def nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(n for child in plan.get("Plans", []) for n in nodes(child))]


def assert_probes(plan: dict[str, Any], table: str, index: str, key: str) -> None:
    """Every read of ``table`` is a probe of ``index`` on the tenant and the key."""
    reads = [n for n in nodes(plan) if n.get("Relation Name") == table or "Index Name" in n]
    assert reads, plan
    for read in reads:
        assert read["Node Type"] in ("Index Scan", "Index Only Scan"), plan
        assert read["Index Name"] == index, plan
        assert "tenant_id" in read["Index Cond"] and key in read["Index Cond"], plan


@postgres_only
async def test_lookups_probe_the_unique_index_when_statistics_predate_the_tenant(
    own_services: Services, own_database: DatabaseUnderTest
) -> None:
    services = own_services
    for n_customers, n_invoices in ((40, 600), (20, 200), (10, 50)):
        await import_rows(services, await new_tenant(services), n_customers, n_invoices)
    tenant = await new_tenant(services)
    await analyze(own_database, "customers, invoices")  # the tenant has no row yet
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        # A few thousand of the tenant's rows, uncommitted, as in the middle of an import.
        await import_customer_rows(uow, customer_rows(2_000), FileDuplicates(), write=True)
        await import_invoice_rows(uow, invoice_rows(0, 3_000, 2_000), FileDuplicates(), "BRL", write=True)
        session, invoices, customers = uow.session, uow.invoices, uow.customers
        numbers = {f"NF{i:07d}" for i in range(2_500, 3_500)}

        # The statistics mislead the plain form: it scans the tenant (the symptom).
        plain = invoices.scoped(InvoiceRow, InvoiceRow.number).where(
            one_of(session, InvoiceRow.number, numbers)
        )
        used = {n.get("Index Name") for n in nodes(await plan_of(session, plain))}
        assert "uq_invoices_tenant_id_number" not in used, used

        matching = invoices.scoped(CustomerRow, CustomerRow.id, CustomerRow.external_ref, CustomerRow.tax_id)
        refs = {f"E{i:07d}" for i in range(2_500, 3_500)}
        codes = {f"C-{i:05d}" for i in range(1_500, 2_500)}
        tax_ids = {cnpj(n) for n in range(500, 1_500)}
        # As the repositories build them: (select, key, keys, unique) and the index to probe.
        lookups = [
            (invoices.scoped(InvoiceRow, InvoiceRow.number), InvoiceRow.number, numbers, True),
            (invoices.scoped(InvoiceRow, InvoiceRow.external_ref), InvoiceRow.external_ref, refs, True),
            (matching, CustomerRow.external_ref, codes, True),
            (matching, CustomerRow.tax_id, tax_ids, False),
            (customers.scoped(CustomerRow, CustomerRow.external_ref), CustomerRow.external_ref, codes, True),
        ]
        indexes = [
            "uq_invoices_tenant_id_number",
            "uq_invoices_tenant_id_external_ref",
            "uq_customers_tenant_id_external_ref",
            "ix_customers_tenant_tax_id",
            "uq_customers_tenant_id_external_ref",
        ]
        plans = [
            await plan_of(session, lookup_keys(session, stmt, key, values, unique=unique))
            for stmt, key, values, unique in lookups
        ]
        await uow.rollback()
    for plan, (_, key, _, _), index in zip(plans, lookups, indexes, strict=True):
        assert_probes(plan, key.class_.__tablename__, index, key.key)


@postgres_only
@pytest.mark.parametrize("analyzed", [False, True], ids=["never-analyzed", "analyzed-before-the-tenant"])
async def test_foreign_key_checks_keep_probing_the_key_as_the_import_grows(
    database: DatabaseUnderTest, tmp_path_factory: pytest.TempPathFactory, analyzed: bool
) -> None:
    # A brand-new database: the checks are first planned while the tenant has a thousand
    # rows (and, once analyzed, with statistics that have never seen it), and the import
    # goes on in the same transaction.
    db = await asyncio.to_thread(create_postgres, tmp_path_factory.mktemp("var-fk"))
    services = build_services(settings_for(db, Path(tmp_path_factory.mktemp("var-fk-app"))))
    try:
        if analyzed:
            for n_customers, n_invoices in ((40, 600), (20, 200), (10, 50)):
                await import_rows(services, await new_tenant(services), n_customers, n_invoices)
        tenant = await new_tenant(services)
        if analyzed:
            await analyze(db, "")
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            await import_customer_rows(uow, customer_rows(200), FileDuplicates(), write=True)
            for start in range(0, 5_000, 1_000):
                before = await index_fetches(uow.session)
                batch = invoice_rows(start, 1_000, 200)
                await import_invoice_rows(uow, batch, FileDuplicates(), "BRL", write=True)
                fetched = {t: n - before[t] for t, n in (await index_fetches(uow.session)).items()}
            await uow.rollback()
    finally:
        await services.engine.dispose()
        await asyncio.to_thread(drop_postgres, db)
    # The last batch: each of its 1,000 invoices, 1,000 installments and 1,000 ledger
    # entries is checked against one customer, invoice or installment; a check that
    # scanned the tenant would read its thousands of rows each time. (Never analyzed,
    # the 200 customers look like one row to the planner, whichever index it takes.)
    checked = ["invoices", "installments", *(["customers"] if analyzed else [])]
    assert all(fetched[t] < 3_000 for t in checked), fetched


async def index_fetches(session: AsyncSession) -> dict[str, int]:
    """Rows fetched through indexes by this transaction so far, per table."""
    rows = await session.execute(
        text(
            "SELECT relname, idx_tup_fetch FROM pg_stat_xact_user_tables"
            " WHERE relname IN ('customers', 'invoices', 'installments')"
        )
    )
    return {r.relname: int(r.idx_tup_fetch or 0) for r in rows}
