"""Invoices through the real app over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_create_read_filter_patch(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    customer = await add_customer(services, tenant)
    body = {
        "customer_id": str(customer.id),
        "number": "NF-1001",
        "issue_date": "2026-11-01",
        "due_date": "2026-12-01",
        "amount": "1234.56",
    }
    created = await http.post("/api/v1/invoices", json=body, headers=headers)
    assert created.status_code == 201, created.text
    invoice = created.json()
    assert invoice["amount"] == "1234.56"
    assert invoice["open_amount"] == "1234.56"
    assert invoice["currency"] == "BRL"
    assert invoice["status"] == "open"

    listed = await http.get("/api/v1/invoices", params={"customer_id": str(customer.id)}, headers=headers)
    assert [i["number"] for i in listed.json()["items"]] == ["NF-1001"]
    none = await http.get("/api/v1/invoices", params={"due_from": "2027-01-01"}, headers=headers)
    assert none.json()["items"] == []

    patched = await http.patch(
        f"/api/v1/invoices/{invoice['id']}",
        json={"due_date": "2026-12-15", "amount": "1300.00"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["due_date"] == "2026-12-15"
    assert patched.json()["open_amount"] == "1300.00"

    cancelled = await http.patch(
        f"/api/v1/invoices/{invoice['id']}", json={"status": "cancelled"}, headers=headers
    )
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"open_amount": "1.00"}, "open_amount"),
        ({"tenant_id": "x"}, "tenant_id"),
        ({"status": "paid"}, "status"),
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": 12.5}, "amount"),
    ],
)
async def test_read_only_and_invalid_fields_are_422(
    http: Any, services: Services, patch: dict[str, Any], field: str
) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    invoice = await add_invoice(services, tenant, (await add_customer(services, tenant)).id)
    response = await http.patch(f"/api/v1/invoices/{invoice.id}", json=patch, headers=headers)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_duplicate_number_is_409_and_money_is_exact(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    customer = await add_customer(services, tenant)
    body = {
        "customer_id": str(customer.id),
        "number": "DUP-1",
        "issue_date": "2026-11-01",
        "due_date": "2026-11-30",
        "amount": "0.10",
    }
    assert (await http.post("/api/v1/invoices", json=body, headers=headers)).status_code == 201
    again = await http.post("/api/v1/invoices", json={**body, "amount": "0.20"}, headers=headers)
    assert again.status_code == 409
    listed = (await http.get("/api/v1/invoices", headers=headers)).json()["items"]
    assert [i["amount"] for i in listed] == ["0.10"]


async def test_invoice_for_another_tenants_customer_is_rejected(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    headers = await api_headers(http, services, mine)
    foreign = await add_customer(services, theirs)
    body = {
        "customer_id": str(foreign.id),
        "number": "X-1",
        "issue_date": "2026-11-01",
        "due_date": "2026-11-30",
        "amount": "10.00",
    }
    response = await http.post("/api/v1/invoices", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "customer_id", "message": "no such customer"}]


async def test_pagination_by_due_date(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    customer = await add_customer(services, tenant)
    for day in (5, 1, 3, 2, 4):
        await add_invoice(services, tenant, customer.id, due_date=f"2026-12-0{day}", number=f"P-{day}")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await http.get("/api/v1/invoices", params=params, headers=headers)).json()
        seen += [i["number"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["P-1", "P-2", "P-3", "P-4", "P-5"]
    bad = await http.get("/api/v1/invoices", params={"cursor": "garbage"}, headers=headers)
    assert bad.status_code == 422


async def test_events_and_audit_written_with_the_change(http: Any, services: Services) -> None:
    from sqlalchemy import select

    from app.adapters.db.models import AuditRow, OutboxRow
    from app.server.auth import system_principal

    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    customer = await add_customer(services, tenant)
    body = {
        "customer_id": str(customer.id),
        "number": "EV-1",
        "issue_date": "2026-11-01",
        "due_date": "2026-11-30",
        "amount": "50.00",
    }
    invoice = (await http.post("/api/v1/invoices", json=body, headers=headers)).json()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        events = (
            await uow.session.execute(
                select(OutboxRow.event_type, OutboxRow.payload).where(OutboxRow.tenant_id == tenant.id)
            )
        ).all()
        audits = (
            await uow.session.execute(
                select(AuditRow.action, AuditRow.entity, AuditRow.actor).where(
                    AuditRow.tenant_id == tenant.id
                )
            )
        ).all()
    assert ("invoice.created", invoice["id"]) in {(e.event_type, e.payload.get("id")) for e in events}
    assert any(
        a.entity == "invoice" and a.action == "create" and a.actor.startswith("client:") for a in audits
    )
