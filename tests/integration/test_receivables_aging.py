"""Aging in SQL matches the domain's in-memory aggregate; past dates read the ledger."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.adapters.db.queries_aging import AgingQueries
from app.domain.receivables import service
from app.domain.receivables.aging import AgingBuckets, AgingItem, aggregate
from app.domain.receivables.payments import PaymentSource
from app.domain.shared.money import Money
from app.server.services import Services
from tests.integration.receivables_helpers import brl, in_uow, tenant_principal
from tests.support.factories import add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")
AS_OF = date(2026, 12, 31)


async def test_sql_aging_matches_domain_and_history(services: Services) -> None:
    tenant, noise = await new_tenant(services), await new_tenant(services)
    p = tenant_principal(tenant)
    a = await add_customer(services, tenant, segment="retail", region="south")
    b = await add_customer(services, tenant, segment="industry", region="south")
    other = await add_customer(services, noise)
    await add_invoice(services, noise, other.id, amount="999.00", due_date="2026-12-01")
    dues = ["2026-12-31", "2026-12-15", "2026-11-20", "2026-10-15", "2026-09-01", "2026-05-01", "2027-01-10"]
    items = []
    for n, due in enumerate(dues):
        cust = a if n % 2 else b
        inv = await add_invoice(
            services, tenant, cust.id, amount=f"{100 + n}.00", due_date=due, issue_date="2026-01-01"
        )
        items.append(AgingItem(date.fromisoformat(due), Money.of(f"{100 + n}.00", "BRL")))
        last_invoice = inv
    # Pay the last-made invoice in full on 2026-12-20: gone from aging as of 12-31,
    # still open as of 12-19 when read from the ledger.
    (inst,) = await in_uow(
        services, p, lambda uow: uow.installments.for_invoice(last_invoice.id), commit=False
    )
    new = service.NewPayment(
        PaymentSource.MANUAL, f"x-{uuid.uuid4()}", brl("106.00"), date(2026, 12, 20), "r"
    )
    rec, _ = await in_uow(services, p, lambda uow: service.record_payment(uow, new))
    await in_uow(
        services,
        p,
        lambda uow: service.allocate_payment(
            uow, rec.payment.id, lines=[service.AllocationLine(inst.id, brl("106.00"))]
        ),
    )
    buckets = AgingBuckets.default()

    async def summary(as_of: date, maintained: bool, group_by: str = "none") -> dict[str, tuple[int, int]]:
        cells = await in_uow(
            services,
            p,
            lambda uow: AgingQueries(uow.session, uow.tenant).summary(
                as_of, buckets, group_by, maintained=maintained
            ),
            commit=False,
        )
        out: dict[str, tuple[int, int]] = {}
        for c in cells:
            n, s = out.get(c.bucket, (0, 0))
            out[c.bucket] = (n + c.count, s + c.open_minor)
        return out

    expected = aggregate(items[:-1], AS_OF, buckets, "BRL")
    want = {r.label: (r.count, r.amount.minor) for r in expected.rows if r.count}
    assert await summary(AS_OF, maintained=True) == want
    assert await summary(AS_OF, maintained=False) == want  # the ledger agrees today
    by_segment = await summary(AS_OF, maintained=True, group_by="segment")
    assert by_segment == want  # regrouping never changes the totals
    history = aggregate(items, date(2026, 12, 19), buckets, "BRL")
    assert await summary(date(2026, 12, 19), maintained=False) == {
        r.label: (r.count, r.amount.minor) for r in history.rows if r.count
    }
    # Before any invoice was issued nothing was owed.
    assert await summary(date(2025, 12, 31), maintained=False) == {}
    rows, nxt = await in_uow(
        services,
        p,
        lambda uow: AgingQueries(uow.session, uow.tenant).items_page(
            AS_OF, buckets, maintained=True, limit=2, bucket="current"
        ),
        commit=False,
    )
    assert [r.due_date for r in rows] == [date(2026, 12, 31)] and nxt is None
