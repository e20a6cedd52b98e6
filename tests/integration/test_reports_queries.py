"""The report queries on both databases: which rows belong, grouping, totals, pages,
tenant isolation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.adapters.db.queries_reports import ReportQueries
from app.domain.receivables.payments import PaymentSource
from app.domain.reporting.model import Totals
from app.domain.reporting.rules import Window
from app.domain.shared.money import Money
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant
from tests.support.reports_data import installments_of, pay

pytestmark = pytest.mark.asyncio(loop_scope="session")

AS_OF = date(2026, 11, 23)


def brl(value: str) -> Money:
    return Money.of(value, "BRL")


async def _queries(services: Services, tenant: TenantInfo) -> tuple[ReportQueries, object]:
    uow = services.uow(system_principal(tenant.id, "test"))
    await uow.__aenter__()
    return ReportQueries(uow.session, uow.tenant), uow


async def test_inactive_customers_upcoming_and_overdue(services: Services) -> None:
    tenant = await new_tenant(services)
    blocked = await add_customer(services, tenant, name="Bloqueado SA", status="blocked", sales_rep="Ana")
    inactive = await add_customer(services, tenant, name="Inativo Ltda", status="inactive")
    active = await add_customer(services, tenant, name="Ativo ME", status="active")
    await add_invoice(services, tenant, blocked.id, number="B-1", due_date="2026-11-01", amount="100.00")
    await add_invoice(services, tenant, blocked.id, number="B-2", due_date="2026-12-10", amount="50.00")
    await add_invoice(
        services, tenant, blocked.id, number="B-3", due_date="2027-02-01", amount="999.00"
    )  # too far
    await add_invoice(
        services, tenant, inactive.id, number="I-1", due_date="2026-11-23", amount="10.10"
    )  # today: upcoming
    await add_invoice(
        services, tenant, active.id, number="A-1", due_date="2026-11-01", amount="7.00"
    )  # active: out
    paid = await add_invoice(
        services, tenant, inactive.id, number="I-2", due_date="2026-10-01", amount="30.00"
    )
    [inst] = await installments_of(services, tenant, paid.id)
    await pay(services, tenant, "30.00", date(2026, 10, 5), allocations=[(inst, "30.00")])

    q, uow = await _queries(services, tenant)
    try:
        window = Window(AS_OF, 30)
        page = await q.inactive_customers(window, 10)
        assert [b.name for b in page.items] == ["Bloqueado SA", "Inativo Ltda"]
        b, i = page.items
        assert [line.label for line in b.lines] == ["B-1", "B-2"]
        assert b.overdue == Totals.of([brl("100.00")]) and b.upcoming == Totals.of([brl("50.00")])
        assert b.lines[0].days_late == 22 and b.sales_rep == "Ana"
        assert [line.label for line in i.lines] == ["I-1"] and i.lines[0].days_late == 0
        totals = await q.inactive_totals(window)
        assert totals.customers == 2
        assert totals.overdue.get("BRL") == brl("100.00")
        assert totals.upcoming.get("BRL") == brl("60.10")
        # Keyset pages: one customer per page, nothing repeated or lost.
        first = await q.inactive_customers(window, 1)
        second = await q.inactive_customers(window, 1, first.next_key)
        assert [c.name for c in first.items + second.items] == ["Bloqueado SA", "Inativo Ltda"]
        assert second.next_key is None
        only_blocked = await q.inactive_customers(window, 10, status="blocked")
        assert [c.name for c in only_blocked.items] == ["Bloqueado SA"]
        # A longer horizon brings the far installment in.
        wide = await q.inactive_customers(Window(AS_OF, 100), 10)
        assert [line.label for line in wide.items[0].lines] == ["B-1", "B-2", "B-3"]
    finally:
        await uow.__aexit__(None, None, None)  # type: ignore[attr-defined]


async def test_overdue_by_rep_groups_and_totals(services: Services) -> None:
    tenant = await new_tenant(services)
    ana1 = await add_customer(services, tenant, name="Alfa", sales_rep="Ana Souza")
    ana2 = await add_customer(services, tenant, name="Beta", sales_rep="Ana Souza", status="blocked")
    bruno = await add_customer(services, tenant, name="Gama", sales_rep="Bruno")
    nobody = await add_customer(services, tenant, name="Delta")
    await add_invoice(services, tenant, ana1.id, number="N-1", due_date="2026-11-13", amount="100.00")
    part = await add_invoice(
        services,
        tenant,
        ana2.id,
        number="N-2",
        issue_date="2026-09-01",
        due_date="2026-09-24",
        amount="200.00",
    )
    await add_invoice(services, tenant, bruno.id, number="N-3", due_date="2026-11-22", amount="0.01")
    await add_invoice(
        services, tenant, bruno.id, number="N-4", due_date="2026-11-23", amount="5.00"
    )  # due today
    await add_invoice(services, tenant, nobody.id, number="N-5", due_date="2026-11-01", amount="3.00")
    [inst] = await installments_of(services, tenant, part.id)
    await pay(services, tenant, "50.00", date(2026, 10, 1), allocations=[(inst, "50.00")])

    q, uow = await _queries(services, tenant)
    try:
        summary = await q.rep_summary(AS_OF)
        by_rep = {s.rep: s for s in summary}
        assert set(by_rep) == {None, "Ana Souza", "Bruno"}
        assert by_rep["Ana Souza"].overdue.get("BRL") == brl("250.00")  # 100 + (200 - 50)
        assert by_rep["Ana Souza"].customers == 2 and by_rep["Ana Souza"].installments == 2
        assert by_rep["Ana Souza"].oldest_days_late == 60
        assert by_rep["Bruno"].overdue.get("BRL") == brl("0.01") and by_rep["Bruno"].installments == 1
        page = await q.overdue_by_rep(AS_OF, 10)
        assert [(c.sales_rep, c.name) for c in page.items] == [
            (None, "Delta"),
            ("Ana Souza", "Alfa"),
            ("Ana Souza", "Beta"),
            ("Bruno", "Gama"),
        ]
        assert [line.label for line in page.items[3].lines] == ["N-3"]  # N-4 is not late yet
        first = await q.overdue_by_rep(AS_OF, 2)
        rest = await q.overdue_by_rep(AS_OF, 10, first.next_key)
        assert [c.name for c in first.items + rest.items] == ["Delta", "Alfa", "Beta", "Gama"]
        only = await q.overdue_by_rep(AS_OF, 10, rep="Bruno")
        assert [c.name for c in only.items] == ["Gama"]
        unassigned = await q.overdue_by_rep(AS_OF, 10, rep="")
        assert [c.name for c in unassigned.items] == ["Delta"]
        mine = await q.overdue_of_reps(["Ana Souza"], AS_OF)
        assert [c.name for c in mine] == ["Alfa", "Beta"]
        assert mine[1].lines[0].open == brl("150.00")
    finally:
        await uow.__aexit__(None, None, None)  # type: ignore[attr-defined]


async def test_cash_receipts_by_method_with_allocations_and_unapplied(services: Services) -> None:
    tenant = await new_tenant(services)
    c = await add_customer(services, tenant, name="Pagador SA")
    inv = await add_invoice(
        services, tenant, c.id, number="F-1", due_date="2026-11-30", amount="300.00", terms="30/60"
    )
    first, second = await installments_of(services, tenant, inv.id)
    day = date(2026, 11, 22)
    p1 = await pay(
        services, tenant, "200.00", day, allocations=[(first, "150.00"), (second, "25.00")], customer_id=c.id
    )
    await pay(services, tenant, "80.00", day, source=PaymentSource.PIX, payer="Fulano", reference="E2E1")
    await pay(services, tenant, "1.00", date(2026, 11, 21))  # another day

    q, uow = await _queries(services, tenant)
    try:
        report = await q.cash_receipts_day(day)
        assert report.count == 2
        assert report.amount.get("BRL") == brl("280.00")
        assert report.allocated.get("BRL") == brl("175.00")
        assert report.unapplied.get("BRL") == brl("105.00")
        assert {(g.bank_account, g.source, g.count) for g in report.groups} == {
            (None, "manual", 1),
            (None, "pix", 1),
        }
        manual = next(r for r in report.receipts if r.payment_id == p1)
        assert [(a.label, a.amount) for a in manual.allocations] == [
            ("F-1 1/2", brl("150.00")),
            ("F-1 2/2", brl("25.00")),
        ]
        assert manual.unapplied == brl("25.00") and manual.customer_name == "Pagador SA"
        assert manual.refunded.is_zero()
        page, more = await q.receipts(day, 1)
        page2, more2 = await q.receipts(day, 1, 1)
        assert (
            more
            and not more2
            and {r.payment_id for r in page + page2} == {r.payment_id for r in report.receipts}
        )
        assert sum((r.amount.amount for r in report.receipts), Decimal(0)) == Decimal("280.00")
    finally:
        await uow.__aexit__(None, None, None)  # type: ignore[attr-defined]


async def test_reports_never_show_another_tenants_rows(services: Services) -> None:
    mine, other = await new_tenant(services), await new_tenant(services)
    theirs = await add_customer(services, other, name="Alheio", status="blocked", sales_rep="Ana")
    await add_invoice(services, other, theirs.id, due_date="2026-11-01")
    await pay(services, other, "10.00", date(2026, 11, 22))
    q, uow = await _queries(services, mine)
    try:
        assert (await q.inactive_customers(Window(AS_OF), 10)).items == []
        assert await q.rep_summary(AS_OF) == []
        assert (await q.overdue_by_rep(AS_OF, 10)).items == []
        assert (await q.cash_receipts_day(date(2026, 11, 22))).count == 0
    finally:
        await uow.__aexit__(None, None, None)  # type: ignore[attr-defined]
