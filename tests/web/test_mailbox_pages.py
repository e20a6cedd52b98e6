"""The mailbox page: the tenant's messages, HTML shown in a sandbox, attachments listed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.adapters.notify.outbox_mailer import TenantMailer
from app.domain.shared.notify import Attachment, EmailMessage
from app.server.services import Services
from tests.support.factories import TenantInfo, new_tenant
from tests.support.web import login, login_as, sign_out_locally

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _mail(services: Services, tenant: TenantInfo, subject: str) -> uuid.UUID:
    row = await TenantMailer(services.sessions, tenant.tenant, None).send(
        EmailMessage(
            to=("rep@example.com",),
            subject=subject,
            text="Plain <b>text</b>",
            html='<p>Hi</p><script>alert("x")</script><img src=x onerror="alert(2)">',
            kind="report.overdue_by_rep",
            attachments=(Attachment("overdue.csv", "text/csv", b"a,b\n"),),
        )
    )
    return row.id


async def test_list_and_message_render_safely(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    first = await _mail(services, tenant, "Vencidos <hoje>")
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get("/mailbox")
    assert page.status_code == 200
    assert "Vencidos &lt;hoje&gt;" in page.text and f"/mailbox/{first}" in page.text
    assert "delivered_locally" in page.text and "COBALTO_SMTP_URL" in page.text
    message = await http.get(f"/mailbox/{first}")
    assert message.status_code == 200
    # The HTML goes into an empty-sandbox iframe as an escaped srcdoc: no script runs.
    assert 'sandbox=""' in message.text and "srcdoc=" in message.text
    assert "<script>alert" not in message.text and "&lt;script&gt;alert" in message.text
    assert "Plain &lt;b&gt;text&lt;/b&gt;" in message.text and "overdue.csv" in message.text


async def test_pages_and_filters(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    for i in range(55):
        await _mail(services, tenant, f"Mensagem {i:02d}")
    await TenantMailer(services.sessions, tenant.tenant, None).send(
        EmailMessage(to=("f@example.com",), subject="Caixa do dia", text="x", kind="report.cash_receipts")
    )
    await login(http, tenant.admin_email, tenant.admin_password)
    first = await http.get("/mailbox")
    assert first.text.count('data-href="/mailbox/') == 50 and "Caixa do dia" in first.text
    older = first.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = await http.get(older)
    assert second.text.count('data-href="/mailbox/') == 6 and "Mensagem 00" in second.text
    only = await http.get("/mailbox?kind=report.cash_receipts", headers={"HX-Request": "true"})
    assert only.text.count('data-href="/mailbox/') == 1 and "<html" not in only.text


async def test_mailbox_needs_a_session_and_permission(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    email_id = await _mail(services, tenant, "Secreto")
    sign_out_locally(http)
    response = await http.get("/mailbox")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    await login_as(http, services, tenant, ["sales"])
    assert (await http.get("/mailbox")).status_code == 403
    assert (await http.get(f"/mailbox/{email_id}")).status_code == 403


async def test_another_tenants_message_is_not_found(http: Any, services: Services) -> None:
    other = await new_tenant(services)
    theirs = await _mail(services, other, "Deles")
    mine = await new_tenant(services)
    await login(http, mine.admin_email, mine.admin_password)
    assert (await http.get(f"/mailbox/{theirs}")).status_code == 404
    assert (await http.get("/mailbox/not-a-uuid")).status_code == 404
    assert "Deles" not in (await http.get("/mailbox")).text
