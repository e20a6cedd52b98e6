"""The scheduled report e-mails: overdue invoices to each sales rep, the daily cash
receipts to Finance. Both are idempotent per (tenant, report, as_of, recipient)
through the e-mail dedupe key, and per (tenant, report, as_of) through the scheduler's
``scheduled_runs`` claim."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from app.adapters.reports.delivery import mail_transport, send_report
from app.domain.reporting.service import SendOutcome
from app.domain.reporting.settings import CASH_RECEIPTS, OVERDUE_BY_REP
from app.jobs.schedule import ScheduledJob
from app.server.auth import system_principal
from app.server.services import Services


class ReportNotDelivered(RuntimeError):
    """Some recipients' messages failed: the run is retried (the others are deduped)."""


def outcome_json(outcome: SendOutcome) -> dict[str, Any]:
    return {
        "report": outcome.report,
        "as_of": outcome.as_of.isoformat(),
        "delivered": outcome.delivered,
        "failed": outcome.failed,
        "skipped": outcome.skipped,
    }


async def run_report(services: Services, tenant_id: uuid.UUID, report: str, as_of: date) -> dict[str, Any]:
    principal = system_principal(tenant_id, f"scheduler:{report}")
    outcome = await send_report(
        lambda: services.uow(principal),
        services.sessions,
        principal.tenant,
        mail_transport(services.settings, services.extras.get("mail_transport")),
        report,
        as_of,
    )
    result = outcome_json(outcome)
    if not outcome.ok:
        raise ReportNotDelivered(f"not delivered to {', '.join(outcome.failed)}")
    return result


async def _overdue(services: Services, tenant_id: uuid.UUID, as_of: date) -> dict[str, Any]:
    return await run_report(services, tenant_id, OVERDUE_BY_REP, as_of)


async def _cash(services: Services, tenant_id: uuid.UUID, as_of: date) -> dict[str, Any]:
    return await run_report(services, tenant_id, CASH_RECEIPTS, as_of)


# Overdue lists supersede each other: after downtime only the newest missed one goes
# out. Each day's cash receipts are different money: every missed day goes out once.
REPORT_JOBS = (
    ScheduledJob(OVERDUE_BY_REP, _overdue, latest_only=True),
    ScheduledJob(CASH_RECEIPTS, _cash, latest_only=False),
)
