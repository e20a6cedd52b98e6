"""Payments, installments, manual changes and approvals over the API."""

from __future__ import annotations

from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")
SCOPES = "customers:read invoices:read invoices:write payments:read payments:write reports:read"


async def test_payment_flow_with_idempotency(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant, SCOPES)
    customer = await add_customer(services, tenant)
    created = await http.post(
        "/api/v1/invoices",
        json={
            "customer_id": str(customer.id),
            "number": "NF-9",
            "issue_date": "2026-10-01",
            "amount": "300.00",
            "terms": "30/60/90",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    inst = created.json()["installments"]
    assert [i["number"] for i in inst] == ["1/3", "2/3", "3/3"]
    assert [i["amount"] for i in inst] == ["100.00", "100.00", "100.00"]
    assert created.json()["due_date"] == "2026-12-30"

    body = {
        "amount": "150.00",
        "value_date": "2026-10-15",
        "reference": "TED 123",
        "customer_id": str(customer.id),
    }
    key = {"Idempotency-Key": "pay-1", **headers}
    first = await http.post("/api/v1/payments", json=body, headers=key)
    assert first.status_code == 201, first.text
    replay = await http.post("/api/v1/payments", json=body, headers=key)
    assert replay.status_code == 201 and replay.headers.get("idempotent-replayed") == "true"
    assert replay.json()["id"] == first.json()["id"]
    same_ext = await http.post(
        "/api/v1/payments", json={**body, "external_id": "manual:pay-1"}, headers=headers
    )
    assert same_ext.status_code == 200 and same_ext.json()["id"] == first.json()["id"]
    listed = await http.get("/api/v1/payments", headers=headers)
    assert [p["id"] for p in listed.json()["items"]] == [first.json()["id"]]

    pid = first.json()["id"]
    alloc = await http.post(
        f"/api/v1/payments/{pid}/allocations",
        json={"allocations": [{"installment_id": inst[0]["id"], "amount": "100.00"}]},
        headers=headers,
    )
    assert alloc.status_code == 200, alloc.text
    assert alloc.json()["payment"]["unapplied_amount"] == "50.00"
    over = await http.post(
        f"/api/v1/payments/{pid}/allocations",
        json={"allocations": [{"installment_id": inst[1]["id"], "amount": "60.00"}]},
        headers=headers,
    )
    assert over.status_code == 409
    rest = await http.post(
        f"/api/v1/payments/{pid}/allocations", json={"strategy": "oldest_first"}, headers=headers
    )
    assert rest.json()["payment"]["status"] == "applied"
    one = await http.get(f"/api/v1/installments/{inst[1]['id']}", headers=headers)
    assert one.json()["installment"]["open_amount"] == "50.00"
    assert [e["kind"] for e in one.json()["entries"]] == ["charge", "payment_allocation"]
    entry_id = alloc.json()["allocations"][0]["id"]
    no_reason = await http.post(
        f"/api/v1/payments/{pid}/allocations/{entry_id}/reverse", json={}, headers=headers
    )
    assert no_reason.status_code in (400, 422)
    rev = await http.post(
        f"/api/v1/payments/{pid}/allocations/{entry_id}/reverse",
        json={"reason": "misapplied"},
        headers=headers,
    )
    assert rev.status_code == 200, rev.text
    assert rev.json()["payment"]["unapplied_amount"] == "100.00"
    refund = await http.post(
        f"/api/v1/payments/{pid}/refunds", json={"amount": "30.00", "reason": "overpaid"}, headers=headers
    )
    assert refund.status_code == 201 and refund.json()["payment"]["unapplied_amount"] == "70.00"
    overdue = await http.get(
        "/api/v1/installments", params={"overdue": "true", "customer_id": str(customer.id)}, headers=headers
    )
    assert overdue.status_code == 200
    invoice = await http.get(f"/api/v1/invoices/{created.json()['id']}", headers=headers)
    assert invoice.json()["status"] == "partially_paid" and invoice.json()["open_amount"] == "250.00"


async def test_changes_and_approvals(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    maker = await api_headers(http, services, tenant, SCOPES)
    checker = await api_headers(http, services, tenant, SCOPES + " approvals:decide")
    customer = await add_customer(services, tenant)
    inv = await add_invoice(services, tenant, customer.id, amount="5000.00")
    detail = await http.get(f"/api/v1/invoices/{inv.id}", headers=maker)
    iid = detail.json()["installments"][0]["id"]
    small = await http.post(
        "/api/v1/credit-notes",
        json={"installment_id": iid, "amount": "10.00", "reason": "returned_goods"},
        headers=maker,
    )
    assert small.status_code == 201 and small.json()["state"] == "approved"
    adj = await http.post(
        "/api/v1/adjustments",
        json={"installment_id": iid, "amount": "-0.50", "reason": "rounding"},
        headers=maker,
    )
    assert adj.status_code == 201, adj.text
    big = await http.post(
        "/api/v1/write-offs", json={"installment_id": iid, "reason": "uncollectible"}, headers=maker
    )
    assert big.status_code == 202 and big.json()["amount"] == "4989.50"
    pending = await http.get("/api/v1/approvals", params={"state": "pending"}, headers=maker)
    assert [r["id"] for r in pending.json()["items"]] == [big.json()["id"]]
    forbidden = await http.post(f"/api/v1/approvals/{big.json()['id']}/approve", json={}, headers=maker)
    assert forbidden.status_code == 403
    ok = await http.post(
        f"/api/v1/approvals/{big.json()['id']}/approve", json={"note": "ok"}, headers=checker
    )
    assert ok.status_code == 200, ok.text
    after = await http.get(f"/api/v1/invoices/{inv.id}", headers=maker)
    assert after.json()["status"] == "written_off"


@pytest.mark.parametrize(
    ("method", "path", "scopes"),
    [
        ("GET", "/api/v1/payments", "invoices:read"),
        ("POST", "/api/v1/payments", "payments:read"),
        ("GET", "/api/v1/installments", "payments:read"),
        ("POST", "/api/v1/credit-notes", "invoices:read"),
        ("GET", "/api/v1/reports/aging", "invoices:read"),
        ("GET", "/api/v1/reports/aging/export.csv", "invoices:read"),
    ],
)
async def test_401_and_403(http: Any, services: Services, method: str, path: str, scopes: str) -> None:
    assert (await http.request(method, path, json={})).status_code == 401
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant, scopes)
    assert (await http.request(method, path, json={}, headers=headers)).status_code == 403


async def test_lists_never_show_other_tenants(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    customer = await add_customer(services, theirs)
    await add_invoice(services, theirs, customer.id)
    their_headers = await api_headers(http, services, theirs, SCOPES)
    await http.post(
        "/api/v1/payments",
        json={"amount": "1.00", "value_date": "2026-10-01", "reference": "x"},
        headers=their_headers,
    )
    headers = await api_headers(http, services, mine, SCOPES)
    for path in (
        "/api/v1/payments",
        "/api/v1/installments",
        "/api/v1/approvals",
        "/api/v1/reports/aging/items",
    ):
        response = await http.get(path, headers=headers)
        assert response.status_code == 200 and response.json()["items"] == [], path
    aging = await http.get("/api/v1/reports/aging", headers=headers)
    assert aging.json()["groups"] == []


async def test_reverse_of_another_tenants_allocation_is_404(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    their_headers = await api_headers(http, services, theirs, SCOPES)
    customer = await add_customer(services, theirs)
    inv = await add_invoice(services, theirs, customer.id, amount="10.00")
    iid = (await http.get(f"/api/v1/invoices/{inv.id}", headers=their_headers)).json()["installments"][0][
        "id"
    ]
    pay = await http.post(
        "/api/v1/payments",
        json={"amount": "10.00", "value_date": "2026-10-01", "reference": "x"},
        headers=their_headers,
    )
    pid = pay.json()["id"]
    alloc = await http.post(
        f"/api/v1/payments/{pid}/allocations",
        json={"allocations": [{"installment_id": iid, "amount": "10.00"}]},
        headers=their_headers,
    )
    entry_id = alloc.json()["allocations"][0]["id"]
    headers = await api_headers(http, services, mine, SCOPES)
    response = await http.post(
        f"/api/v1/payments/{pid}/allocations/{entry_id}/reverse",
        json={"reason": "misapplied"},
        headers=headers,
    )
    assert response.status_code == 404
    # Their installment id in my allocation request is no such installment either.
    own = await http.post(
        "/api/v1/payments",
        json={"amount": "10.00", "value_date": "2026-10-01", "reference": "y"},
        headers=headers,
    )
    sneaky = await http.post(
        f"/api/v1/payments/{own.json()['id']}/allocations",
        json={"allocations": [{"installment_id": iid, "amount": "10.00"}]},
        headers=headers,
    )
    assert sneaky.status_code == 422
