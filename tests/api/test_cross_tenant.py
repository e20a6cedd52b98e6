"""Every API route that takes an id is tried with another tenant's id: always 404.

The registry below must name every parameterised route under /api/; a new endpoint
fails ``test_every_id_route_is_covered`` until it gets a cross-tenant case here.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.payments import PaymentSource
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.service import NewPayment, record_payment
from app.domain.receivables.service_changes import request_change
from app.domain.shared.money import Money
from app.domain.tenancy.model import OAUTH_SCOPES
from app.main import build_app
from app.server.auth import system_principal
from app.server.services import Services
from tests.api import test_bank_files_helpers as bf
from tests.support.factories import TenantInfo, add_customer, add_invoice, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

Maker = Callable[[Services, TenantInfo], Awaitable[str]]


async def _customer(services: Services, tenant: TenantInfo) -> str:
    return str((await add_customer(services, tenant)).id)


async def _invoice(services: Services, tenant: TenantInfo) -> str:
    customer = await add_customer(services, tenant)
    return str((await add_invoice(services, tenant, customer.id)).id)


async def _installment(services: Services, tenant: TenantInfo) -> str:
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        return str((await uow.installments.ids_of_invoice(invoice.id))[0])


async def _payment(services: Services, tenant: TenantInfo) -> str:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        rec, _ = await record_payment(
            uow,
            NewPayment(
                PaymentSource.MANUAL, f"x-{uuid.uuid4()}", Money.of("10", "BRL"), date(2026, 10, 1), "r"
            ),
        )
        await uow.commit()
    return str(rec.payment.id)


async def _change_request(services: Services, tenant: TenantInfo) -> str:
    installment = uuid.UUID(await _installment(services, tenant))
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        req = await request_change(
            uow,
            installment_id=installment,
            kind=EntryKind.WRITE_OFF,
            amount=None,
            reason=ReasonCode.UNCOLLECTIBLE,
            requested_by=uuid.uuid4(),
            on=date(2026, 11, 1),
        )
        await uow.commit()
    return str(req.id)


# (method, route template) -> (maker of the other tenant's resource, request body)
CASES: dict[tuple[str, str], tuple[Maker, dict[str, Any] | None]] = {
    ("GET", "/api/v1/customers/{customer_id:str}"): (_customer, None),
    ("PATCH", "/api/v1/customers/{customer_id:str}"): (_customer, {"name": "Hijack"}),
    ("GET", "/api/v1/invoices/{invoice_id:str}"): (_invoice, None),
    ("PATCH", "/api/v1/invoices/{invoice_id:str}"): (_invoice, {"description": "Hijack"}),
    ("GET", "/api/v1/installments/{installment_id:str}"): (_installment, None),
    ("GET", "/api/v1/payments/{payment_id:str}"): (_payment, None),
    ("POST", "/api/v1/payments/{payment_id:str}/allocations"): (_payment, {"strategy": "oldest_first"}),
    ("POST", "/api/v1/payments/{payment_id:str}/refunds"): (_payment, {"amount": "1.00", "reason": "x"}),
    ("POST", "/api/v1/approvals/{request_id:str}/approve"): (_change_request, {}),
    ("POST", "/api/v1/approvals/{request_id:str}/reject"): (_change_request, {"note": "no"}),
    # Bank accounts, bank files, correction queue, cash application, PIX, remittances.
    ("GET", "/api/v1/bank-accounts/{account_id:str}"): (bf.make_bank_account, None),
    ("PATCH", "/api/v1/bank-accounts/{account_id:str}"): (bf.make_bank_account, {"name": "Hijack"}),
    ("POST", "/api/v1/bank-accounts/{account_id:str}/remittances"): (
        bf.make_bank_account,
        {"instructions": [{"installment_id": str(uuid.uuid4()), "kind": "register"}]},
    ),
    ("GET", "/api/v1/bank-files/{file_id:str}"): (bf.make_bank_file, None),
    ("GET", "/api/v1/bank-files/{file_id:str}/records"): (bf.make_bank_file, None),
    ("POST", "/api/v1/correction-queue/{record_id:str}/resolve"): (
        bf.make_queued_record,
        {"action": "retry"},
    ),
    ("POST", "/api/v1/cash-application/{line_id:str}/confirm"): (bf.make_review_line, {"proposal": 0}),
    ("POST", "/api/v1/cash-application/{line_id:str}/skip"): (bf.make_review_line, None),
    ("POST", "/api/v1/cash-application/{line_id:str}/apply-on-account"): (
        bf.make_review_line,
        {"customer_id": str(uuid.uuid4())},
    ),
    ("GET", "/api/v1/installments/{installment_id:str}/pix"): (_installment, None),
    ("GET", "/api/v1/installments/{installment_id:str}/pix.png"): (_installment, None),
    ("GET", "/api/v1/installments/{installment_id:str}/boleto.pdf"): (_installment, None),
    ("GET", "/api/v1/remittances/{remittance_id:str}/file"): (bf.make_remittance, None),
}
# Routes covered by their own module's cross-tenant tests (they need a richer setup).
COVERED_ELSEWHERE: set[tuple[str, str]] = {
    ("GET", "/api/v1/imports/{import_id:str}"),
    # Needs the other tenant's payment and allocation entry: test_payments_api.py.
    (
        "POST",
        "/api/v1/payments/{payment_id:str}/allocations/{entry_id:str}/reverse",
    ),  # tests/api/test_imports_api.py
    # tests/api/test_webhooks_api.py::test_other_tenants_endpoints_and_deliveries_are_invisible
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id:str}"),
    ("PATCH", "/api/v1/webhook-endpoints/{endpoint_id:str}"),
    ("DELETE", "/api/v1/webhook-endpoints/{endpoint_id:str}"),
    ("GET", "/api/v1/webhook-endpoints/{endpoint_id:str}/deliveries"),
    ("POST", "/api/v1/webhook-endpoints/{endpoint_id:str}/rotate-secret"),
    ("GET", "/api/v1/webhook-deliveries/{delivery_id:str}"),
    ("POST", "/api/v1/webhook-deliveries/{delivery_id:str}/replay"),
}


def _id_routes(services: Services) -> set[tuple[str, str]]:
    app = build_app(services=services, start_jobs=False)
    routes = set()
    for template, methods in app.route_handler_method_map.items():
        if template.startswith("/api/") and "{" in template:
            routes |= {(m, template) for m in methods if m not in {"OPTIONS", "HEAD"}}
    return routes


def test_every_id_route_is_covered(services: Services) -> None:
    missing = _id_routes(services) - set(CASES) - COVERED_ELSEWHERE
    assert not missing, f"add cross-tenant cases for: {sorted(missing)}"


@pytest.mark.parametrize(("method", "template"), sorted(CASES))
async def test_other_tenants_id_is_404(http: Any, services: Services, method: str, template: str) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    maker, body = CASES[(method, template)]
    foreign_id = await maker(services, theirs)
    headers = await api_headers(http, services, mine, " ".join(OAUTH_SCOPES))
    path = template.split("{", 1)[0] + foreign_id + template.split("}", 1)[1]
    response = await http.request(method, path, json=body, headers=headers)
    assert response.status_code == 404, response.text
    missing = template.split("{", 1)[0] + str(uuid.uuid4()) + template.split("}", 1)[1]
    absent = await http.request(method, missing, json=body, headers=headers)
    assert absent.status_code == 404
    assert response.json()["title"] == absent.json()["title"]
