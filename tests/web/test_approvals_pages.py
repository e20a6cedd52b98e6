"""The approvals inbox over HTTP: a change above the tenant's threshold waits for a
second user; the maker cannot approve it (the domain's message is shown); another user
approves or rejects with a comment; other tenants' requests are not found."""

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

REQUEST = re.compile(r'data-request="([0-9a-f-]{36})"')


async def only_installment(services: Services, tenant: Any, invoice_id: uuid.UUID) -> Any:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        (row,) = await uow.installments.for_invoice(invoice_id)
        return row


async def open_minor(services: Services, tenant: Any, installment_id: uuid.UUID) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await uow.installments.get_row(installment_id)
        assert row is not None
        return row.open_minor


async def request_credit_note(http: Any, invoice_id: Any, installment_id: Any, amount: str) -> Any:
    return await post_form(
        http,
        f"/invoices/{invoice_id}/installments/{installment_id}/changes",
        {"kind": "credit_note", "amount": amount, "reason": "commercial_agreement", "note": "deal"},
    )


async def test_credit_note_above_the_threshold_waits_for_a_second_user(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")  # threshold: the default 1,000.00
    customer = await add_customer(services, tenant, name="Big Buyer")
    invoice = await add_invoice(services, tenant, customer.id, amount="5000.00", due_date="2099-01-10")
    inst = await only_installment(services, tenant, invoice.id)
    await login_as(http, services, tenant, ["finance"], email=f"maker@{tenant.slug}.example.com")
    asked = await request_credit_note(http, invoice.id, inst.id, "2000.00")
    assert asked.status_code == 303 and "notice=change_pending" in asked.headers["location"]
    assert await open_minor(services, tenant, inst.id) == 500000  # nothing touched the balance yet
    invoice_page = await http.get(f"/invoices/{invoice.id}")
    assert "awaiting approval" in invoice_page.text

    inbox = await http.get("/approvals")
    (rid,) = REQUEST.findall(inbox.text)
    assert "Big Buyer" in inbox.text and "credit_note" in inbox.text
    assert f"maker@{tenant.slug}.example.com" in inbox.text
    own = await post_form(http, f"/approvals/{rid}/approve", {"note": "mine"})
    assert own.status_code == 403
    assert "the requester cannot decide on their own request" in own.text
    assert await open_minor(services, tenant, inst.id) == 500000

    await login_as(http, services, tenant, ["credit_manager"])
    no_comment = await post_form(http, f"/approvals/{rid}/reject", {"note": ""})
    assert no_comment.status_code == 422 and "say why the request is rejected" in no_comment.text
    approved = await post_form(http, f"/approvals/{rid}/approve", {"note": "agreed with sales"})
    assert approved.status_code == 303
    assert await open_minor(services, tenant, inst.id) == 300000
    assert REQUEST.findall((await http.get("/approvals")).text) == []
    decided = await http.get("/approvals?state=approved")
    assert REQUEST.findall(decided.text) == [rid] and "agreed with sales" in decided.text
    again = await post_form(http, f"/approvals/{rid}/approve", {"note": "twice"})
    assert again.status_code == 409
    assert await open_minor(services, tenant, inst.id) == 300000


async def test_rejected_request_changes_nothing_and_roles_are_guarded(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)  # pt-BR
    customer = await add_customer(services, tenant)
    invoice = await add_invoice(services, tenant, customer.id, amount="3000.00", due_date="2099-01-10")
    inst = await only_installment(services, tenant, invoice.id)
    await login(http, tenant.admin_email, tenant.admin_password)
    write_off = await post_form(
        http,
        f"/invoices/{invoice.id}/installments/{inst.id}/changes",
        {"kind": "write_off", "amount": "", "reason": "uncollectible"},
    )
    assert write_off.status_code == 303 and "change_pending" in write_off.headers["location"]
    (rid,) = REQUEST.findall((await http.get("/approvals")).text)
    await login_as(http, services, tenant, ["collector"])  # may read invoices, may not decide
    assert (await http.get("/approvals")).status_code == 200
    assert (await post_form(http, f"/approvals/{rid}/approve", {"note": "x"})).status_code == 403
    await login_as(http, services, tenant, ["finance"])
    rejected = await post_form(http, f"/approvals/{rid}/reject", {"note": "ainda cobrando"})
    assert rejected.status_code == 303
    assert await open_minor(services, tenant, inst.id) == 300000
    page = await http.get("/approvals?state=rejected")
    assert REQUEST.findall(page.text) == [rid] and "ainda cobrando" in page.text
    assert "Aprovações" in page.text  # the nav and title in the tenant's language


async def test_another_tenants_approval_request_is_404(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    customer = await add_customer(services, theirs)
    invoice = await add_invoice(services, theirs, customer.id, amount="9000.00", due_date="2099-01-10")
    inst = await only_installment(services, theirs, invoice.id)
    await login(http, theirs.admin_email, theirs.admin_password)
    assert (await request_credit_note(http, invoice.id, inst.id, "5000,00")).status_code == 303
    (rid,) = REQUEST.findall((await http.get("/approvals")).text)

    await login(http, mine.admin_email, mine.admin_password)
    assert REQUEST.findall((await http.get("/approvals")).text) == []
    for action in ("approve", "reject"):
        response = await post_form(http, f"/approvals/{rid}/{action}", {"note": "hijack"})
        assert response.status_code == 404, action
    assert (await post_form(http, f"/approvals/{uuid.uuid4()}/approve", {})).status_code == 404
    assert (await post_form(http, "/approvals/not-an-id/approve", {})).status_code == 404
    assert await open_minor(services, theirs, inst.id) == 900000
