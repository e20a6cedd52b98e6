"""Report e-mails as use cases: each sales rep gets their customers' overdue list,
Finance gets the daily cash receipts.

Idempotent per (tenant, report, as_of, recipient): every message carries a dedupe key
built from those, and the outbox sends a key once however often a run is repeated
(a retried job, two workers, a catch-up after downtime).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from app.domain.reporting.mail import Formatter, cash_receipts_message, overdue_message
from app.domain.reporting.model import CashReceipts, CustomerBlock, RepSummary
from app.domain.reporting.rules import (
    Person,
    by_recipient,
    cash_receipts_day,
    finance_recipients,
    group_by_rep,
    rep_recipients,
)
from app.domain.reporting.settings import CASH_RECEIPTS, OVERDUE_BY_REP, ReportSettings
from app.domain.reporting.tables import Table, cash_receipts_table, overdue_by_rep_table
from app.domain.shared.notify import Attachment, EmailMessage

SENT_STATUSES = frozenset({"sent", "delivered_locally"})
TURNED_OFF = "turned off in the report settings"


class ReportReader(Protocol):
    async def report_settings(self) -> ReportSettings: ...

    async def people(self) -> list[Person]: ...

    async def rep_summary(self, as_of: date) -> list[RepSummary]: ...

    async def overdue_of_reps(self, reps: Sequence[str], as_of: date) -> list[CustomerBlock]: ...

    async def cash_receipts_day(self, day: date) -> CashReceipts: ...


class ReportOutbox(Protocol):
    async def send(self, message: EmailMessage, *, dedupe_key: str) -> str:
        """Send once per key; returns the message's status (sent, delivered_locally, failed)."""
        ...


class Renderer(Protocol):
    @property
    def locale(self) -> str: ...

    @property
    def formatter(self) -> Formatter: ...

    def csv(self, table: Table) -> Attachment: ...


@dataclass
class SendOutcome:
    report: str
    as_of: date
    delivered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    # Why someone who should have been told was not (no address for a rep, no recipients).
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def dedupe_key(report: str, as_of: date, address: str, suffix: str = "") -> str:
    who = address.strip().casefold()
    if len(who) > 100:
        who = "sha256:" + hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"{report}:{as_of.isoformat()}:{who}"
    return f"{key}:{suffix[:40]}" if suffix else key


async def send_overdue_by_rep(
    reader: ReportReader,
    outbox: ReportOutbox,
    renderer: Renderer,
    as_of: date,
    *,
    only_rep: str | None = None,
    key_suffix: str = "",
    manual: bool = False,
) -> SendOutcome:
    """One message per person: the overdue installments of the customers of every rep
    name that resolves to them (see ``rules.rep_recipients``). A scheduled run (not
    ``manual``) of a report turned off in the settings sends nothing."""
    outcome = SendOutcome(OVERDUE_BY_REP, as_of)
    settings = await reader.report_settings()
    if not manual and not settings.is_on(OVERDUE_BY_REP):
        outcome.skipped.append(TURNED_OFF)
        return outcome
    summary = await reader.rep_summary(as_of)
    reps = [s.rep for s in summary if s.rep and (only_rep is None or s.rep == only_rep)]
    resolved = rep_recipients(reps, settings.rep_emails, await reader.people())
    outcome.skipped += [f"no e-mail address for sales rep {rep!r}" for rep, a in resolved.items() if not a]
    if any(s.rep is None for s in summary) and only_rep is None:
        outcome.skipped.append("customers without a sales rep are not e-mailed")
    addresses = {a.casefold(): a for a in resolved.values() if a}
    for folded, rep_names in by_recipient(resolved).items():
        address = addresses[folded]
        customers = await reader.overdue_of_reps(rep_names, as_of)
        attachment = renderer.csv(overdue_by_rep_table(customers, as_of))
        message = overdue_message(
            address,
            rep_names,
            group_by_rep(customers),
            as_of,
            renderer.formatter,
            renderer.locale,
            attachment,
        )
        status = await outbox.send(message, dedupe_key=dedupe_key(OVERDUE_BY_REP, as_of, address, key_suffix))
        (outcome.delivered if status in SENT_STATUSES else outcome.failed).append(address)
    return outcome


async def send_cash_receipts(
    reader: ReportReader,
    outbox: ReportOutbox,
    renderer: Renderer,
    as_of: date,
    *,
    day: date | None = None,
    key_suffix: str = "",
    manual: bool = False,
) -> SendOutcome:
    """The receipts of ``day`` (default: the day before ``as_of``) to Finance; nothing
    on a scheduled run when the report is turned off."""
    report_day = day or cash_receipts_day(as_of)
    outcome = SendOutcome(CASH_RECEIPTS, report_day)
    settings = await reader.report_settings()
    if not manual and not settings.is_on(CASH_RECEIPTS):
        outcome.skipped.append(TURNED_OFF)
        return outcome
    recipients = finance_recipients(settings.finance_emails, await reader.people())
    if not recipients:
        outcome.skipped.append("no finance recipients (no finance users and no finance_emails setting)")
        return outcome
    report = await reader.cash_receipts_day(report_day)
    attachment = renderer.csv(cash_receipts_table(report.receipts, report_day))
    for address in recipients:
        message = cash_receipts_message(address, report, renderer.formatter, renderer.locale, attachment)
        status = await outbox.send(
            message, dedupe_key=dedupe_key(CASH_RECEIPTS, report_day, address, key_suffix)
        )
        (outcome.delivered if status in SENT_STATUSES else outcome.failed).append(address)
    return outcome
