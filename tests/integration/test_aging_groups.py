"""Aging summaries for every ``group_by`` against the domain's in-memory aggregate:
bucket edges, several currencies, customers without a segment, custom buckets, and
past dates read from the ledger. The totals of every grouping are the same figures."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

import pytest

from app.adapters.db.queries_aging import GROUP_BY, AgingCellRow, AgingQueries
from app.domain.receivables import service
from app.domain.receivables.aging import AgingBuckets, AgingItem, aggregate
from app.domain.receivables.payments import PaymentSource
from app.domain.shared.money import Money
from app.server.services import Services
from tests.integration.receivables_helpers import brl, in_uow, tenant_principal
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")
AS_OF = date(2026, 12, 31)
# Each side of every default cut-off as of AS_OF (days late: 0 and -5 current, 1 and
# 30 in 1–30, 31 and 60, 61 and 90, 91 and 180, then 181).
DUES = [
    "2027-01-05", "2026-12-31", "2026-12-30", "2026-12-01", "2026-11-30", "2026-11-01",
    "2026-10-31", "2026-10-02", "2026-10-01", "2026-07-04", "2026-07-03",
]  # fmt: skip
Owed = dict[tuple[str, str], tuple[int, int]]  # (currency, bucket) → (count, minor)


def by_bucket(cells: Iterable[AgingCellRow]) -> Owed:
    out: Owed = {}
    for c in cells:
        n, s = out.get((c.currency, c.bucket), (0, 0))
        out[(c.currency, c.bucket)] = (n + c.count, s + c.open_minor)
    return out


def expected(items: list[AgingItem], as_of: date, buckets: AgingBuckets) -> Owed:
    out: Owed = {}
    for currency in sorted({i.open_amount.currency for i in items}):
        mine = [i for i in items if i.open_amount.currency == currency]
        for r in aggregate(mine, as_of, buckets, currency).rows:
            if r.count:
                out[(currency, r.label)] = (r.count, r.amount.minor)
    return out


async def summarize(
    services: Services,
    tenant: TenantInfo,
    as_of: date,
    buckets: AgingBuckets,
    group_by: str,
    maintained: bool = True,
) -> list[AgingCellRow]:
    return await in_uow(
        services,
        tenant_principal(tenant),
        lambda uow: AgingQueries(uow.session, uow.tenant).summary(
            as_of, buckets, group_by, maintained=maintained
        ),
        commit=False,
    )


async def test_every_group_by_adds_up_to_the_domain_aggregate(services: Services) -> None:
    tenant, noise = await new_tenant(services), await new_tenant(services)
    a = await add_customer(services, tenant, name="Alfa", segment="retail", region="south", sales_rep="ana")
    b = await add_customer(services, tenant, name="Beta", segment="industry", region="south")
    c = await add_customer(services, tenant, name="Gama")  # no segment, region or rep
    stranger = await add_customer(services, noise, segment="retail", region="south", sales_rep="ana")
    await add_invoice(services, noise, stranger.id, amount="999.00", due_date="2026-12-01")
    owners = [a, b, c]
    items: dict[uuid.UUID, list[AgingItem]] = {x.id: [] for x in owners}
    for n, due in enumerate(DUES):
        cust = owners[n % 3]
        amount, currency = f"{100 + n}.{n:02d}", ("USD" if n % 4 == 3 else "BRL")
        await add_invoice(
            services, tenant, cust.id, amount=amount, currency=currency, due_date=due, issue_date="2026-01-01"
        )
        items[cust.id].append(AgingItem(date.fromisoformat(due), Money.of(amount, currency)))
    everything = [i for xs in items.values() for i in xs]

    for buckets in (
        AgingBuckets.default(),
        AgingBuckets.from_upper_bounds([0, 45]),
        AgingBuckets.from_upper_bounds([-3, 10, 20, 30, 365], ["early", "a", "b", "c", "d", "old"]),
    ):
        want = expected(everything, AS_OF, buckets)
        for group_by in GROUP_BY:
            cells = await summarize(services, tenant, AS_OF, buckets, group_by)
            assert by_bucket(cells) == want, (buckets.labels, group_by)
            assert all(cell.count > 0 for cell in cells)  # empty buckets are left out
        by_customer = await summarize(services, tenant, AS_OF, buckets, "customer")
        for x in owners:
            mine = [cell for cell in by_customer if cell.key == str(x.id)]
            assert {cell.label for cell in mine} == {x.name}
            assert by_bucket(mine) == expected(items[x.id], AS_OF, buckets)

    segments = await summarize(services, tenant, AS_OF, AgingBuckets.default(), "segment")
    assert {cell.key for cell in segments} == {"retail", "industry", None}
    assert by_bucket(cell for cell in segments if cell.key is None) == expected(
        items[c.id], AS_OF, AgingBuckets.default()
    )
    reps = await summarize(services, tenant, AS_OF, AgingBuckets.default(), "sales_rep")
    assert by_bucket(cell for cell in reps if cell.key == "ana") == expected(
        items[a.id], AS_OF, AgingBuckets.default()
    )


async def test_past_dates_group_the_ledger_as_it_was(services: Services) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    a = await add_customer(services, tenant, name="Alfa", segment="retail")
    b = await add_customer(services, tenant, name="Beta", segment="industry")
    first = await add_invoice(
        services, tenant, a.id, amount="300.00", due_date="2026-11-15", issue_date="2026-10-01"
    )
    second = await add_invoice(
        services, tenant, b.id, amount="80.00", due_date="2026-12-10", issue_date="2026-10-01"
    )
    await add_invoice(services, tenant, b.id, amount="50.00", due_date="2026-12-28", issue_date="2026-12-25")
    (inst_a,) = await in_uow(services, p, lambda uow: uow.installments.for_invoice(first.id), commit=False)
    (inst_b,) = await in_uow(services, p, lambda uow: uow.installments.for_invoice(second.id), commit=False)
    # On 12-20: 100.00 of Alfa's 300.00 and all of Beta's 80.00 are paid.
    new = service.NewPayment(
        PaymentSource.MANUAL, f"x-{uuid.uuid4()}", brl("180.00"), date(2026, 12, 20), "r"
    )
    rec, _ = await in_uow(services, p, lambda uow: service.record_payment(uow, new))
    lines = [
        service.AllocationLine(inst_a.id, brl("100.00")),
        service.AllocationLine(inst_b.id, brl("80.00")),
    ]
    await in_uow(services, p, lambda uow: service.allocate_payment(uow, rec.payment.id, lines=lines))
    buckets = AgingBuckets.default()

    def owed(*rows: tuple[str, str]) -> list[AgingItem]:
        return [AgingItem(date.fromisoformat(due), Money.of(amount, "BRL")) for due, amount in rows]

    # As of 12-19 nothing was paid yet, and the 12-25 invoice did not exist.
    before = {a.id: owed(("2026-11-15", "300.00")), b.id: owed(("2026-12-10", "80.00"))}
    # As of 12-31: what the maintained balances say, and the ledger must agree.
    after = {a.id: owed(("2026-11-15", "200.00")), b.id: owed(("2026-12-28", "50.00"))}
    for as_of, per_customer in ((date(2026, 12, 19), before), (AS_OF, after)):
        want = expected([i for xs in per_customer.values() for i in xs], as_of, buckets)
        for group_by in GROUP_BY:
            for maintained in (False, True) if as_of == AS_OF else (False,):
                cells = await summarize(services, tenant, as_of, buckets, group_by, maintained)
                assert by_bucket(cells) == want, (as_of, group_by, maintained)
        by_customer = await summarize(services, tenant, as_of, buckets, "customer", maintained=False)
        for cust, mine in per_customer.items():
            got = by_bucket(cell for cell in by_customer if cell.key == str(cust))
            assert got == expected(mine, as_of, buckets), (as_of, cust)
    # Before anything was issued nothing was owed, whatever the grouping.
    for group_by in GROUP_BY:
        assert await summarize(services, tenant, date(2026, 9, 30), buckets, group_by, False) == []
