"""Figures for the home page's work panels: cash waiting for a person, approvals,
collection health. Each is one aggregate over indexed, tenant-scoped rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func

from app.adapters.db.models import BankFileRecordRow, ChangeRequestRow, InstallmentRow, InvoiceRow, PaymentRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.receivables.approval import ApprovalState

# DSO looks back this many days of sales (the usual quarterly count).
DSO_DAYS = 90
# Installments this many days late or more are "at risk" (the 90+ aging buckets).
AT_RISK_DAYS = 90


@dataclass(frozen=True)
class CashWork:
    """What waits in cash application, and what came in today."""

    unapplied_by_currency: dict[str, int]
    unapplied_count: int
    review_count: int
    queued_count: int
    received_today_by_currency: dict[str, int]
    received_today_count: int


@dataclass(frozen=True)
class Health:
    """Collection health for managers: DSO and the receivables at risk."""

    dso_days: int | None  # None when nothing was invoiced in the window
    at_risk_by_currency: dict[str, int] = field(default_factory=dict)
    pending_approvals: int = 0


class HomeQueries(TenantRepository):
    async def cash_work(self, today: date) -> CashWork:
        unapplied = self.scoped(
            PaymentRow, PaymentRow.currency, func.sum(PaymentRow.unapplied_minor), func.count()
        ).where(PaymentRow.unapplied_minor > 0)
        unapplied_rows = (await self.session.execute(unapplied.group_by(PaymentRow.currency))).all()
        today_rows = (
            await self.session.execute(
                self.scoped(PaymentRow, PaymentRow.currency, func.sum(PaymentRow.amount_minor), func.count())
                .where(PaymentRow.value_date == today)
                .group_by(PaymentRow.currency)
            )
        ).all()
        records = (
            await self.session.execute(
                self.scoped(BankFileRecordRow, BankFileRecordRow.status, func.count())
                .where(BankFileRecordRow.status.in_(("review", "skipped", "queued")))
                .group_by(BankFileRecordRow.status)
            )
        ).all()
        by_status = {str(r[0]): int(r[1]) for r in records}
        return CashWork(
            unapplied_by_currency={r[0]: int(r[1] or 0) for r in unapplied_rows},
            unapplied_count=sum(int(r[2]) for r in unapplied_rows),
            review_count=by_status.get("review", 0) + by_status.get("skipped", 0),
            queued_count=by_status.get("queued", 0),
            received_today_by_currency={r[0]: int(r[1] or 0) for r in today_rows},
            received_today_count=sum(int(r[2]) for r in today_rows),
        )

    async def health(self, today: date, currency: str) -> Health:
        open_minor = (
            await self.session.execute(
                self.scoped(InstallmentRow, func.sum(InstallmentRow.open_minor)).where(
                    InstallmentRow.open_minor > 0, InstallmentRow.currency == currency
                )
            )
        ).scalar()
        sales_minor = (
            await self.session.execute(
                self.scoped(InvoiceRow, func.sum(InvoiceRow.amount_minor)).where(
                    InvoiceRow.currency == currency,
                    InvoiceRow.issue_date > today - timedelta(days=DSO_DAYS),
                    InvoiceRow.issue_date <= today,
                    InvoiceRow.status != "cancelled",
                )
            )
        ).scalar()
        at_risk = (
            await self.session.execute(
                self.scoped(InstallmentRow, InstallmentRow.currency, func.sum(InstallmentRow.open_minor))
                .where(
                    InstallmentRow.open_minor > 0,
                    InstallmentRow.due_date <= today - timedelta(days=AT_RISK_DAYS),
                )
                .group_by(InstallmentRow.currency)
            )
        ).all()
        pending = (
            await self.session.execute(
                self.scoped(ChangeRequestRow, func.count()).where(
                    ChangeRequestRow.state == ApprovalState.REQUESTED.value
                )
            )
        ).scalar()
        return Health(
            dso_days=dso(int(open_minor or 0), int(sales_minor or 0), DSO_DAYS),
            at_risk_by_currency={r[0]: int(r[1] or 0) for r in at_risk},
            pending_approvals=int(pending or 0),
        )


def dso(open_minor: int, sales_minor: int, days: int) -> int | None:
    """Days sales outstanding: open receivables over the window's sales, times its days
    (rounded half up, in integers: no float touches money)."""
    if sales_minor <= 0:
        return None
    return (2 * open_minor * days + sales_minor) // (2 * sales_minor)
