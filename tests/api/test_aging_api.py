"""Aging report over the API: buckets and totals, drill-down, CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_aging_summary_items_and_exports(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant, "reports:read invoices:read")
    a = await add_customer(services, tenant, name="=HYPERLINK(evil)", segment="retail", region="south")
    b = await add_customer(services, tenant, name="Beta", segment="industry")
    await add_invoice(services, tenant, a.id, amount="100.00", due_date="2026-12-31", issue_date="2026-01-01")
    await add_invoice(services, tenant, a.id, amount="200.00", due_date="2026-11-15", issue_date="2026-01-01")
    await add_invoice(services, tenant, b.id, amount="50.00", due_date="2026-05-01", issue_date="2026-01-01")
    params = {"as_of": "2026-12-31", "group_by": "customer"}
    report = await http.get("/api/v1/reports/aging", params=params, headers=headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["buckets"] == ["current", "1–30", "31–60", "61–90", "91–180", "180+"]
    (total,) = body["totals"]
    assert total["total"] == "350.00" and total["count"] == 3
    cells = {c["bucket"]: c["amount"] for c in total["buckets"]}
    assert cells["current"] == "100.00" and cells["31–60"] == "200.00" and cells["180+"] == "50.00"
    assert sum(Decimal(g["total"]) for g in body["groups"]) == Decimal(total["total"])
    assert body["group_count"] == 2
    top = (await http.get("/api/v1/reports/aging", params={**params, "top": 1}, headers=headers)).json()
    assert [g["total"] for g in top["groups"]] == ["300.00"] and top["group_count"] == 2
    assert top["totals"] == body["totals"]  # the totals still include every group
    by_region = await http.get(
        "/api/v1/reports/aging", params={**params, "group_by": "region"}, headers=headers
    )
    assert {g["key"] for g in by_region.json()["groups"]} == {"south", None}
    items = await http.get(
        "/api/v1/reports/aging/items", params={"as_of": "2026-12-31", "bucket": "31–60"}, headers=headers
    )
    assert [i["open_amount"] for i in items.json()["items"]] == ["200.00"]
    assert items.json()["items"][0]["days_late"] == 46
    bad = await http.get("/api/v1/reports/aging/items", params={"bucket": "nope"}, headers=headers)
    assert bad.status_code == 422

    exported = await http.get(
        "/api/v1/reports/aging/export.csv", params={"as_of": "2026-12-31"}, headers=headers
    )
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["customer_id", "customer", "tax_id"] and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {"'=HYPERLINK(evil)", "Beta"}
    xlsx = await http.get(
        "/api/v1/reports/aging/export.xlsx", params={"as_of": "2026-12-31"}, headers=headers
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 4 and "'=HYPERLINK(evil)" in {v[1] for v in values[1:]}
    assert sorted(float(v[13]) for v in values[1:]) == [50.0, 100.0, 200.0]
