"""Property: under any sequence of payments, allocations, reversals, refunds and credit
notes, the maintained balances (installments, invoices, payments) equal what the
ledger derives, and nothing is ever over-allocated or negative."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.adapters.db.repositories.settlement_apply import ReceivablesSettlementPort
from app.domain.receivables import service, service_changes
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.payments import PaymentSource
from app.domain.receivables.reasons import ReasonCode
from app.domain.settlement.service import AllocationLine, SettlementSource, SettlementToApply
from app.domain.shared.errors import DomainError
from app.server.services import Services
from tests.integration.receivables_helpers import brl, check_maintained, in_uow, tenant_principal
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

_TENANTS: dict[int, TenantInfo] = {}

cents = st.integers(min_value=1, max_value=30_000)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), cents),
        st.tuples(st.just("allocate"), st.integers(0, 3), st.integers(0, 2), cents),
        st.tuples(st.just("oldest"), st.integers(0, 3)),
        st.tuples(st.just("reverse"), st.integers(0, 20)),
        st.tuples(st.just("refund"), st.integers(0, 3), cents),
        st.tuples(st.just("credit"), st.integers(0, 2), cents),
        # A bank-file batch: (installment, face paid, late charges reported, extra cash),
        # applied with the batch settlement path (settlement_bulk).
        st.tuples(
            st.just("batch"),
            st.lists(
                st.tuples(st.integers(0, 2), cents, st.integers(0, 2_000), st.integers(0, 500)), max_size=4
            ),
        ),
    ),
    min_size=1,
    max_size=8,
)


def _money(c: int) -> str:
    return f"{c // 100}.{c % 100:02d}"


def _settlement(
    installment_id: uuid.UUID, customer_id: uuid.UUID, c: int, late: int, extra: int
) -> SettlementToApply:
    line = AllocationLine(installment_id, brl(_money(c)), brl(_money(late)) if late else None)
    return SettlementToApply(
        external_id=f"b-{uuid.uuid4()}",
        source=SettlementSource.BANK_RETURN,
        reference="x",
        amount=brl(_money(c + late + extra)),
        value_date=date(2026, 12, 1),
        customer_id=customer_id,
        allocations=(line,),
    )


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=ops)
async def test_maintained_balances_follow_the_ledger(
    services: Services, steps: list[tuple[object, ...]]
) -> None:
    key = id(services)
    if key not in _TENANTS:
        _TENANTS[key] = await new_tenant(services)
    tenant = _TENANTS[key]
    p = tenant_principal(tenant)
    customer = await add_customer(services, tenant)
    installments = []
    for amount, due in (("150.00", "2026-10-05"), ("90.00", "2026-10-20"), ("120.00", "2026-11-05")):
        inv = await add_invoice(services, tenant, customer.id, amount=amount, due_date=due)
        (row,) = await in_uow(
            services, p, lambda uow, inv=inv: uow.installments.for_invoice(inv.id), commit=False
        )
        installments.append(row.id)
    payments: list[uuid.UUID] = []
    for step in steps:
        try:
            match step:
                case ("pay", c):
                    new = service.NewPayment(
                        PaymentSource.MANUAL,
                        f"p-{uuid.uuid4()}",
                        brl(_money(int(c))),
                        date(2026, 10, 1),
                        "x",
                        customer_id=customer.id,
                    )
                    rec, _ = await in_uow(services, p, lambda uow, new=new: service.record_payment(uow, new))
                    payments.append(rec.payment.id)
                case ("allocate", pi, ii, c) if payments:
                    pid, iid = payments[int(pi) % len(payments)], installments[int(ii)]
                    line = service.AllocationLine(iid, brl(_money(int(c))))
                    await in_uow(
                        services,
                        p,
                        lambda uow, pid=pid, line=line: service.allocate_payment(uow, pid, lines=[line]),
                    )
                case ("oldest", pi) if payments:
                    pid = payments[int(pi) % len(payments)]
                    await in_uow(
                        services,
                        p,
                        lambda uow, pid=pid: service.allocate_payment(uow, pid, oldest_first=True),
                    )
                case ("reverse", n) if payments:
                    entries = [
                        (pid, e)
                        for pid in payments
                        for e in await in_uow(
                            services, p, lambda uow, pid=pid: uow.payments.entries(pid), commit=False
                        )
                        if e.kind is EntryKind.PAYMENT_ALLOCATION
                    ]
                    if entries:
                        pid, e = entries[int(n) % len(entries)]
                        await in_uow(
                            services,
                            p,
                            lambda uow, pid=pid, e=e: service.reverse_payment_allocation(
                                uow, pid, e.id, ReasonCode.MISAPPLIED, date(2026, 10, 2)
                            ),
                        )
                case ("refund", pi, c) if payments:
                    pid = payments[int(pi) % len(payments)]
                    await in_uow(
                        services,
                        p,
                        lambda uow, pid=pid, c=c: service.refund_payment(
                            uow, pid, brl(_money(int(c))), date(2026, 10, 3), "back"
                        ),
                    )
                case ("credit", ii, c):
                    iid = installments[int(ii)]
                    await in_uow(
                        services,
                        p,
                        lambda uow, iid=iid, c=c: service_changes.request_change(
                            uow,
                            installment_id=iid,
                            kind=EntryKind.CREDIT_NOTE,
                            amount=brl(_money(int(c))),
                            reason=ReasonCode.RETURNED_GOODS,
                            requested_by=uuid.uuid4(),
                            on=date(2026, 10, 4),
                        ),
                    )
                case ("batch", lines):
                    settlements = [
                        _settlement(installments[int(i)], customer.id, int(c), int(late), int(extra))
                        for i, c, late, extra in lines
                    ]
                    await in_uow(
                        services,
                        p,
                        lambda uow, settlements=settlements: ReceivablesSettlementPort(uow).apply_many(
                            settlements
                        ),
                    )
        except DomainError:
            pass  # refused moves (over-allocation, nothing open…) must leave no trace
        await check_maintained(services, p, customer.id)
