"""Invoice pages: list filters and sorts, invoice page, forms, locale formatting."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login, login_as, post_form

pytestmark = pytest.mark.asyncio(loop_scope="session")

ROW = re.compile(r'<tr data-href="/invoices/([0-9a-f-]{36})"')


def numbers(html: str) -> list[str]:
    return re.findall(r'class="rowlink mono" href="/invoices/[^"]+">([^<]+)</a>', html)


async def _seed(services: Services, tenant: Any) -> Any:
    customer = await add_customer(services, tenant, name="Cliente Um")
    other = await add_customer(services, tenant, name="Cliente Dois")
    await add_invoice(
        services,
        tenant,
        customer.id,
        number="A-1",
        amount="50.00",
        issue_date="2020-01-01",
        due_date="2020-02-01",
    )
    await add_invoice(
        services,
        tenant,
        customer.id,
        number="A-2",
        amount="700.00",
        issue_date="2099-01-01",
        due_date="2099-02-01",
    )
    await add_invoice(
        services,
        tenant,
        other.id,
        number="B-1",
        amount="10.00",
        issue_date="2099-01-01",
        due_date="2099-03-01",
    )
    return customer


async def test_list_filters_by_status_customer_and_due_dates(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    customer = await _seed(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    assert numbers((await http.get("/invoices")).text) == ["A-1", "A-2", "B-1"]
    assert numbers((await http.get("/invoices?status=overdue")).text) == ["A-1"]
    assert numbers((await http.get(f"/invoices?customer={customer.id}")).text) == ["A-1", "A-2"]
    assert numbers((await http.get("/invoices?due_from=2099-01-15&due_to=2099-02-15")).text) == ["A-2"]
    assert numbers((await http.get("/invoices?q=dois")).text) == ["B-1"]
    assert numbers((await http.get("/invoices?status=paid")).text) == []
    assert "Cliente Um" in (await http.get(f"/invoices?customer={customer.id}")).text
    # Garbage in the URL falls back to defaults instead of failing.
    assert (
        await http.get("/invoices?status=bogus&due_from=yesterday&sort=evil&customer=x")
    ).status_code == 200


async def test_list_sorts_by_amount_number_and_due_date(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await _seed(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    assert numbers((await http.get("/invoices?sort=amount&dir=desc")).text) == ["A-2", "A-1", "B-1"]
    assert numbers((await http.get("/invoices?sort=number&dir=desc")).text) == ["B-1", "A-2", "A-1"]
    assert numbers((await http.get("/invoices?sort=due&dir=desc")).text) == ["B-1", "A-2", "A-1"]
    partial = await http.get("/invoices?sort=amount", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and numbers(partial.text) == ["B-1", "A-1", "A-2"]


async def test_invoice_page_shows_amounts_and_days_late(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)  # pt-BR, BRL
    customer = await add_customer(services, tenant, name="Atrasada Ltda")
    invoice = await add_invoice(
        services, tenant, customer.id, amount="1234.56", issue_date="2020-01-01", due_date="2020-01-10"
    )
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get(f"/invoices/{invoice.id}")
    assert page.status_code == 200
    assert "R$ 1.234,56" in page.text
    assert "10 de jan. de 2020" in page.text  # pt-BR medium date
    assert "dias de atraso" in page.text
    assert "Atrasada Ltda" in page.text


async def test_home_figures_link_to_their_lists_in_the_tenant_locale(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    customer = await add_customer(services, tenant, name="Late Inc", status="blocked")
    await add_invoice(
        services,
        tenant,
        customer.id,
        amount="1234.56",
        currency="USD",
        issue_date="2020-01-01",
        due_date="2020-01-10",
    )
    await login(http, tenant.admin_email, tenant.admin_password)
    home = await http.get("/")
    assert "$1,234.56" in home.text
    assert 'href="/invoices?status=overdue"' in home.text
    assert 'href="/customers?status=blocked"' in home.text
    assert 'href="/invoices?status=unpaid"' in home.text


async def test_lists_and_pages_never_cross_tenants(http: Any, services: Services) -> None:
    mine = await new_tenant(services)
    theirs = await new_tenant(services)
    own_customer = await add_customer(services, mine)
    await add_invoice(services, mine, own_customer.id, number="MINE-1")
    foreign_customer = await add_customer(services, theirs)
    foreign = await add_invoice(services, theirs, foreign_customer.id, number="THEIRS-1")
    await login(http, mine.admin_email, mine.admin_password)
    assert numbers((await http.get("/invoices")).text) == ["MINE-1"]
    assert numbers((await http.get(f"/invoices?customer={foreign_customer.id}")).text) == []
    for path in (f"/invoices/{foreign.id}", f"/invoices/{foreign.id}/edit"):
        response = await http.get(path)
        assert response.status_code == 404 and "THEIRS-1" not in response.text
    changed = await post_form(http, f"/invoices/{foreign.id}", {"description": "hijack"})
    assert changed.status_code == 404
    # Creating an invoice for another tenant's customer is "no such customer".
    created = await post_form(
        http,
        "/invoices",
        {
            "customer_id": str(foreign_customer.id),
            "number": "X-1",
            "issue_date": "2026-01-01",
            "due_date": "2026-02-01",
            "amount": "10,00",
        },
    )
    assert created.status_code == 422 and "cliente não encontrado" in created.text
    home = await http.get("/")
    assert "THEIRS" not in home.text


async def test_create_invoice_with_inline_errors_then_saved(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)  # pt-BR: amounts typed the Brazilian way
    customer = await add_customer(services, tenant, name="Compradora")
    await login(http, tenant.admin_email, tenant.admin_password)
    form = await http.get(f"/invoices/new?customer={customer.id}")
    assert 'value="BRL"' in form.text
    assert f'<option value="{customer.id}" selected' in form.text
    data = {
        "customer_id": str(customer.id),
        "number": "NF-100",
        "issue_date": "2026-03-10",
        "due_date": "2026-03-01",
        "amount": "abc",
        "currency": "BRL",
    }
    bad = await post_form(http, "/invoices", data)
    assert bad.status_code == 422
    assert re.search(r'id="e-due_date">deve ser igual ou posterior à emissão', bad.text)
    assert 'id="e-amount"' in bad.text
    assert 'value="NF-100"' in bad.text
    good = await post_form(http, "/invoices", {**data, "due_date": "2026-04-10", "amount": "1.234,56"})
    assert good.status_code == 303
    page = await http.get(good.headers["location"])
    assert "NF-100" in page.text and "R$ 1.234,56" in page.text
    duplicate = await post_form(http, "/invoices", {**data, "due_date": "2026-04-10", "amount": "5"})
    assert duplicate.status_code == 409 and 'id="e-number"' in duplicate.text


async def test_edit_invoice_changes_only_what_was_touched(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id, amount="1500.00", currency="USD")
    await login(http, tenant.admin_email, tenant.admin_password)
    form = await http.get(f"/invoices/{invoice.id}/edit")
    assert 'value="1500.00"' in form.text
    base = {
        "issue_date": "2026-10-01",
        "due_date": "2026-10-31",
        "amount": "1500.00",
        "external_ref": "",
        "description": "",
    }
    bad = await post_form(http, f"/invoices/{invoice.id}", {**base, "due_date": "2026-09-01"})
    assert bad.status_code == 422 and 'id="e-due_date"' in bad.text
    saved = await post_form(
        http, f"/invoices/{invoice.id}", {**base, "amount": "1,750.25", "description": "Lote 7"}
    )
    assert saved.status_code == 303
    page = await http.get(f"/invoices/{invoice.id}")
    assert "$1,750.25" in page.text and "Lote 7" in page.text
    cancelled = await post_form(
        http, f"/invoices/{invoice.id}", {**base, "amount": "1750.25", "cancel": "yes"}
    )
    assert cancelled.status_code == 303
    assert "badge-cancelled" in (await http.get(f"/invoices/{invoice.id}")).text


async def test_es_mx_formats_pesos_and_spanish_labels(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="es-MX", currency="MXN", timezone="America/Mexico_City")
    customer = await add_customer(services, tenant, name="Cliente MX", country="MX")
    await add_invoice(services, tenant, customer.id, amount="98765.40", currency="MXN")
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/invoices")
    assert "$98,765.40" in page.text
    assert "Facturas" in page.text and "Vencimiento" in page.text


async def test_roles_without_invoice_rights(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id)
    await login_as(http, services, tenant, ["sales"])
    assert (await http.get("/invoices")).status_code == 200
    assert (await http.get(f"/invoices/{invoice.id}")).status_code == 200
    assert (await http.get("/invoices/new")).status_code == 403
    assert (await http.get(f"/invoices/{invoice.id}/edit")).status_code == 403
    assert (await post_form(http, f"/invoices/{invoice.id}", {"description": "x"})).status_code == 403
    await login_as(http, services, tenant, ["collector"])  # customers:write but not invoices:write
    assert (await http.get("/invoices/new")).status_code == 403
