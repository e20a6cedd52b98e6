"""Customer pages: list (search, filters, sort, pages, HTMX partials), page, forms."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login, login_as, post_form

pytestmark = pytest.mark.asyncio(loop_scope="session")

ROW = re.compile(r'<tr data-href="/customers/([0-9a-f-]{36})"')


def listed_ids(html: str) -> list[str]:
    return ROW.findall(html)


async def test_list_pages_by_25_and_sorts_by_the_clicked_column(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    for i in range(30):
        await add_customer(services, tenant, name=f"Cliente {i:02d}")
    await login(http, tenant.admin_email, tenant.admin_password)
    first = await http.get("/customers")
    ids = listed_ids(first.text)
    assert len(ids) == 25
    assert "Cliente 00" in first.text and "Cliente 24" in first.text and "Cliente 25" not in first.text
    assert "1–25 de 30" in first.text  # the tenant is pt-BR
    second = await http.get("/customers?page=2")
    assert len(listed_ids(second.text)) == 5
    assert not set(ids) & set(listed_ids(second.text))
    backwards = await http.get("/customers?sort=name&dir=desc")
    names = re.findall(r'class="rowlink">([^<]+)</a>', backwards.text)
    assert names[:2] == ["Cliente 29", "Cliente 28"]
    # The header link flips the direction and keeps the view in the URL.
    assert 'href="/customers?sort=name&amp;dir=asc"' in backwards.text
    beyond = await http.get("/customers?page=99")
    assert len(listed_ids(beyond.text)) == 5  # the last page, not an empty one


async def test_search_and_filters_narrow_the_list(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await add_customer(services, tenant, name="São Paulo Atacado", segment="Wholesale", region="SP")
    await add_customer(services, tenant, name="Rio Varejo", segment="Retail", region="RJ", status="blocked")
    await add_customer(
        services, tenant, name="Campinas Varejo", segment="Retail", region="SP", external_ref="ERP-77"
    )
    await login(http, tenant.admin_email, tenant.admin_password)
    assert len(listed_ids((await http.get("/customers?q=sao")).text)) == 1
    assert len(listed_ids((await http.get("/customers?segment=Retail")).text)) == 2
    assert len(listed_ids((await http.get("/customers?segment=Retail&region=SP")).text)) == 1
    blocked = await http.get("/customers?status=blocked")
    assert len(listed_ids(blocked.text)) == 1 and "Rio Varejo" in blocked.text
    assert "Campinas" in (await http.get("/customers?q=ERP-77")).text
    none = await http.get("/customers?q=zzzz-nothing")
    assert "No customers match these filters." in none.text
    assert "clear the filters" in none.text


async def test_htmx_gets_only_the_table(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await add_customer(services, tenant, name="Partial Ltda")
    await login(http, tenant.admin_email, tenant.admin_password)
    partial = await http.get("/customers?q=partial", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and "Partial Ltda" in partial.text
    restore = await http.get(
        "/customers?q=partial", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text
    full = await http.get("/customers")
    assert 'hx-push-url="true"' in full.text and 'hx-target="#results"' in full.text


async def test_empty_register_says_what_to_do_next(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/customers")
    assert "No customers yet." in page.text
    assert 'href="/customers/new"' in page.text


async def test_lists_and_pages_never_cross_tenants(http: Any, services: Services) -> None:
    mine = await new_tenant(services)
    theirs = await new_tenant(services)
    own = await add_customer(services, mine, name="Nossa Empresa")
    foreign = await add_customer(services, theirs, name="Empresa Alheia")
    await add_invoice(services, theirs, foreign.id)
    await login(http, mine.admin_email, mine.admin_password)
    listing = await http.get("/customers")
    assert listing.status_code == 200
    assert listed_ids(listing.text) == [str(own.id)]
    assert "Empresa Alheia" not in (await http.get("/customers?q=alheia")).text
    for path in (f"/customers/{foreign.id}", f"/customers/{foreign.id}/edit"):
        response = await http.get(path)
        assert response.status_code == 404
        assert "Empresa Alheia" not in response.text
        assert "<html" in response.text  # a page, not problem+json
    changed = await post_form(http, f"/customers/{foreign.id}", {"name": "Hijacked"})
    assert changed.status_code == 404
    assert (await http.get("/customers/not-a-uuid")).status_code == 404


async def test_html_in_a_name_is_shown_as_text(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    evil = await add_customer(services, tenant, name='<script>alert("x")</script> & Filhos')
    await add_invoice(services, tenant, evil.id)
    await login(http, tenant.admin_email, tenant.admin_password)
    for path in (
        "/customers",
        f"/customers/{evil.id}",
        f"/customers/{evil.id}/edit",
        "/invoices",
        "/invoices/new",
    ):
        page = await http.get(path)
        assert '<script>alert("x")</script>' not in page.text, path
        assert "&lt;script&gt;" in page.text, path


async def test_create_shows_errors_next_to_fields_then_saves(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await login(http, tenant.admin_email, tenant.admin_password)
    bad = await post_form(
        http,
        "/customers",
        {"name": "", "email": "not-an-email", "tax_id": "11.111.111/1111-11", "country": "BR"},
    )
    assert bad.status_code == 422
    assert re.search(r'id="e-name">is required', bad.text)
    assert re.search(r'id="e-email">is not a valid e-mail address', bad.text)
    assert 'id="e-tax_id"' in bad.text
    assert 'value="not-an-email"' in bad.text  # what was typed is kept
    good = await post_form(
        http,
        "/customers",
        {"name": "Nova Ltda", "email": "fin@nova.example.com", "country": "BR", "status": "active"},
    )
    assert good.status_code == 303
    page = await http.get(good.headers["location"])
    assert "Nova Ltda" in page.text and "fin@nova.example.com" in page.text


async def test_edit_changes_the_customer_and_keeps_the_audit(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    customer = await add_customer(services, tenant, name="Antes Ltda")
    await login(http, tenant.admin_email, tenant.admin_password)
    form = await http.get(f"/customers/{customer.id}/edit")
    assert 'value="Antes Ltda"' in form.text
    blank = await post_form(
        http, f"/customers/{customer.id}", {"name": "  ", "country": "BR", "status": "active"}
    )
    assert blank.status_code == 422 and 'id="e-name"' in blank.text
    saved = await post_form(
        http, f"/customers/{customer.id}", {"name": "Depois Ltda", "country": "BR", "status": "blocked"}
    )
    assert saved.status_code == 303
    page = await http.get(f"/customers/{customer.id}")
    assert "Depois Ltda" in page.text and "badge-blocked" in page.text
    audit = await http.get("/admin/audit?entity=customer&action=update")
    assert "Depois Ltda" in audit.text


async def test_customer_page_shows_open_invoices_totals_and_days_late(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    customer = await add_customer(services, tenant, name="Devedora SA")
    await add_invoice(
        services,
        tenant,
        customer.id,
        number="NF-1",
        amount="1000.00",
        issue_date="2019-12-01",
        due_date="2020-01-01",
    )
    await add_invoice(services, tenant, customer.id, number="NF-2", amount="234.56", due_date="2099-01-01")
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get(f"/customers/{customer.id}")
    assert "NF-1" in page.text and "NF-2" in page.text
    assert "R$ 1.234,56" in page.text  # total open, pt-BR
    assert "R$ 1.000,00" in page.text  # overdue
    assert "late-bad" in page.text


async def test_sales_can_read_but_not_change_customers(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    customer = await add_customer(services, tenant, name="Somente Leitura")
    await login_as(http, services, tenant, ["sales"])
    assert (await http.get("/customers")).status_code == 200
    page = await http.get(f"/customers/{customer.id}")
    assert page.status_code == 200
    assert "/edit" not in page.text
    for path in ("/customers/new", f"/customers/{customer.id}/edit"):
        denied = await http.get(path)
        assert denied.status_code == 403
        assert "<html" in denied.text
    assert (await post_form(http, "/customers", {"name": "Nope"})).status_code == 403


async def test_auditor_without_customer_write_cannot_create(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["auditor"])
    assert (await post_form(http, "/customers", {"name": "Nope"})).status_code == 403


async def test_tax_ids_are_shown_formatted_everywhere(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    cnpj = await add_customer(services, tenant, name="Alfa", tax_id="11222333000181", country="BR")
    alnum = await add_customer(services, tenant, name="Beta", tax_id="12.abc.345/01de-35", country="BR")
    cpf = await add_customer(services, tenant, name="Gama", tax_id="123.456.789-09", country="BR")
    await add_customer(services, tenant, name="Delta", tax_id="ABC800101AB1", country="MX")
    await add_customer(services, tenant, name="Epsilon", tax_id="123456789", country="US")
    await login(http, tenant.admin_email, tenant.admin_password)
    listing = (await http.get("/customers")).text
    for shown in ("11.222.333/0001-81", "12.ABC.345/01DE-35", "123.456.789-09", "ABC800101AB1", "12-3456789"):
        assert f'<td class="mono">{shown}</td>' in listing
    assert "11222333000181" not in listing and "12345678909" not in listing
    detail = (await http.get(f"/customers/{alnum.id}")).text
    assert "12.ABC.345/01DE-35" in detail
    assert "123.456.789-09" in (await http.get(f"/customers/{cpf.id}")).text
    form = (await http.get("/invoices/new")).text
    assert "Alfa · 11.222.333/0001-81" in form
    assert cnpj.tax_id == "11222333000181"  # stored plain; only the display is formatted
