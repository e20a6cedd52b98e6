"""Webhook endpoints and the delivery log through the real app over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.adapters.db.models import WebhookEndpointRow
from app.jobs.consumers import handle_event
from app.jobs.webhook_delivery import deliver, enqueue_due
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, api_headers, new_tenant
from tests.support.jobs import job_context, relay
from tests.support.webhook_receiver import Receiver, webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")
BASE = "/api/v1/webhook-endpoints"


async def _create(http: Any, headers: dict[str, str], url: str, **body: Any) -> dict[str, Any]:
    response = await http.post(BASE, json={"url": url, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _one_delivery(
    http: Any, services: Services, tenant: TenantInfo, headers: dict[str, str], receiver: Receiver
) -> tuple[dict[str, Any], str]:
    """Register an endpoint, commit a change and run its delivery; returns (endpoint, delivery id)."""
    ctx, kept, _clock = job_context(services)
    endpoint = await _create(http, headers, receiver.url)
    receiver.secret = endpoint["secret"]
    await add_customer(services, tenant)
    for envelope in await relay(services, tenant, kept):
        await handle_event(ctx, envelope)
    [task] = kept.take_tasks()
    await deliver(ctx, task)
    await ctx.aclose()
    return endpoint, task.delivery_id


async def test_register_read_change_delete(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    created = await _create(
        http,
        headers,
        "http://127.0.0.1:9/hooks",
        description="ERP",
        event_types=["invoice.*", "customer.created"],
    )
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["customer.created", "invoice.*"]
    assert created["is_enabled"] is True

    got = await http.get(f"{BASE}/{created['id']}", headers=headers)
    assert got.status_code == 200
    assert "secret" not in got.json()  # shown once only
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = (
            await uow.session.execute(
                select(WebhookEndpointRow).where(WebhookEndpointRow.tenant_id == tenant.id)
            )
        ).scalar_one()
    assert created["secret"] not in row.secret_encrypted  # stored encrypted

    listed = await http.get(BASE, headers=headers)
    assert [e["id"] for e in listed.json()["items"]] == [created["id"]]

    patched = await http.patch(
        f"{BASE}/{created['id']}",
        json={"event_types": ["*"], "is_enabled": False, "description": None},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["event_types"], body["is_enabled"], body["description"]) == (["*"], False, None)
    assert body["disabled_reason"] == "disabled by a user"
    enabled = await http.patch(f"{BASE}/{created['id']}", json={"is_enabled": True}, headers=headers)
    assert (enabled.json()["is_enabled"], enabled.json()["disabled_reason"]) == (True, None)

    rotated = await http.post(f"{BASE}/{created['id']}/rotate-secret", headers=headers)
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != created["secret"]

    assert (await http.delete(f"{BASE}/{created['id']}", headers=headers)).status_code == 204
    assert (await http.get(f"{BASE}/{created['id']}", headers=headers)).status_code == 404


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://10.1.2.3/hooks", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[fd00::1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("ftp://example.com/", "http or https"),
        ("http://user:pw@127.0.0.1/", "credentials"),
        ("http://no-such-host.invalid/", "does not resolve"),
    ],
)
async def test_unsafe_urls_are_refused(http: Any, services: Services, url: str, fragment: str) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    response = await http.post(BASE, json={"url": url}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert error["field"] == "url" and fragment in error["message"]


async def test_invalid_event_type_is_a_problem(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    response = await http.post(
        BASE, json={"url": "http://127.0.0.1/x", "event_types": ["Not A Type"]}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "event_types"


async def test_delivery_log_and_replay(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    with webhook_receiver() as receiver:
        endpoint, delivery_id = await _one_delivery(http, services, tenant, headers, receiver)
        page = await http.get(f"{BASE}/{endpoint['id']}/deliveries", headers=headers)
        assert page.status_code == 200
        [item] = page.json()["items"]
        assert (item["id"], item["status"], item["attempts"]) == (delivery_id, "succeeded", 1)
        assert item["event_type"] == "customer.created"
        filtered = await http.get(
            f"{BASE}/{endpoint['id']}/deliveries", params={"status": "failed"}, headers=headers
        )
        assert filtered.json()["items"] == []

        detail = await http.get(f"/api/v1/webhook-deliveries/{delivery_id}", headers=headers)
        assert detail.status_code == 200
        assert detail.json()["payload"]["type"] == "customer.created"
        [attempt] = detail.json()["log"]
        assert attempt["status_code"] == 200 and attempt["response_excerpt"].startswith('{"ok": true}')

        replayed = await http.post(f"/api/v1/webhook-deliveries/{delivery_id}/replay", headers=headers)
        assert replayed.status_code == 202, replayed.text
        assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
        again = await http.post(f"/api/v1/webhook-deliveries/{delivery_id}/replay", headers=headers)
        assert again.status_code == 409  # already pending

        ctx, kept, _clock = job_context(services)
        await enqueue_due(ctx, tenant.id)
        [task] = kept.take_tasks()
        assert await deliver(ctx, task) == "succeeded"
        await ctx.aclose()
        # The repeat carries the same webhook-id: receivers can recognise it.
        assert len(receiver.verified_ids) == 2 and len(set(receiver.verified_ids)) == 1

    disabled = await http.patch(f"{BASE}/{endpoint['id']}", json={"is_enabled": False}, headers=headers)
    assert disabled.status_code == 200
    refused = await http.post(f"/api/v1/webhook-deliveries/{delivery_id}/replay", headers=headers)
    assert refused.status_code == 409
    assert "disabled" in refused.json()["detail"]


async def test_delivery_pages_walk_every_row_once(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    ctx, kept, _clock = job_context(services)
    endpoint = await _create(http, headers, "http://127.0.0.1:9/hooks")
    for _ in range(5):
        await add_customer(services, tenant)
    for envelope in await relay(services, tenant, kept):
        await handle_event(ctx, envelope)
    expected = {t.delivery_id for t in kept.take_tasks()}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await http.get(f"{BASE}/{endpoint['id']}/deliveries", params=params, headers=headers)).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(expected) and len(seen) == 5
    assert seen == sorted(seen, reverse=True)  # newest first
    await ctx.aclose()


async def test_requires_credentials_and_scopes(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    assert (await http.get(BASE)).status_code == 401
    assert (await http.post(BASE, json={"url": "http://127.0.0.1/x"})).status_code == 401
    assert (
        await http.get("/api/v1/webhook-deliveries/00000000-0000-0000-0000-000000000000")
    ).status_code == 401

    no_webhooks = await api_headers(http, services, tenant, scopes="customers:read")
    response = await http.get(BASE, headers=no_webhooks)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")

    read_only = await api_headers(http, services, tenant, scopes="webhooks:read")
    assert (await http.get(BASE, headers=read_only)).status_code == 200
    assert (await http.post(BASE, json={"url": "http://127.0.0.1/x"}, headers=read_only)).status_code == 403
    writer = await api_headers(http, services, tenant, scopes="webhooks:write webhooks:read")
    created = await _create(http, writer, "http://127.0.0.1:9/x")
    for method, path in [
        ("PATCH", f"{BASE}/{created['id']}"),
        ("DELETE", f"{BASE}/{created['id']}"),
        ("POST", f"{BASE}/{created['id']}/rotate-secret"),
        ("POST", "/api/v1/webhook-deliveries/00000000-0000-0000-0000-000000000000/replay"),
    ]:
        response = await http.request(method, path, json={} if method == "PATCH" else None, headers=read_only)
        assert response.status_code == 403, (method, path)


async def test_other_tenants_endpoints_and_deliveries_are_invisible(http: Any, services: Services) -> None:
    owner = await new_tenant(services)
    intruder = await new_tenant(services)
    owner_headers = await api_headers(http, services, owner)
    intruder_headers = await api_headers(http, services, intruder)
    with webhook_receiver() as receiver:
        endpoint, delivery_id = await _one_delivery(http, services, owner, owner_headers, receiver)
    mine = await _create(http, intruder_headers, "http://127.0.0.1:9/mine")

    listed = await http.get(BASE, headers=intruder_headers)
    assert [e["id"] for e in listed.json()["items"]] == [mine["id"]]
    for method, path in [
        ("GET", f"{BASE}/{endpoint['id']}"),
        ("PATCH", f"{BASE}/{endpoint['id']}"),
        ("DELETE", f"{BASE}/{endpoint['id']}"),
        ("POST", f"{BASE}/{endpoint['id']}/rotate-secret"),
        ("GET", f"{BASE}/{endpoint['id']}/deliveries"),
        ("GET", f"/api/v1/webhook-deliveries/{delivery_id}"),
        ("POST", f"/api/v1/webhook-deliveries/{delivery_id}/replay"),
    ]:
        response = await http.request(
            method, path, json={"is_enabled": False} if method == "PATCH" else None, headers=intruder_headers
        )
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # Still intact for its owner.
    got = await http.get(f"{BASE}/{endpoint['id']}", headers=owner_headers)
    assert got.status_code == 200 and got.json()["is_enabled"] is True
    assert (await http.get(f"{BASE}/not-a-uuid", headers=owner_headers)).status_code == 404
