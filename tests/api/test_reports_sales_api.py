"""/api/v1/reports: inactive customers, overdue by rep, cash receipts — JSON pages,
exports, scopes, tenant isolation."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from app.domain.receivables.payments import PaymentSource
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, api_headers, new_tenant
from tests.support.reports_data import installments_of, pay

pytestmark = pytest.mark.asyncio(loop_scope="session")
READ = "reports:read"
URLS = [
    "/api/v1/reports/inactive-customers",
    "/api/v1/reports/inactive-customers/export.csv",
    "/api/v1/reports/inactive-customers/export.xlsx",
    "/api/v1/reports/overdue-by-rep",
    "/api/v1/reports/overdue-by-rep/export.csv",
    "/api/v1/reports/overdue-by-rep/export.xlsx",
    "/api/v1/reports/cash-receipts",
    "/api/v1/reports/cash-receipts/export.csv",
    "/api/v1/reports/cash-receipts/export.xlsx",
]


async def _seed(services: Services, tenant: TenantInfo) -> None:
    for i in range(3):
        c = await add_customer(services, tenant, name=f"Inativo {i}", status="inactive", sales_rep="Ana")
        await add_invoice(services, tenant, c.id, number=f"I-{i}", due_date="2026-11-01", amount="10.00")
    b = await add_customer(services, tenant, name="Bruno Cliente", sales_rep="Bruno")
    inv = await add_invoice(services, tenant, b.id, number="B-1", due_date="2026-11-20", amount="99.99")
    [inst] = await installments_of(services, tenant, inv.id)
    await pay(services, tenant, "50.00", date(2026, 11, 22), allocations=[(inst, "40.00")], customer_id=b.id)
    await pay(services, tenant, "5.55", date(2026, 11, 22), source=PaymentSource.PIX)


async def test_scopes_and_authentication(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    no_reports = await api_headers(http, services, tenant, "customers:read")
    for url in URLS:
        assert (await http.get(url)).status_code == 401
        denied = await http.get(url, headers=no_reports)
        assert denied.status_code == 403 and "reports:read" in denied.json()["detail"]


async def test_inactive_customers_pages_with_cursor(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    headers = await api_headers(http, services, tenant, READ)
    first = (
        await http.get("/api/v1/reports/inactive-customers?as_of=2026-11-23&limit=2", headers=headers)
    ).json()
    assert first["as_of"] == "2026-11-23" and first["upcoming_until"] == "2026-12-23"
    assert first["totals"] == {
        "customers": 3,
        "overdue": [{"currency": "BRL", "amount": "30.00"}],
        "upcoming": [{"currency": "BRL", "amount": "0.00"}],
    }
    assert [c["name"] for c in first["items"]] == ["Inativo 0", "Inativo 1"]
    line = first["items"][0]["installments"][0]
    assert (line["invoice_number"], line["days_late"], line["situation"], line["open_amount"]) == (
        "I-0",
        22,
        "overdue",
        "10.00",
    )
    rest = await http.get(
        f"/api/v1/reports/inactive-customers?as_of=2026-11-23&limit=2&cursor={first['next_cursor']}",
        headers=headers,
    )
    assert [c["name"] for c in rest.json()["items"]] == ["Inativo 2"] and rest.json()["next_cursor"] is None
    bad = await http.get("/api/v1/reports/inactive-customers?cursor=%%%", headers=headers)
    assert bad.status_code in (400, 422)
    assert (await http.get("/api/v1/reports/inactive-customers?days=999", headers=headers)).status_code in (
        400,
        422,
    )


async def test_overdue_by_rep_and_exports(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    headers = await api_headers(http, services, tenant, READ)
    body = (await http.get("/api/v1/reports/overdue-by-rep?as_of=2026-11-23", headers=headers)).json()
    assert [(r["sales_rep"], r["customers"], r["overdue"][0]["amount"]) for r in body["reps"]] == [
        ("Ana", 3, "30.00"),
        ("Bruno", 1, "59.99"),
    ]
    assert [c["sales_rep"] for c in body["items"]] == ["Ana", "Ana", "Ana", "Bruno"]
    only = (
        await http.get("/api/v1/reports/overdue-by-rep?as_of=2026-11-23&rep=Bruno", headers=headers)
    ).json()
    assert [c["name"] for c in only["items"]] == ["Bruno Cliente"] and len(only["reps"]) == 1
    exported = await http.get("/api/v1/reports/overdue-by-rep/export.csv?as_of=2026-11-23", headers=headers)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 5 and rows[-1][1] == "Bruno Cliente" and rows[-1][-1] == "59.99"
    xlsx = await http.get("/api/v1/reports/overdue-by-rep/export.xlsx?as_of=2026-11-23", headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5


async def test_cash_receipts_json(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    headers = await api_headers(http, services, tenant, READ)
    body = (await http.get("/api/v1/reports/cash-receipts?date=2026-11-22&limit=1", headers=headers)).json()
    assert body["date"] == "2026-11-22" and body["totals"]["count"] == 2
    assert body["totals"]["amount"] == [{"currency": "BRL", "amount": "55.55"}]
    assert body["totals"]["allocated"] == [{"currency": "BRL", "amount": "40.00"}]
    assert body["totals"]["unapplied"] == [{"currency": "BRL", "amount": "15.55"}]
    assert {(g["method"], g["bank_account"]) for g in body["groups"]} == {("manual", None), ("pix", None)}
    nxt = await http.get(
        f"/api/v1/reports/cash-receipts?date=2026-11-22&limit=1&cursor={body['next_cursor']}", headers=headers
    )
    items = body["items"] + nxt.json()["items"]
    manual = next(i for i in items if i["method"] == "manual")
    assert (
        manual["allocations"][0]["invoice_number"] == "B-1" and manual["allocations"][0]["amount"] == "40.00"
    )
    assert manual["unapplied"] == "10.00" and manual["customer_name"] == "Bruno Cliente"
    assert nxt.json()["next_cursor"] is None


async def test_another_tenant_sees_nothing(http: Any, services: Services) -> None:
    other = await new_tenant(services)
    await _seed(services, other)
    mine = await new_tenant(services)
    headers = await api_headers(http, services, mine, READ)
    assert (await http.get("/api/v1/reports/inactive-customers?as_of=2026-11-23", headers=headers)).json()[
        "items"
    ] == []
    assert (await http.get("/api/v1/reports/overdue-by-rep?as_of=2026-11-23", headers=headers)).json()[
        "reps"
    ] == []
    cash = (await http.get("/api/v1/reports/cash-receipts?date=2026-11-22", headers=headers)).json()
    assert cash["items"] == [] and cash["totals"]["count"] == 0
    text = (await http.get("/api/v1/reports/cash-receipts/export.csv?date=2026-11-22", headers=headers)).text
    assert text.strip().count("\n") == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
async def test_a_day_no_report_can_be_made_for_is_refused_before_anything_streams(
    http: Any, services: Services, day: str
) -> None:
    """With overdue data present, a report for year 1 used to overflow computing the day
    before, after the CSV's header had gone out: a broken response, not an error."""
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    headers = await api_headers(http, services, tenant, READ)
    for url in [*URLS, "/api/v1/reports/aging", "/api/v1/reports/aging/export.csv"]:
        param = "date" if "cash-receipts" in url else "as_of"
        response = await http.get(f"{url}?{param}={day}", headers=headers)
        assert response.status_code == 422, (url, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert param in response.text
