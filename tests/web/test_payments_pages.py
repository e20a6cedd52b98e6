"""Payment pages over HTTP through the real app: list filters, the manual-payment form
and its one-time key, allocate / reverse / refund through the use cases, permissions
and tenant isolation."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login, login_as, post_form

pytestmark = pytest.mark.asyncio(loop_scope="session")

ROW = re.compile(r'<tr data-href="/payments/([0-9a-f-]{36})"')
KEY = re.compile(r'name="key" value="([0-9a-f-]{36})"')


async def installments(services: Services, tenant: Any, invoice_id: uuid.UUID) -> list[Any]:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        return list(await uow.installments.for_invoice(invoice_id))


async def open_minor(services: Services, tenant: Any, installment_id: uuid.UUID) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await uow.installments.get_row(installment_id)
        assert row is not None
        return row.open_minor


async def record(http: Any, customer_id: Any, amount: str, reference: str, **extra: str) -> Any:
    form = await http.get("/payments/new")
    assert form.status_code == 200, form.text
    match = KEY.search(form.text)
    assert match, "the form carries no one-time key"
    data = {
        "key": match.group(1),
        "customer_id": str(customer_id) if customer_id else "",
        "amount": amount,
        "value_date": "2026-10-15",
        "reference": reference,
        **extra,
    }
    return data, await post_form(http, "/payments", data)


def payment_id(response: Any) -> str:
    assert response.status_code == 303, response.text
    match = re.match(r"/payments/([0-9a-f-]{36})", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


async def test_manual_payment_submitted_twice_with_the_same_key_is_one_payment(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)  # pt-BR: amounts typed the Brazilian way
    customer = await add_customer(services, tenant, name="Pagadora")
    await login_as(http, services, tenant, ["finance"])
    data, first = await record(http, customer.id, "1.234,56", "TED 42")
    pid = payment_id(first)
    assert "notice=recorded" in first.headers["location"]
    again = await post_form(http, "/payments", data)
    assert payment_id(again) == pid and "notice=already_recorded" in again.headers["location"]
    listed = await http.get("/payments")
    assert ROW.findall(listed.text) == [pid]
    page = await http.get(f"/payments/{pid}")
    assert "R$ 1.234,56" in page.text and "TED 42" in page.text and "Pagadora" in page.text
    # The same key with different money is a caller's mistake, shown on the form.
    clash = await post_form(http, "/payments", {**data, "amount": "5,00"})
    assert clash.status_code == 409
    assert ROW.findall((await http.get("/payments")).text) == [pid]
    # A fresh form is a new key: a second, separate payment.
    _, other = await record(http, customer.id, "10,00", "TED 43")
    assert payment_id(other) != pid
    bad = await post_form(
        http, "/payments", {**data, "key": str(uuid.uuid4()), "amount": "abc", "reference": ""}
    )
    assert bad.status_code == 422 and 'id="e-amount"' in bad.text and 'id="e-reference"' in bad.text


async def test_allocate_then_reverse_with_a_reason_restores_the_open_amount(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(
        services, tenant, customer.id, amount="300.00", currency="USD", due_date="2099-01-10"
    )
    (inst,) = await installments(services, tenant, invoice.id)
    await login_as(http, services, tenant, ["finance"])
    _, created = await record(http, customer.id, "250.00", "WIRE-7")
    pid = payment_id(created)
    page = await http.get(f"/payments/{pid}")
    assert f'name="amount_{inst.id}"' in page.text  # the customer's open installment to allocate to
    allocated = await post_form(
        http, f"/payments/{pid}/allocations", {"strategy": "lines", f"amount_{inst.id}": "200.00"}
    )
    assert allocated.status_code == 303, allocated.text
    assert await open_minor(services, tenant, inst.id) == 10000
    page = await http.get(f"/payments/{pid}")
    assert re.search(r"data-unapplied>\$50\.00<", page.text)
    entry = re.search(r"/allocations/([0-9a-f-]{36})/reverse", page.text)
    assert entry, "no reverse action on the allocation"
    url = f"/payments/{pid}/allocations/{entry.group(1)}/reverse"
    no_reason = await post_form(http, url, {"reason": "", "note": ""})
    assert no_reason.status_code == 422 and "a reason is required" in no_reason.text
    assert await open_minor(services, tenant, inst.id) == 10000
    reversed_ = await post_form(http, url, {"reason": "misapplied", "note": "wrong invoice"})
    assert reversed_.status_code == 303
    assert await open_minor(services, tenant, inst.id) == 30000
    page = await http.get(f"/payments/{pid}")
    assert "badge-reversed" in page.text and re.search(r"data-unapplied>\$250\.00<", page.text)
    assert "/reverse" not in page.text  # a reversed allocation cannot be reversed again
    twice = await post_form(http, url, {"reason": "misapplied"})
    assert twice.status_code == 409
    # The invoice page shows the allocation and its reversal, linked to the payment.
    invoice_page = await http.get(f"/invoices/{invoice.id}")
    assert f'href="/payments/{pid}"' in invoice_page.text and "badge-reversed" in invoice_page.text
    # Oldest first, then a refund of what is left.
    oldest = await post_form(http, f"/payments/{pid}/allocations", {"strategy": "oldest_first"})
    assert oldest.status_code == 303
    assert await open_minor(services, tenant, inst.id) == 5000
    page = await http.get(f"/payments/{pid}")
    assert "badge-applied" in page.text
    # Nothing unapplied is left: there is nothing to refund.
    refused = await post_form(http, f"/payments/{pid}/refunds", {"amount": "1.00", "reason": "overpaid"})
    assert refused.status_code in (409, 422)


async def test_refund_unapplied_cash_and_list_filters(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    customer = await add_customer(services, tenant, name="Filter Co")
    other = await add_customer(services, tenant, name="Other Co")
    await login(http, tenant.admin_email, tenant.admin_password)
    _, a = await record(http, customer.id, "100.00", "REF-A")
    _, b = await record(http, other.id, "40.00", "REF-B")
    pa, pb = payment_id(a), payment_id(b)
    no_reason = await post_form(http, f"/payments/{pa}/refunds", {"amount": "30.00", "reason": ""})
    assert no_reason.status_code == 422
    refunded = await post_form(http, f"/payments/{pa}/refunds", {"amount": "100.00", "reason": "sent back"})
    assert refunded.status_code == 303
    page = await http.get(f"/payments/{pa}")
    assert "sent back" in page.text and "badge-refunded" in page.text
    assert "refund" in page.text and 'id="audit"' in page.text  # the audit trail of the payment
    assert ROW.findall((await http.get("/payments?status=with_cash")).text) == [pb]
    assert ROW.findall((await http.get("/payments?status=refunded")).text) == [pa]
    assert ROW.findall((await http.get(f"/payments?customer={customer.id}")).text) == [pa]
    assert ROW.findall((await http.get("/payments?q=REF-B")).text) == [pb]
    assert ROW.findall((await http.get("/payments?source=pix")).text) == []
    assert ROW.findall((await http.get("/payments?from=2026-10-16")).text) == []
    assert ROW.findall((await http.get("/payments?sort=amount&dir=asc")).text) == [pb, pa]
    partial = await http.get("/payments?sort=amount&dir=desc", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and ROW.findall(partial.text) == [pa, pb]
    assert (await http.get("/payments?status=bogus&from=x&sort=evil&customer=y")).status_code == 200
    customer_page = await http.get(f"/customers/{customer.id}")
    assert f'href="/payments?customer={customer.id}"' in customer_page.text


async def test_a_collector_without_payment_rights_gets_403(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    customer = await add_customer(services, tenant)
    await login(http, tenant.admin_email, tenant.admin_password)
    _, created = await record(http, customer.id, "10,00", "X")
    pid = payment_id(created)
    await login_as(http, services, tenant, ["collector"])  # payments:read, not payments:write
    assert (await http.get("/payments")).status_code == 200
    page = await http.get(f"/payments/{pid}")
    assert page.status_code == 200 and "/allocations" not in page.text and "/refunds" not in page.text
    assert (await http.get("/payments/new")).status_code == 403
    for url, data in (
        (
            "/payments",
            {"key": str(uuid.uuid4()), "amount": "1,00", "value_date": "2026-10-01", "reference": "y"},
        ),
        (f"/payments/{pid}/allocations", {"strategy": "oldest_first"}),
        (f"/payments/{pid}/refunds", {"amount": "1,00", "reason": "z"}),
        (f"/payments/{pid}/allocations/{uuid.uuid4()}/reverse", {"reason": "misapplied"}),
    ):
        assert (await post_form(http, url, data)).status_code == 403, url
    await login_as(http, services, tenant, ["sales"])  # no payments:read at all
    assert (await http.get("/payments")).status_code == 403
    assert (await http.get(f"/payments/{pid}")).status_code == 403
    assert 'href="/payments"' not in (await http.get("/")).text


async def test_another_tenants_payment_is_404_on_every_page_and_action(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    their_customer = await add_customer(services, theirs)
    their_invoice = await add_invoice(services, theirs, their_customer.id, amount="10.00")
    (their_inst,) = await installments(services, theirs, their_invoice.id)
    await login(http, theirs.admin_email, theirs.admin_password)
    _, created = await record(http, their_customer.id, "10,00", "THEIRS-REF")
    pid = payment_id(created)
    done = await post_form(
        http, f"/payments/{pid}/allocations", {"strategy": "lines", f"amount_{their_inst.id}": "10,00"}
    )
    assert done.status_code == 303
    entry = re.search(r"/allocations/([0-9a-f-]{36})/reverse", (await http.get(f"/payments/{pid}")).text)
    assert entry

    await login(http, mine.admin_email, mine.admin_password)
    assert ROW.findall((await http.get("/payments")).text) == []
    assert ROW.findall((await http.get(f"/payments?customer={their_customer.id}")).text) == []
    for path in (f"/payments/{pid}", f"/payments/{pid}?customer={their_customer.id}"):
        response = await http.get(path)
        assert response.status_code == 404 and "THEIRS-REF" not in response.text
    for url, data in (
        (f"/payments/{pid}/allocations", {"strategy": "oldest_first"}),
        (f"/payments/{pid}/allocations", {"strategy": "lines", f"amount_{their_inst.id}": "1,00"}),
        (f"/payments/{pid}/allocations/{entry.group(1)}/reverse", {"reason": "misapplied"}),
        (f"/payments/{pid}/refunds", {"amount": "1,00", "reason": "z"}),
    ):
        assert (await post_form(http, url, data)).status_code == 404, url
    # My own payment cannot reach their installment or customer either.
    _, own = await record(http, None, "10,00", "MINE")  # not identified: any customer may be picked
    own_id = payment_id(own)
    sneaky = await post_form(
        http, f"/payments/{own_id}/allocations", {"strategy": "lines", f"amount_{their_inst.id}": "10,00"}
    )
    assert sneaky.status_code == 422
    assert await open_minor(services, theirs, their_inst.id) == 0
    page = await http.get(f"/payments/{own_id}?customer={their_customer.id}")
    assert page.status_code == 200 and str(their_inst.id) not in page.text
    _, foreign_customer = await record(http, their_customer.id, "1,00", "SNEAKY")
    assert foreign_customer.status_code == 422 and "cliente não encontrado" in foreign_customer.text
