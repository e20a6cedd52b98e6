"""Report pages: filters in the URL, totals, locale formatting, exports (CSV-injection
safe), "send now" (once per click), permissions and tenant isolation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from app.domain.receivables.payments import PaymentSource
from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.reports_data import installments_of, pay
from tests.support.web import add_user, login, login_as, post_form, sign_out_locally

pytestmark = pytest.mark.asyncio(loop_scope="session")
PAGES = ["/reports/overdue-by-rep", "/reports/inactive-customers", "/reports/cash-receipts"]


async def _data(services: Services, tenant: Any) -> dict[str, Any]:
    evil = await add_customer(
        services, tenant, name='=HYPERLINK("x") <script>alert(1)</script>', sales_rep="Ana", status="blocked"
    )
    calm = await add_customer(services, tenant, name="Calmo Ltda", sales_rep="Bruno")
    await add_invoice(services, tenant, evil.id, number="E-1", due_date="2026-11-01", amount="1234.56")
    await add_invoice(services, tenant, evil.id, number="E-2", due_date="2026-12-01", amount="10.00")
    await add_invoice(services, tenant, calm.id, number="C-2", due_date="2026-11-10", amount="300.00")
    inv = await add_invoice(services, tenant, calm.id, number="C-1", due_date="2026-11-20", amount="300.00")
    [inst] = await installments_of(services, tenant, inv.id)
    await pay(
        services, tenant, "500.00", date(2026, 11, 22), allocations=[(inst, "300.00")], customer_id=calm.id
    )
    await pay(services, tenant, "7.00", date(2026, 11, 22), source=PaymentSource.PIX, payer="Pix Payer")
    return {"evil": evil, "calm": calm}


async def test_pages_need_a_session(http: Any) -> None:
    sign_out_locally(http)
    for url in [*PAGES, "/reports/overdue-by-rep/export.csv"]:
        response = await http.get(url)
        assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


async def test_overdue_by_rep_page_groups_totals_and_escapes(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _data(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/reports/overdue-by-rep?as_of=2026-11-23")
    assert page.status_code == 200
    html = page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "R$ 1.234,56" in html and "R$ 1.534,56" in html  # pt-BR; Ana + Bruno
    assert "Ana" in html and "Bruno" in html and "E-1" in html and "E-2" not in html
    only = await http.get(
        "/reports/overdue-by-rep?as_of=2026-11-23&rep=Bruno", headers={"HX-Request": "true"}
    )
    assert "<html" not in only.text and "C-2" in only.text and "E-1" not in only.text
    assert "C-1" not in only.text  # paid in full
    before = await http.get("/reports/overdue-by-rep?as_of=2026-10-01")
    assert "Fila limpa — nada vencido." in before.text  # pt-BR tenant


async def test_inactive_customers_page_and_window(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await _data(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/reports/inactive-customers?as_of=2026-11-23&days=30")
    assert "E-1" in page.text and "E-2" in page.text and "C-1" not in page.text  # Calmo is active
    assert "$1,234.56" in page.text or "R$1,234.56" in page.text
    narrow = await http.get("/reports/inactive-customers?as_of=2026-11-23&days=3")
    assert "E-1" in narrow.text and "E-2" not in narrow.text
    none = await http.get("/reports/inactive-customers?as_of=2026-11-23&status=inactive")
    assert "No inactive customer owes anything" in none.text


async def test_cash_receipts_page_shows_groups_allocations_and_unapplied(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    await _data(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    html = (await http.get("/reports/cash-receipts?date=2026-11-22")).text
    assert "C-1" in html and "R$ 300,00" in html and "R$ 507,00" in html  # allocation and day total
    assert "R$ 207,00" in html  # unapplied: 200 of the manual payment + 7 of the PIX one
    assert "Pix Payer" in html
    pix_only = (await http.get("/reports/cash-receipts?date=2026-11-22&method=pix")).text
    assert "Pix Payer" in pix_only and "C-1" not in pix_only
    empty = (await http.get("/reports/cash-receipts?date=2026-11-20")).text
    assert "Nenhum recebimento neste dia." in empty


async def test_exports_are_complete_and_injection_safe(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _data(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    response = await http.get("/reports/overdue-by-rep/export.csv?as_of=2026-11-23")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="overdue-by-rep-2026-11-23.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["sales_rep", "customer", "customer_status"]
    names = {r[1] for r in rows[1:]}
    assert '\'=HYPERLINK("x") <script>alert(1)</script>' in names and "Calmo Ltda" in names
    assert {r[-1] for r in rows[1:]} == {"1234.56", "300.00"}
    xlsx = await http.get("/reports/cash-receipts/export.xlsx?date=2026-11-22")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "value_date" and len(values) == 4  # header, allocation, 2 unapplied
    inactive = await http.get("/reports/inactive-customers/export.xlsx?as_of=2026-11-23")
    cells = [c for row in load_workbook(io.BytesIO(inactive.content)).active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)  # the "=HYPERLINK" name is not a formula
    assert (await http.get("/reports/cash-receipts/export.pdf")).status_code == 404


async def test_send_now_mails_once_per_click_and_needs_finance(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await _data(services, tenant)
    await add_user(services, tenant, ["finance"], email=f"fin@{tenant.slug}.example.com")
    await add_user(services, tenant, ["sales"], email="ana@example.com")
    await login_as(http, services, tenant, ["sales"])
    denied = await post_form(http, "/reports/cash-receipts/send", {"date": "2026-11-22", "send_id": "x"})
    assert denied.status_code == 403
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/reports/cash-receipts?date=2026-11-22")
    send_id = re.search(r'name="send_id" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    for _ in range(2):  # a double click
        sent = await post_form(
            http, "/reports/cash-receipts/send", {"date": "2026-11-22", "send_id": send_id}
        )
        assert sent.status_code == 303 and "sent=1-0-0" in sent.headers["location"]
    mailbox = await http.get("/mailbox")
    assert mailbox.text.count('data-href="/mailbox/') == 1  # one finance user, one message
    # The reps "Ana" and "Bruno" match no user's e-mail or name and have no mapping:
    # nobody receives their list, and the banner says how many were left out.
    rep = await post_form(http, "/reports/overdue-by-rep/send", {"as_of": "2026-11-23", "send_id": "abc"})
    assert rep.status_code == 303 and "sent=0-0-" in rep.headers["location"]


async def test_other_tenants_rows_never_show(http: Any, services: Services) -> None:
    other = await new_tenant(services)
    await _data(services, other)
    mine = await new_tenant(services, locale="en-US")
    await login(http, mine.admin_email, mine.admin_password)
    for url in [
        "/reports/overdue-by-rep?as_of=2026-11-23",
        "/reports/inactive-customers?as_of=2026-11-23",
        "/reports/cash-receipts?date=2026-11-22",
    ]:
        text = (await http.get(url)).text
        assert "Calmo" not in text and "HYPERLINK" not in text and "C-1" not in text and "C-2" not in text
    rows = (await http.get("/reports/overdue-by-rep/export.csv?as_of=2026-11-23")).content.decode("utf-8-sig")
    assert rows.strip().count("\n") == 0  # the header only
