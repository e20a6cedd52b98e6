"""The aging page: sign-in redirect, permission, table with totals, drill-down, exports.

The page's routes are not registered in ``app/web/__init__.py`` by this module's
author (the web engineer owns that list), so the test builds the app with them added.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app import web
from app.main import build_app
from app.server.services import Services
from app.web import aging_pages
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login_as

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def page_http(services: Services) -> AsyncIterator[Any]:
    original = web.route_handlers
    registered = {id(h) for h in original()}
    extra = [h for h in aging_pages.ROUTES if id(h) not in registered]
    web.route_handlers = lambda: [*original(), *extra]  # type: ignore[assignment]
    try:
        app = build_app(services=services, start_jobs=False)
    finally:
        web.route_handlers = original  # type: ignore[assignment]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


async def test_aging_page(page_http: Any, services: Services) -> None:
    anonymous = await page_http.get("/reports/aging")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]
    tenant, other = await new_tenant(services), await new_tenant(services)
    c = await add_customer(services, tenant, name="Alfa Ltda")
    await add_invoice(services, tenant, c.id, amount="120.00", due_date="2026-01-10", issue_date="2026-01-01")
    theirs = await add_customer(services, other, name="Outsider SA")
    await add_invoice(
        services, other, theirs.id, amount="999.00", due_date="2026-01-10", issue_date="2026-01-01"
    )

    await login_as(page_http, services, tenant, ["sales"])  # reports:read
    page = await page_http.get("/reports/aging", params={"as_of": "2026-03-01"})
    assert page.status_code == 200, page.text
    assert "Alfa Ltda" in page.text and "Outsider" not in page.text
    drill = await page_http.get(
        "/reports/aging", params={"as_of": "2026-03-01", "customer": str(c.id), "bucket": "31–60"}
    )
    assert "aging-items" in drill.text and "10 de jan. de 2026" in drill.text  # pt-BR date
    assert "R$ 120,00" in drill.text
    csv = await page_http.get("/reports/aging/export.csv", params={"as_of": "2026-03-01"})
    assert csv.status_code == 200 and "Alfa Ltda" in csv.text and "Outsider" not in csv.text
    xlsx = await page_http.get("/reports/aging/export.xlsx", params={"as_of": "2026-03-01"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    await login_as(page_http, services, tenant, ["tenant_admin"])
    assert (await page_http.get("/reports/aging")).status_code == 200


async def test_many_groups_show_the_largest_first_and_totals_include_the_rest(
    page_http: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aging_pages, "TOP_ROWS", 2)
    tenant = await new_tenant(services)
    for name, amount in (("Grande SA", "900.00"), ("Media SA", "500.00"), ("Pequena ME", "100.00")):
        c = await add_customer(services, tenant, name=name)
        await add_invoice(
            services, tenant, c.id, amount=amount, due_date="2026-01-10", issue_date="2026-01-01"
        )
    await login_as(page_http, services, tenant, ["sales"])
    page = (await page_http.get("/reports/aging", params={"as_of": "2026-03-01"})).text
    assert "Grande SA" in page and "Media SA" in page and "Pequena ME" not in page
    assert "R$ 1.500,00" in page  # the total still counts Pequena
    assert 'class="agingbar-seg' in page  # the bucket chart
    everything = (await page_http.get("/reports/aging", params={"as_of": "2026-03-01", "all": "1"})).text
    assert "Pequena ME" in everything
