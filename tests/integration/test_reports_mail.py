"""Scheduled report e-mails over real SMTP (aiosmtpd): each rep's overdue list and
Finance's cash receipts arrive once, however often the job runs, and a missed day is
caught up once."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.adapters.db.models import OutboundEmailRow, ScheduledRunRow
from app.adapters.notify.smtp import SmtpMailer
from app.domain.shared.clock import FixedClock
from app.jobs.reports import REPORT_JOBS
from app.jobs.schedule import Scheduler
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant
from tests.support.live_server import free_port
from tests.support.reports_data import installments_of, pay, set_report_settings
from tests.support.web import add_user

pytestmark = pytest.mark.asyncio(loop_scope="session")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(services: Services) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    services.extras["mail_transport"] = SmtpMailer(f"smtp://127.0.0.1:{port}", "Cobalto <r@cobalto.local>")
    try:
        yield inbox
    finally:
        services.extras.pop("mail_transport", None)
        controller.stop()


def at(day: int, hour: int, minute: int = 0) -> FixedClock:
    """A clock in São Paulo local time (UTC-3) on November ``day`` 2026."""
    return FixedClock(datetime(2026, 11, day, hour + 3, minute, tzinfo=UTC))


async def settle() -> None:
    await asyncio.sleep(0.2)  # aiosmtpd hands messages over on its own thread


async def _sales_tenant(services: Services) -> tuple[TenantInfo, str, str]:
    tenant = await new_tenant(services)
    _, ana = await add_user(services, tenant, ["sales"], email=f"ana@{tenant.slug}.example.com")
    _, fin = await add_user(services, tenant, ["finance"], email=f"fin@{tenant.slug}.example.com")
    # Ana is matched by her e-mail in the customer record; "Bruno" through the mapping;
    # "Carla" has no address anywhere and is reported as skipped.
    a = await add_customer(services, tenant, name="Alfa <b>Ltda</b>", sales_rep=ana)
    b = await add_customer(services, tenant, name="Beta", sales_rep="Bruno")
    c = await add_customer(services, tenant, name="Gama", sales_rep="Carla")
    await add_invoice(services, tenant, a.id, number="A-1", due_date="2026-11-10", amount="100.00")
    await add_invoice(services, tenant, b.id, number="B-1", due_date="2026-11-15", amount="20.00")
    await add_invoice(services, tenant, c.id, number="C-1", due_date="2026-11-15", amount="5.00")
    await set_report_settings(services, tenant, rep_emails={"bruno": f"bruno@{tenant.slug}.example.com"})
    return tenant, ana, fin


async def test_each_rep_and_finance_get_their_report_once_even_when_run_twice(
    services: Services, smtp: Inbox
) -> None:
    tenant, ana, fin = await _sales_tenant(services)
    inv = await add_invoice(
        services, tenant, (await add_customer(services, tenant, name="Pagante")).id, due_date="2026-11-30"
    )
    [inst] = await installments_of(services, tenant, inv.id)
    await pay(
        services, tenant, "600.00", date(2026, 11, 22), allocations=[(inst, "400.00")], reference="TED 1"
    )

    early = Scheduler(services, REPORT_JOBS, at(23, 6, 59))
    assert await early.tick([tenant.id]) == []  # before 07:00 local nothing is due
    scheduler = Scheduler(services, REPORT_JOBS, at(23, 7, 5))
    first, again = await scheduler.tick([tenant.id]), await scheduler.tick([tenant.id])
    assert {(r.job, r.as_of, r.status) for r in first} == {
        ("overdue_by_rep", date(2026, 11, 23), "done"),
        ("cash_receipts", date(2026, 11, 23), "done"),
    }
    assert again == []
    # A second scheduler (another worker) racing on the same minute finds nothing to do.
    assert await Scheduler(services, REPORT_JOBS, at(23, 7, 6)).tick([tenant.id]) == []
    await settle()

    bruno = f"bruno@{tenant.slug}.example.com"
    assert len(smtp.to(ana)) == 1 and len(smtp.to(bruno)) == 1 and len(smtp.to(fin)) == 1
    assert len(smtp.messages) == 3
    to_ana = smtp.to(ana)[0]
    parts = {p.get_content_type(): p for p in to_ana.walk()}
    html = parts["text/html"].get_content()
    assert "Alfa &lt;b&gt;Ltda&lt;/b&gt;" in html and "<b>Ltda" not in html  # data is escaped
    assert "A-1" in parts["text/plain"].get_content() and "B-1" not in parts["text/plain"].get_content()
    attachment = parts["text/csv"]
    assert attachment.get_filename() == "overdue-by-rep-2026-11-23.csv"
    csv_text = attachment.get_payload(decode=True).decode("utf-8-sig")
    assert "A-1" in csv_text and "100.00" in csv_text and "B-1" not in csv_text
    cash = smtp.to(fin)[0]
    cash_parts = {p.get_content_type(): p for p in cash.walk()}
    assert cash_parts["text/csv"].get_filename() == "cash-receipts-2026-11-22.csv"
    cash_csv = cash_parts["text/csv"].get_payload(decode=True).decode("utf-8-sig")
    assert (
        "allocation" in cash_csv and "400.00" in cash_csv and "unapplied" in cash_csv and "200.00" in cash_csv
    )

    async with services.uow(system_principal(tenant.id, "t")) as uow:
        runs = (
            (await uow.session.execute(select(ScheduledRunRow).where(ScheduledRunRow.tenant_id == tenant.id)))
            .scalars()
            .all()
        )
        overdue_run = next(r for r in runs if r.job == "overdue_by_rep")
        assert overdue_run.status == "done" and overdue_run.attempts == 1
        assert any("Carla" in s for s in overdue_run.outcome["skipped"])
        # SQLite has no RLS: the query itself names the tenant (other tests' mail is in the same file).
        stmt = select(OutboundEmailRow.status).where(OutboundEmailRow.tenant_id == tenant.id)
        sent = (await uow.session.execute(stmt)).scalars().all()
        assert sorted(sent) == ["sent", "sent", "sent"]


async def test_concurrent_schedulers_send_once(services: Services, smtp: Inbox) -> None:
    tenant, ana, fin = await _sales_tenant(services)
    clock = at(23, 8)
    results = await asyncio.gather(
        Scheduler(services, REPORT_JOBS, clock).tick([tenant.id]),
        Scheduler(services, REPORT_JOBS, clock).tick([tenant.id]),
    )
    await settle()
    done = [r for rs in results for r in rs if r.status == "done"]
    assert len(done) == 2  # one overdue run and one cash run, each by one scheduler
    assert len(smtp.to(ana)) == 1 and len(smtp.to(fin)) == 1


async def test_a_missed_day_is_caught_up_once(services: Services, smtp: Inbox) -> None:
    tenant, ana, fin = await _sales_tenant(services)
    await pay(services, tenant, "10.00", date(2026, 11, 20), reference="day 20")
    await pay(services, tenant, "11.00", date(2026, 11, 21), reference="day 21")
    await pay(services, tenant, "12.00", date(2026, 11, 22), reference="day 22")
    assert len(await Scheduler(services, REPORT_JOBS, at(21, 7)).tick([tenant.id])) == 2
    # Down all of the 22nd; back on the 23rd at 09:30.
    late = await Scheduler(services, REPORT_JOBS, at(23, 9, 30)).tick([tenant.id])
    assert sorted((r.job, r.as_of) for r in late) == [
        ("cash_receipts", date(2026, 11, 22)),
        ("cash_receipts", date(2026, 11, 23)),
        ("overdue_by_rep", date(2026, 11, 23)),  # only the newest overdue list
    ]
    assert await Scheduler(services, REPORT_JOBS, at(23, 10)).tick([tenant.id]) == []
    await settle()
    subjects = sorted(m["Subject"] for m in smtp.to(fin))
    assert len(subjects) == 3 and len(set(subjects)) == 3  # receipts of the 20th, 21st and 22nd
    files = sorted(
        p.get_filename() for m in smtp.to(fin) for p in m.walk() if p.get_content_type() == "text/csv"
    )
    assert files == [
        "cash-receipts-2026-11-20.csv",
        "cash-receipts-2026-11-21.csv",
        "cash-receipts-2026-11-22.csv",
    ]
    assert len(smtp.to(ana)) == 2  # the 21st and the 23rd


async def test_a_failed_send_is_retried_and_delivered_once(services: Services, smtp: Inbox) -> None:
    tenant, ana, fin = await _sales_tenant(services)
    working = services.extras["mail_transport"]
    services.extras["mail_transport"] = SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "x@y.io", timeout=2)
    failed = await Scheduler(services, REPORT_JOBS, at(23, 7)).tick([tenant.id])
    assert {r.status for r in failed} == {"failed"}
    services.extras["mail_transport"] = working
    retried = await Scheduler(services, REPORT_JOBS, at(23, 7, 1)).tick([tenant.id])
    assert {r.status for r in retried} == {"done"}
    await Scheduler(services, REPORT_JOBS, at(23, 7, 2)).tick([tenant.id])
    await settle()
    assert len(smtp.to(ana)) == 1 and len(smtp.to(fin)) == 1


async def test_disabled_reports_are_not_sent(services: Services, smtp: Inbox) -> None:
    tenant, _, _ = await _sales_tenant(services)
    await set_report_settings(services, tenant, enabled=False)
    assert await Scheduler(services, REPORT_JOBS, at(23, 7)).tick([tenant.id]) == []
