"""Response shapes of /api/v1/reports (sales and cash reports) and their builders."""

from __future__ import annotations

from datetime import date

import msgspec

from app.domain.reporting.model import CustomerBlock, Receipt, ReceiptGroup, RepSummary, Totals


class AmountOut(msgspec.Struct):
    currency: str
    amount: str


class InstallmentLineOut(msgspec.Struct):
    installment_id: str
    invoice_id: str
    invoice_number: str
    installment: str
    due_date: date
    days_late: int
    situation: str
    open_amount: str
    currency: str


class CustomerBlockOut(msgspec.Struct):
    customer_id: str
    name: str
    status: str
    sales_rep: str | None
    overdue: list[AmountOut]
    upcoming: list[AmountOut]
    oldest_days_late: int
    installments: list[InstallmentLineOut]


class InactiveTotalsOut(msgspec.Struct):
    customers: int
    overdue: list[AmountOut]
    upcoming: list[AmountOut]


class InactiveCustomersOut(msgspec.Struct):
    as_of: date
    upcoming_until: date
    totals: InactiveTotalsOut
    items: list[CustomerBlockOut]
    next_cursor: str | None


class RepSummaryOut(msgspec.Struct):
    sales_rep: str | None
    customers: int
    installments: int
    overdue: list[AmountOut]
    oldest_days_late: int


class OverdueByRepOut(msgspec.Struct):
    as_of: date
    reps: list[RepSummaryOut]
    items: list[CustomerBlockOut]
    next_cursor: str | None


class AllocationOut(msgspec.Struct):
    installment_id: str
    invoice_id: str
    invoice_number: str
    installment: str
    amount: str
    currency: str


class ReceiptOut(msgspec.Struct):
    payment_id: str
    value_date: date
    method: str
    bank_account_id: str | None
    bank_account: str | None
    customer_id: str | None
    customer_name: str | None
    payer_name: str | None
    reference: str
    currency: str
    amount: str
    allocated: str
    unapplied: str
    refunded: str
    allocations: list[AllocationOut]


class ReceiptGroupOut(msgspec.Struct):
    bank_account_id: str | None
    bank_account: str | None
    method: str
    count: int
    amount: list[AmountOut]
    allocated: list[AmountOut]
    unapplied: list[AmountOut]


class CashTotalsOut(msgspec.Struct):
    count: int
    amount: list[AmountOut]
    allocated: list[AmountOut]
    unapplied: list[AmountOut]


class CashReceiptsOut(msgspec.Struct):
    date: date
    groups: list[ReceiptGroupOut]
    totals: CashTotalsOut
    items: list[ReceiptOut]
    next_cursor: str | None


def amounts(t: Totals) -> list[AmountOut]:
    return [AmountOut(a.currency, str(a.amount)) for a in t.by_currency]


def block_out(c: CustomerBlock) -> CustomerBlockOut:
    return CustomerBlockOut(
        customer_id=str(c.customer_id),
        name=c.name,
        status=c.status,
        sales_rep=c.sales_rep,
        overdue=amounts(c.overdue),
        upcoming=amounts(c.upcoming),
        oldest_days_late=max(c.oldest_days_late, 0),
        installments=[
            InstallmentLineOut(
                installment_id=str(line.installment_id),
                invoice_id=str(line.invoice_id),
                invoice_number=line.invoice_number,
                installment=f"{line.number_index}/{line.number_count}",
                due_date=line.due_date,
                days_late=max(line.days_late, 0),
                situation="overdue" if line.is_overdue else "upcoming",
                open_amount=str(line.open.amount),
                currency=line.open.currency,
            )
            for line in c.lines
        ],
    )


def rep_out(s: RepSummary) -> RepSummaryOut:
    return RepSummaryOut(s.rep, s.customers, s.installments, amounts(s.overdue), max(s.oldest_days_late, 0))


def receipt_out(r: Receipt) -> ReceiptOut:
    return ReceiptOut(
        payment_id=str(r.payment_id),
        value_date=r.value_date,
        method=r.source,
        bank_account_id=str(r.bank_account_id) if r.bank_account_id else None,
        bank_account=r.bank_account,
        customer_id=str(r.customer_id) if r.customer_id else None,
        customer_name=r.customer_name,
        payer_name=r.payer_name,
        reference=r.reference,
        currency=r.amount.currency,
        amount=str(r.amount.amount),
        allocated=str(r.allocated.amount),
        unapplied=str(r.unapplied.amount),
        refunded=str(r.refunded.amount),
        allocations=[
            AllocationOut(
                str(a.installment_id),
                str(a.invoice_id),
                a.invoice_number,
                f"{a.number_index}/{a.number_count}",
                str(a.amount.amount),
                a.amount.currency,
            )
            for a in r.allocations
        ],
    )


def group_out(g: ReceiptGroup) -> ReceiptGroupOut:
    return ReceiptGroupOut(
        str(g.bank_account_id) if g.bank_account_id else None,
        g.bank_account,
        g.source,
        g.count,
        amounts(g.amount),
        amounts(g.allocated),
        amounts(g.unapplied),
    )
