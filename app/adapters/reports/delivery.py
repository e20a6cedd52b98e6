"""Sending report e-mails for one tenant: the domain use cases wired to the database
queries, the recorded tenant mailer (SMTP or the local mailbox) and the file writers.

The web's "send now" and the scheduled job both call ``send_report``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.db.models import TenantRow
from app.adapters.db.queries_reports import ReportQueries
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.notify.outbox_mailer import TenantMailer
from app.adapters.notify.smtp import SmtpMailer
from app.adapters.reports.export import csv_attachment
from app.adapters.reports.formatting import BabelFormatter
from app.domain.reporting.service import SendOutcome, send_cash_receipts, send_overdue_by_rep
from app.domain.reporting.settings import CASH_RECEIPTS, OVERDUE_BY_REP
from app.domain.reporting.tables import Table
from app.domain.shared.notify import Attachment, EmailMessage, Mailer
from app.domain.tenancy.principal import TenantId
from app.settings import Settings

REPORTS = (OVERDUE_BY_REP, CASH_RECEIPTS)


def mail_transport(settings: Settings, override: object | None = None) -> Mailer | None:
    """The configured SMTP transport; None (the embedded default) keeps mail locally.
    ``override`` (``services.extras["mail_transport"]``) lets tests plug their own."""
    if override is not None:
        return override  # type: ignore[return-value]
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return None


class CsvRenderer:
    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.formatter = BabelFormatter(locale)

    def csv(self, table: Table) -> Attachment:
        return csv_attachment(table)


class RecordedOutbox:
    def __init__(self, mailer: TenantMailer) -> None:
        self.mailer = mailer

    async def send(self, message: EmailMessage, *, dedupe_key: str) -> str:
        row = await self.mailer.send(message, dedupe_key=dedupe_key)
        return row.status


async def send_report(
    uow_factory: Callable[[], SqlUnitOfWork],
    sessions: async_sessionmaker[AsyncSession],
    tenant: TenantId,
    transport: Mailer | None,
    report: str,
    as_of: date,
    *,
    key_suffix: str = "",
    only_rep: str | None = None,
    day: date | None = None,
    manual: bool = False,
) -> SendOutcome:
    """Send one report now. Scheduled runs leave ``manual`` False, so a report turned
    off in the tenant's settings sends nothing; "send now" on a page passes True."""
    if report not in REPORTS:
        raise ValueError(f"unknown report {report!r}")
    outbox = RecordedOutbox(TenantMailer(sessions, tenant, transport))
    async with uow_factory() as uow:
        locale = (
            await uow.session.execute(select(TenantRow.locale).where(TenantRow.id == uow.tenant.value))
        ).scalar() or "en-US"
        reader = ReportQueries(uow.session, uow.tenant)
        renderer = CsvRenderer(locale)
        if report == OVERDUE_BY_REP:
            return await send_overdue_by_rep(
                reader, outbox, renderer, as_of, only_rep=only_rep, key_suffix=key_suffix, manual=manual
            )
        return await send_cash_receipts(
            reader, outbox, renderer, as_of, day=day, key_suffix=key_suffix, manual=manual
        )
