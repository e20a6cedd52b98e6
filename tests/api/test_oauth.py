"""OAuth2 client credentials, revocation, metadata and the token endpoint's rate limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from app.adapters.db.base import utcnow
from app.adapters.db.models import OAuthClientRow, OAuthTokenRow
from app.adapters.passwords import token_hash
from app.server.services import Services
from tests.support.factories import bearer_headers, new_client, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_token_with_basic_and_with_form_fields(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, secret = await new_client(services, tenant, "customers:read invoices:read")
    basic = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert basic.status_code == 200
    body = basic.json()
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 3600
    assert set(body["scope"].split()) == {"customers:read", "invoices:read"}
    assert basic.headers["cache-control"] == "no-store"
    form = await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": "customers:read",
        },
    )
    assert form.status_code == 200
    assert form.json()["scope"] == "customers:read"


async def test_bad_secret_unknown_grant_and_foreign_scope_are_refused(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, secret = await new_client(services, tenant, "customers:read")
    bad = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, "wrong")
    )
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"
    grant = await http.post("/oauth/token", data={"grant_type": "password"}, auth=(client_id, secret))
    assert grant.json()["error"] == "unsupported_grant_type"
    scope = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "invoices:write"},
        auth=(client_id, secret),
    )
    assert scope.status_code == 400
    assert scope.json()["error"] == "invalid_scope"


async def test_token_scopes_limit_the_api(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, secret = await new_client(services, tenant, "customers:read customers:write")
    narrow = await bearer_headers(http, client_id, secret, scope="customers:read")
    assert (await http.get("/api/v1/customers", headers=narrow)).status_code == 200
    denied = await http.post("/api/v1/customers", json={"name": "X"}, headers=narrow)
    assert denied.status_code == 403
    assert "customers:write" in denied.json()["detail"]


async def test_revoked_and_expired_tokens_stop_working(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, secret = await new_client(services, tenant, "customers:read")
    headers = await bearer_headers(http, client_id, secret)
    token = headers["Authorization"].split()[1]
    assert (await http.get("/api/v1/customers", headers=headers)).status_code == 200
    revoked = await http.post("/oauth/revoke", data={"token": token}, auth=(client_id, secret))
    assert revoked.status_code == 200
    assert (await http.get("/api/v1/customers", headers=headers)).status_code == 401

    headers = await bearer_headers(http, client_id, secret)
    token = headers["Authorization"].split()[1]
    async with services.sessions() as session:
        await session.execute(
            update(OAuthTokenRow)
            .where(OAuthTokenRow.token_hash == token_hash(token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    fresh = await bearer_headers(http, client_id, secret)
    async with services.sessions() as session:
        await session.execute(
            update(OAuthTokenRow)
            .where(OAuthTokenRow.token_hash == token_hash(fresh["Authorization"].split()[1]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    # Never used before expiry, so not cached: the database check refuses it.
    assert (await http.get("/api/v1/customers", headers=fresh)).status_code == 401


async def test_revoked_client_cannot_get_tokens(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, secret = await new_client(services, tenant, "customers:read")
    async with services.sessions() as session:
        await session.execute(
            update(OAuthClientRow).where(OAuthClientRow.client_id == client_id).values(revoked_at=utcnow())
        )
        await session.commit()
    r = await http.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    assert r.status_code == 401


async def test_metadata_document(http: Any) -> None:
    meta = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert meta["token_endpoint"].endswith("/oauth/token")
    assert meta["grant_types_supported"] == ["client_credentials"]
    assert "customers:read" in meta["scopes_supported"]


async def test_token_endpoint_is_rate_limited(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    client_id, _ = await new_client(services, tenant, "customers:read")
    original = services.settings
    object.__setattr__(services, "settings", replace(original, token_rate_per_minute=3))
    try:
        responses = [
            await http.post(
                "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, "wrong")
            )
            for _ in range(6)
        ]
    finally:
        object.__setattr__(services, "settings", original)
    limited = [r for r in responses if r.status_code == 429]
    assert limited, [r.status_code for r in responses]
    assert int(limited[0].headers["retry-after"]) >= 1
    assert limited[0].headers["content-type"].startswith("application/problem+json")
