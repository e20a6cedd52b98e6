"""The invoice page lists its installments with late charges computed as of today from
the tenant policy, the ledger entries that touched each one, and the change-request
form (credit note, adjustment, write-off) behind the permission the API asks for."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.adapters.db.repositories.receivables import installment_of
from app.domain.receivables.late_charges import charges_as_of
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.shared.clock import SystemClock
from app.domain.shared.money import Money
from app.server.services import Services
from app.web import format as fmt
from app.web.i18n import CATALOGUE
from app.web.i18n_payments import PAYMENTS
from app.web.invoice_installments import REASON_LABELS
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login, login_as, post_form

pytestmark = pytest.mark.asyncio(loop_scope="session")


def cell(html: str, installment_id: Any, marker: str) -> str:
    row = re.search(rf'<tr data-installment="{installment_id}">(.*?)</tr>', html, re.S)
    assert row, f"no row for installment {installment_id}"
    found = re.search(rf"<td[^>]*{marker}[^>]*>(.*?)</td>", row.group(1), re.S)
    assert found, marker
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


async def installment_rows(services: Services, tenant: Any, invoice_id: Any) -> list[Any]:
    from app.server.auth import system_principal

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        return list(await uow.installments.for_invoice(invoice_id))


async def test_invoice_page_shows_installments_with_charges_as_of_today(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    customer = await add_customer(services, tenant, name="Late Co")
    invoice = await add_invoice(
        services,
        tenant,
        customer.id,
        amount="900.00",
        currency="USD",
        issue_date="2020-01-01",
        due_date="",
        terms="30/60/90",
    )
    rows = await installment_rows(services, tenant, invoice.id)
    assert [r.number_index for r in rows] == [1, 2, 3]
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get(f"/invoices/{invoice.id}")
    assert page.status_code == 200, page.text
    today = SystemClock().today("America/Sao_Paulo")
    policy = ReceivablesPolicy("USD")  # the defaults: 2 % fine, 1 % a month interest
    for r in rows:
        c = charges_as_of(installment_of(r), policy.late_charges, today, principal=Money.of("300.00", "USD"))
        assert c.fine == Money.of("6.00", "USD")
        assert cell(page.text, r.id, "data-fine") == fmt.money(c.fine, "en-US") == "$6.00"
        assert cell(page.text, r.id, "data-interest") == fmt.money(c.interest, "en-US")
        assert cell(page.text, r.id, "data-total-due") == fmt.money(c.total_due, "en-US")
    assert re.search(r'class="mono"><a href="#inst-[^"]+">1/3</a>', page.text)
    assert "badge-overdue" in page.text
    # Nothing has moved yet: the empty state says so.
    assert "No payment, credit or write-off has touched this installment yet." in page.text


async def test_credit_note_under_the_threshold_is_applied_and_listed(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)  # pt-BR, BRL; threshold 1.000,00
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id, amount="500.00", due_date="2099-01-10")
    (inst,) = await installment_rows(services, tenant, invoice.id)
    await login_as(http, services, tenant, ["finance"])
    url = f"/invoices/{invoice.id}/installments/{inst.id}/changes"
    missing = await post_form(http, url, {"kind": "credit_note", "amount": "10,00", "reason": ""})
    assert missing.status_code == 422 and "informe um motivo" in missing.text
    wrong = await post_form(http, url, {"kind": "credit_note", "amount": "10,00", "reason": "rounding"})
    assert wrong.status_code == 422
    done = await post_form(http, url, {"kind": "credit_note", "amount": "10,00", "reason": "returned_goods"})
    assert done.status_code == 303 and "notice=change_applied" in done.headers["location"]
    page = await http.get(f"/invoices/{invoice.id}")
    assert "nota de crédito" in page.text and "Mercadoria devolvida" in page.text
    assert "R$ 490,00" in page.text  # open amount after the credit
    too_much = await post_form(
        http, url, {"kind": "credit_note", "amount": "900,00", "reason": "returned_goods"}
    )
    assert too_much.status_code == 409


async def test_write_off_and_change_need_invoice_rights(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id, amount="50.00")
    (inst,) = await installment_rows(services, tenant, invoice.id)
    await login_as(http, services, tenant, ["collector"])
    page = await http.get(f"/invoices/{invoice.id}")
    assert page.status_code == 200 and "/changes" not in page.text
    denied = await post_form(
        http,
        f"/invoices/{invoice.id}/installments/{inst.id}/changes",
        {"kind": "write_off", "reason": "small_balance"},
    )
    assert denied.status_code == 403


async def test_another_tenants_invoice_installment_and_documents_are_404(
    http: Any, services: Services
) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    own_customer = await add_customer(services, mine)
    own = await add_invoice(services, mine, own_customer.id)
    (own_inst,) = await installment_rows(services, mine, own.id)
    customer = await add_customer(services, theirs)
    foreign = await add_invoice(services, theirs, customer.id, number="THEIRS-9")
    (inst,) = await installment_rows(services, theirs, foreign.id)
    await login(http, mine.admin_email, mine.admin_password)
    for path in (
        f"/invoices/{foreign.id}",
        f"/installments/{inst.id}/boleto.pdf",
        f"/installments/{inst.id}/pix",
        f"/installments/{inst.id}/pix.png",
    ):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert "THEIRS-9" not in response.text
    data = {"kind": "credit_note", "amount": "1,00", "reason": "returned_goods"}
    for url in (
        f"/invoices/{foreign.id}/installments/{inst.id}/changes",
        # Their installment under my invoice is no installment of mine either.
        f"/invoices/{own.id}/installments/{inst.id}/changes",
    ):
        assert (await post_form(http, url, data)).status_code == 404, url
    assert (await http.get(f"/invoices/{own.id}")).status_code == 200
    assert own_inst.id != inst.id


async def test_documents_without_a_bank_account_say_what_to_set_up(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id)
    (inst,) = await installment_rows(services, tenant, invoice.id)
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get(f"/invoices/{invoice.id}")
    assert f"/installments/{inst.id}/boleto.pdf" not in page.text  # no account: no broken link
    response = await http.get(f"/installments/{inst.id}/boleto.pdf")
    assert response.status_code == 422 and "register a bank account first" in response.text


async def test_every_reason_label_and_text_of_these_pages_is_translated() -> None:
    assert all(label in CATALOGUE for label in REASON_LABELS.values())
    # Importing the web package installs the texts of these pages into the catalogue.
    for english in PAYMENTS:
        assert english in CATALOGUE, english
