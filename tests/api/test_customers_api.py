"""Customers through the real app over HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_create_get_list_patch(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    body = {"name": "Distribuidora São Jorge", "tax_id": "11.222.333/0001-81", "external_ref": "ERP-1"}
    created = await http.post("/api/v1/customers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    customer = created.json()
    assert customer["tax_id"] == "11222333000181"
    assert customer["status"] == "active"
    assert created.headers["location"] == f"/api/v1/customers/{customer['id']}"

    got = await http.get(f"/api/v1/customers/{customer['id']}", headers=headers)
    assert got.json() == customer

    found = await http.get("/api/v1/customers", params={"q": "sao jorge"}, headers=headers)
    assert [c["id"] for c in found.json()["items"]] == [customer["id"]]

    patched = await http.patch(
        f"/api/v1/customers/{customer['id']}",
        json={"status": "blocked", "segment": "Varejo"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "blocked"
    assert patched.json()["segment"] == "Varejo"


async def test_cursor_pagination_walks_every_row_once(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    ids = {str((await add_customer(services, tenant)).id) for _ in range(7)}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await http.get("/api/v1/customers", params=params, headers=headers)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "tenant_id": "00000000-0000-0000-0000-000000000000"}, "tenant_id"),
        ({"name": 5}, "name"),
        ({"name": "X", "tax_id": "11.222.333/0001-80"}, "tax_id"),
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "status": "deleted"}, "status"),
        ({}, "name"),
    ],
)
async def test_invalid_fields_are_422_problem(
    http: Any, services: Services, body: dict[str, Any], field: str
) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    response = await http.post("/api/v1/customers", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422
    assert field in {e["field"] for e in problem["errors"]}


async def test_duplicate_external_ref_is_409(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    assert (
        await http.post("/api/v1/customers", json={"name": "A", "external_ref": "X1"}, headers=headers)
    ).status_code == 201
    again = await http.post("/api/v1/customers", json={"name": "B", "external_ref": "X1"}, headers=headers)
    assert again.status_code == 409
    assert again.json()["title"] == "Conflict"


async def test_idempotency_key_replays_without_second_write(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = {**(await api_headers(http, services, tenant)), "Idempotency-Key": "abc-123"}
    first = await http.post("/api/v1/customers", json={"name": "Once"}, headers=headers)
    second = await http.post("/api/v1/customers", json={"name": "Once"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers.get("idempotent-replayed") == "true"
    listing = await http.get("/api/v1/customers", params={"q": "once"}, headers=headers)
    assert len(listing.json()["items"]) == 1
    other = await http.post("/api/v1/customers", json={"name": "Different"}, headers=headers)
    assert other.status_code == 422


async def test_missing_scope_is_403_and_no_token_is_401(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    read_only = await api_headers(http, services, tenant, scopes="customers:read")
    denied = await http.post("/api/v1/customers", json={"name": "X"}, headers=read_only)
    assert denied.status_code == 403
    assert (await http.get("/api/v1/customers")).status_code == 401
    bad = await http.get("/api/v1/customers", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert "Bearer" in bad.headers["www-authenticate"]


async def test_other_tenants_customer_is_404(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    their_customer = await add_customer(services, theirs, name="Secret Corp")
    headers = await api_headers(http, services, mine)
    assert (await http.get(f"/api/v1/customers/{their_customer.id}", headers=headers)).status_code == 404
    patch = await http.patch(
        f"/api/v1/customers/{their_customer.id}", json={"name": "Hacked"}, headers=headers
    )
    assert patch.status_code == 404
    listing = (await http.get("/api/v1/customers", params={"q": "secret"}, headers=headers)).json()
    assert listing["items"] == []
