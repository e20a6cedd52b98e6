"""Receivables use cases through the SQL repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables import service, service_changes
from app.domain.receivables.approval import ApprovalState, Approver
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.payments import PaymentSource
from app.domain.receivables.reasons import ReasonCode
from app.domain.shared.errors import Conflict, PermissionDenied, ValidationFailed
from app.server.services import Services
from tests.integration.receivables_helpers import brl, check_maintained, in_uow, tenant_principal
from tests.support.factories import add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _payment(
    amount: str,
    external_id: str | None = None,
    customer_id: uuid.UUID | None = None,
    on: date = date(2026, 10, 20),
) -> service.NewPayment:
    return service.NewPayment(
        source=PaymentSource.MANUAL,
        external_id=external_id or f"ext-{uuid.uuid4().hex}",
        amount=brl(amount),
        value_date=on,
        reference="test",
        customer_id=customer_id,
    )


async def _installments(uow: SqlUnitOfWork, invoice_id: uuid.UUID) -> list[Any]:
    return await uow.installments.for_invoice(invoice_id)


async def test_invoice_opens_installments_by_terms(services: Services) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    customer = await add_customer(services, tenant)
    single = await add_invoice(services, tenant, customer.id, amount="1000.00")
    split = await add_invoice(services, tenant, customer.id, amount="100.00", terms="30/60/90", due_date="")
    rows = await in_uow(services, p, lambda uow: _installments(uow, split.id), commit=False)
    assert [(r.number_index, r.number_count, r.amount_minor) for r in rows] == [
        (1, 3, 3334),
        (2, 3, 3333),
        (3, 3, 3333),
    ]
    assert [r.due_date for r in rows] == [date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 30)]
    assert split.due_date == date(2026, 12, 30)
    one = await in_uow(services, p, lambda uow: _installments(uow, single.id), commit=False)
    assert [(r.due_date, r.open_minor, r.status) for r in one] == [(date(2026, 10, 31), 100000, "open")]
    await check_maintained(services, p, customer.id)


async def test_record_payment_is_idempotent_on_external_id(services: Services) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    new = _payment("50.00", external_id="E2E-123")
    first, created = await in_uow(services, p, lambda uow: service.record_payment(uow, new))
    again, created_again = await in_uow(services, p, lambda uow: service.record_payment(uow, new))
    assert created and not created_again
    assert again.payment.id == first.payment.id
    with pytest.raises(Conflict):
        await in_uow(
            services, p, lambda uow: service.record_payment(uow, _payment("51.00", external_id="E2E-123"))
        )
    # Another tenant may use the same bank key: it is unique per tenant.
    other = await new_tenant(services)
    theirs, created_there = await in_uow(
        services, tenant_principal(other), lambda uow: service.record_payment(uow, new)
    )
    assert created_there and theirs.payment.id != first.payment.id


async def test_allocate_explicit_oldest_first_reverse_refund(services: Services) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    customer = await add_customer(services, tenant)
    old = await add_invoice(services, tenant, customer.id, amount="100.00", due_date="2026-10-10")
    new = await add_invoice(services, tenant, customer.id, amount="200.00", due_date="2026-10-25")
    (i_old,) = await in_uow(services, p, lambda uow: _installments(uow, old.id), commit=False)
    (i_new,) = await in_uow(services, p, lambda uow: _installments(uow, new.id), commit=False)
    rec, _ = await in_uow(
        services,
        p,
        lambda uow: service.record_payment(
            uow, _payment("250.00", customer_id=customer.id, on=date(2026, 10, 5))
        ),
    )
    pid = rec.payment.id

    # Explicit: 60 to the newer installment; more than is open is refused, nothing booked.
    out = await in_uow(
        services,
        p,
        lambda uow: service.allocate_payment(
            uow, pid, lines=[service.AllocationLine(i_new.id, brl("60.00"))]
        ),
    )
    assert out.payment.unapplied == brl("190.00")
    with pytest.raises(Conflict):
        await in_uow(
            services,
            p,
            lambda uow: service.allocate_payment(
                uow, pid, lines=[service.AllocationLine(i_old.id, brl("100.01"))]
            ),
        )
    # Oldest first: 100 settles the old one, 90 goes to the newer, nothing left.
    out = await in_uow(services, p, lambda uow: service.allocate_payment(uow, pid, oldest_first=True))
    assert out.payment.unapplied == brl("0.00") and out.payment.status.value == "applied"
    opens = await check_maintained(services, p, customer.id)
    assert opens == {i_old.id: 0, i_new.id: 5000}
    inv = await in_uow(services, p, lambda uow: uow.invoices.get(old.id), commit=False)
    assert inv is not None and inv.status.value == "paid" and inv.open_amount.is_zero()
    # Nothing unapplied: a further allocation is refused.
    with pytest.raises(Conflict):
        await in_uow(
            services,
            p,
            lambda uow: service.allocate_payment(
                uow, pid, lines=[service.AllocationLine(i_new.id, brl("1.00"))]
            ),
        )

    # Reverse the allocation to the old installment, then refund the cash it freed.
    entries = await in_uow(services, p, lambda uow: uow.payments.entries(pid), commit=False)
    target = next(e for e in entries if e.installment_id == i_old.id)
    with pytest.raises(ValidationFailed):
        await in_uow(
            services,
            p,
            lambda uow: service.reverse_payment_allocation(
                uow, pid, target.id, ReasonCode.UNCOLLECTIBLE, date(2026, 10, 6)
            ),
        )
    rec2, _ = await in_uow(
        services,
        p,
        lambda uow: service.reverse_payment_allocation(
            uow, pid, target.id, ReasonCode.MISAPPLIED, date(2026, 10, 6)
        ),
    )
    assert rec2.unapplied == brl("100.00")
    with pytest.raises(Conflict):
        await in_uow(
            services,
            p,
            lambda uow: service.reverse_payment_allocation(
                uow, pid, target.id, ReasonCode.MISAPPLIED, date(2026, 10, 6)
            ),
        )
    with pytest.raises(Conflict):
        await in_uow(
            services,
            p,
            lambda uow: service.refund_payment(uow, pid, brl("100.01"), date(2026, 10, 7), "too much"),
        )
    rec3, _ = await in_uow(
        services,
        p,
        lambda uow: service.refund_payment(uow, pid, brl("100.00"), date(2026, 10, 7), "returned to payer"),
    )
    assert rec3.unapplied.is_zero()
    opens = await check_maintained(services, p, customer.id)
    assert opens[i_old.id] == 10000


async def test_late_charges_assessed_only_when_the_payment_covers_them(services: Services) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    customer = await add_customer(services, tenant)
    a = await add_invoice(services, tenant, customer.id, amount="1000.00", due_date="2026-10-31")
    b = await add_invoice(services, tenant, customer.id, amount="1000.00", due_date="2026-10-31")
    (ia,) = await in_uow(services, p, lambda uow: _installments(uow, a.id), commit=False)
    (ib,) = await in_uow(services, p, lambda uow: _installments(uow, b.id), commit=False)
    late = date(2026, 11, 30)  # 30 days late: 2 % fine (20.00) + 1 % a month (10.00)
    full, _ = await in_uow(services, p, lambda uow: service.record_payment(uow, _payment("1030.00", on=late)))
    out = await in_uow(
        services,
        p,
        lambda uow: service.allocate_payment(
            uow, full.payment.id, lines=[service.AllocationLine(ia.id, brl("1030.00"))]
        ),
    )
    kinds = sorted((e.kind.value, e.component.value, str(e.amount.amount)) for e in out.entries)
    assert kinds == [
        ("late_charge", "late_charges", "30.00"),
        ("payment_allocation", "late_charges", "-30.00"),
        ("payment_allocation", "principal", "-1000.00"),
    ]
    face, _ = await in_uow(services, p, lambda uow: service.record_payment(uow, _payment("1000.00", on=late)))
    out = await in_uow(
        services,
        p,
        lambda uow: service.allocate_payment(
            uow, face.payment.id, lines=[service.AllocationLine(ib.id, brl("1000.00"))]
        ),
    )
    assert [e.kind for e in out.entries] == [EntryKind.PAYMENT_ALLOCATION]
    opens = await check_maintained(services, p, customer.id)
    assert opens == {ia.id: 0, ib.id: 0}


async def test_manual_changes_with_maker_checker(services: Services) -> None:
    tenant = await new_tenant(services)
    maker, checker = tenant_principal(tenant, "maker"), tenant_principal(tenant, "checker")
    customer = await add_customer(services, tenant)
    inv = await add_invoice(services, tenant, customer.id, amount="5000.00")
    (inst,) = await in_uow(services, maker, lambda uow: _installments(uow, inv.id), commit=False)
    maker_id, checker_id = uuid.uuid4(), uuid.uuid4()

    def change(kind: EntryKind, amount: str | None, reason: ReasonCode) -> Any:
        return lambda uow: service_changes.request_change(
            uow,
            installment_id=inst.id,
            kind=kind,
            amount=brl(amount) if amount else None,
            reason=reason,
            requested_by=maker_id,
            on=date(2026, 11, 1),
        )

    small = await in_uow(services, maker, change(EntryKind.CREDIT_NOTE, "100.00", ReasonCode.RETURNED_GOODS))
    assert small.state is ApprovalState.APPROVED and not small.needs_approval
    with pytest.raises(Conflict):  # more than is open is refused up front
        await in_uow(services, maker, change(EntryKind.CREDIT_NOTE, "4900.01", ReasonCode.PRICING_ERROR))
    big = await in_uow(services, maker, change(EntryKind.WRITE_OFF, None, ReasonCode.UNCOLLECTIBLE))
    assert big.state is ApprovalState.REQUESTED and big.amount == brl("4900.00")
    opens = await check_maintained(services, maker, customer.id)
    assert opens[inst.id] == 490000  # pending: nothing booked yet
    with pytest.raises(PermissionDenied):
        await in_uow(
            services, maker, lambda uow: service_changes.approve_change(uow, big.id, Approver(maker_id))
        )
    done = await in_uow(
        services, checker, lambda uow: service_changes.approve_change(uow, big.id, Approver(checker_id), "ok")
    )
    assert done.state is ApprovalState.APPROVED
    with pytest.raises(Conflict):
        await in_uow(
            services,
            checker,
            lambda uow: service_changes.reject_change(uow, big.id, Approver(checker_id), "late"),
        )
    opens = await check_maintained(services, maker, customer.id)
    assert opens[inst.id] == 0
    written = await in_uow(services, maker, lambda uow: uow.invoices.get(inv.id), commit=False)
    assert written is not None and written.status.value == "written_off"
