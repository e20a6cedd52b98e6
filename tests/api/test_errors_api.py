"""Bad input gets a clear problem+json and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_malformed_json_is_400_problem(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = {**(await api_headers(http, services, tenant)), "content-type": "application/json"}
    r = await http.post("/api/v1/customers", content=b'{"name": ', headers=headers)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 400


async def test_oversize_body_is_413(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = {**(await api_headers(http, services, tenant)), "content-type": "application/json"}
    big = b'{"name": "' + b"x" * (services.settings.max_body_bytes + 10) + b'"}'
    r = await http.post("/api/v1/customers", content=big, headers=headers)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    listed = await http.get("/api/v1/customers", headers=headers)
    assert listed.json()["items"] == []


async def test_html_in_names_is_stored_verbatim_and_served_as_json(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    name = '<script>alert("x")</script> & Cia'
    r = await http.post("/api/v1/customers", json={"name": name}, headers=headers)
    assert r.status_code == 201
    assert r.json()["name"] == name
    assert r.headers["content-type"].startswith("application/json")


async def test_unknown_route_is_404_problem(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    r = await http.get("/api/v1/nothing-here", headers=headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_request_id_is_echoed(http: Any) -> None:
    r = await http.get("/health", headers={"x-request-id": "req-42"})
    assert r.headers["x-request-id"] == "req-42"
    assert (await http.get("/health")).headers["x-request-id"]


async def test_health_reports_database_and_broker(http: Any) -> None:
    r = await http.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["database"]["status"] == "up"
    assert body["broker"]["status"] == "up"
