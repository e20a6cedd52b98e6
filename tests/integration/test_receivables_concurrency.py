"""Two allocations racing on PostgreSQL: row locks keep a payment from being spent twice."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest

from app.domain.receivables import service
from app.domain.receivables.payments import PaymentSource
from app.domain.shared.errors import Conflict
from app.server.services import Services
from tests.integration.receivables_helpers import brl, check_maintained, in_uow, tenant_principal
from tests.support.databases import postgres_only
from tests.support.factories import add_customer, add_invoice, new_tenant

pytestmark = [pytest.mark.asyncio(loop_scope="session"), postgres_only]


@pytest.mark.parametrize("rounds", [3])
async def test_concurrent_allocations_never_overspend_a_payment(services: Services, rounds: int) -> None:
    tenant = await new_tenant(services)
    p = tenant_principal(tenant)
    customer = await add_customer(services, tenant)
    for _ in range(rounds):
        a = await add_invoice(services, tenant, customer.id, amount="100.00")
        b = await add_invoice(services, tenant, customer.id, amount="100.00")
        (ia,) = await in_uow(services, p, lambda uow, a=a: uow.installments.for_invoice(a.id), commit=False)
        (ib,) = await in_uow(services, p, lambda uow, b=b: uow.installments.for_invoice(b.id), commit=False)
        new = service.NewPayment(
            PaymentSource.MANUAL, f"race-{uuid.uuid4()}", brl("100.00"), date(2026, 10, 20), "race"
        )
        rec, _ = await in_uow(services, p, lambda uow, new=new: service.record_payment(uow, new))

        async def spend(installment_id: uuid.UUID, pid: uuid.UUID = rec.payment.id) -> str:
            try:
                await in_uow(
                    services,
                    p,
                    lambda uow: service.allocate_payment(
                        uow, pid, lines=[service.AllocationLine(installment_id, brl("100.00"))]
                    ),
                )
            except Conflict:
                return "refused"
            return "allocated"

        outcomes = await asyncio.gather(spend(ia.id), spend(ib.id))
        assert sorted(outcomes) == ["allocated", "refused"]
        opens = await check_maintained(services, p, customer.id)
        assert sorted([opens[ia.id], opens[ib.id]]) == [0, 10000]
