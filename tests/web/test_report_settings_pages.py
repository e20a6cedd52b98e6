"""Report e-mail settings page: a tenant admin sets recipients, times and turns each
report on or off; the change is stored, audited and honoured by the scheduled senders,
while "send now" still works. Admin only, CSRF-protected, one tenant's settings only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.adapters.db.models import AuditRow, TenantRow
from app.adapters.reports.delivery import mail_transport, send_report
from app.domain.reporting.service import TURNED_OFF
from app.domain.reporting.settings import CASH_RECEIPTS, ReportSettings
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, new_tenant
from tests.support.web import add_user, login, login_as, post_form, sign_out_locally

pytestmark = pytest.mark.asyncio(loop_scope="session")
URL = "/admin/report-emails"

FORM = {
    "enabled": "on",
    "on_overdue_by_rep": "on",
    # cash_receipts left unchecked: turned off
    "send_at_overdue_by_rep": "06:30",
    "send_at_cash_receipts": "08:15",
    "finance_emails": "tesouraria@acme.example.com\r\ncontroller@acme.example.com, tesouraria@acme.example.com",
    "rep_emails": "Ana Souza = ana@acme.example.com\nJosé = jose@acme.example.com",
    "catch_up_days": "3",
}


async def _stored(services: Services, tenant: TenantInfo) -> ReportSettings:
    async with services.sessions() as session:
        raw = (await session.execute(select(TenantRow.settings).where(TenantRow.id == tenant.id))).scalar()
    return ReportSettings.from_settings(raw or {})


async def _audit(services: Services, tenant: TenantInfo) -> list[AuditRow]:
    async with services.uow(system_principal(tenant.id, "t")) as uow:
        stmt = select(AuditRow).where(AuditRow.tenant_id == tenant.id, AuditRow.entity == "report_settings")
        return list((await uow.session.execute(stmt)).scalars())


async def test_admin_sets_recipients_times_and_switches(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="pt-BR")
    await login(http, tenant.admin_email, tenant.admin_password)
    page = await http.get(URL)
    assert page.status_code == 200
    assert "E-mails de relatórios" in page.text and "Destinatários do Financeiro" in page.text
    assert 'value="07:00"' in page.text  # the defaults before anything is saved

    saved = await post_form(http, URL, FORM)
    assert saved.status_code == 303 and saved.headers["location"] == f"{URL}?saved=1"
    stored = await _stored(services, tenant)
    assert stored.enabled and stored.is_on("overdue_by_rep") and not stored.is_on(CASH_RECEIPTS)
    assert stored.time_for("overdue_by_rep").strftime("%H:%M") == "06:30"
    assert stored.time_for(CASH_RECEIPTS).strftime("%H:%M") == "08:15"
    assert stored.finance_emails == ("tesouraria@acme.example.com", "controller@acme.example.com")
    assert dict(stored.rep_emails) == {"Ana Souza": "ana@acme.example.com", "José": "jose@acme.example.com"}
    assert stored.catch_up_days == 3

    shown = await http.get(f"{URL}?saved=1")
    assert "Configurações salvas." in shown.text
    assert 'value="08:15"' in shown.text and "José = jose@acme.example.com" in shown.text
    assert 'name="on_cash_receipts" id="f-on-cash_receipts" >' in shown.text  # unchecked

    [entry] = await _audit(services, tenant)
    assert entry.action == "update" and entry.after is not None and entry.before is not None
    assert entry.after["off"] == [CASH_RECEIPTS] and entry.before["off"] == []
    assert entry.actor != "" and "finance_emails" in entry.after

    # The same form again changes nothing and writes no second audit entry.
    again = await post_form(http, URL, FORM)
    assert again.headers["location"] == f"{URL}?saved=same"
    assert len(await _audit(services, tenant)) == 1


async def test_a_report_turned_off_is_not_sent_on_schedule_but_send_now_works(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    await add_user(services, tenant, ["finance"], email=f"fin@{tenant.slug}.example.com")
    await login(http, tenant.admin_email, tenant.admin_password)
    assert (await post_form(http, URL, FORM)).status_code == 303

    principal = system_principal(tenant.id, "scheduler:cash_receipts")
    scheduled = await send_report(
        lambda: services.uow(principal),
        services.sessions,
        principal.tenant,
        mail_transport(services.settings, services.extras.get("mail_transport")),
        CASH_RECEIPTS,
        date(2026, 11, 23),
    )
    assert scheduled.delivered == [] and scheduled.skipped == [TURNED_OFF] and scheduled.ok

    now = await post_form(http, "/reports/cash-receipts/send", {"date": "2026-11-22", "send_id": "s1"})
    assert now.status_code == 303 and "sent=2-0-0" in now.headers["location"]  # the two addresses


async def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services, locale="es-MX")
    await login(http, tenant.admin_email, tenant.admin_password)
    bad = {
        **FORM,
        "send_at_cash_receipts": "25:00",
        "finance_emails": "not-an-address",
        "rep_emails": "Ana without an address",
        "catch_up_days": "90",
    }
    refused = await post_form(http, URL, bad)
    assert refused.status_code == 422
    html = refused.text
    assert "Escriba una hora como HH:MM." in html
    assert "No es un correo: not-an-address" in html
    assert "Escriba cada vendedor como" in html and "Escriba un número entero de 1 a 31." in html
    assert 'aria-invalid="true"' in html
    assert await _stored(services, tenant) == ReportSettings.from_settings({})
    assert await _audit(services, tenant) == []


async def test_only_admins_with_a_token_and_a_session(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    anonymous = await http.get(URL)
    assert anonymous.status_code in (302, 303) and anonymous.headers["location"].startswith("/login")
    for roles in (["finance"], ["credit_manager"], ["sales"]):
        await login_as(http, services, tenant, roles)
        assert (await http.get(URL)).status_code == 403
        assert (await post_form(http, URL, FORM)).status_code == 403
    await login(http, tenant.admin_email, tenant.admin_password)
    no_token = await http.post(URL, data=FORM)
    assert no_token.status_code == 403
    assert await _stored(services, tenant) == ReportSettings.from_settings({})
    nav = await http.get("/admin/users")
    assert f'href="{URL}"' in nav.text


async def test_saving_touches_only_my_tenant(http: Any, services: Services) -> None:
    other = await new_tenant(services)
    mine = await new_tenant(services)
    await login(http, mine.admin_email, mine.admin_password)
    assert (await post_form(http, URL, FORM)).status_code == 303
    assert (await _stored(services, mine)).catch_up_days == 3
    assert await _stored(services, other) == ReportSettings.from_settings({})
    assert await _audit(services, other) == []
