"""The reports as flat tables: one layout shared by CSV and XLSX exports and by the
e-mail attachments, so a file downloaded and a file received are the same.

Cells are plain values (text, int, date, Decimal): amounts keep every decimal and are
never formatted for a locale, so a spreadsheet reads them as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.reporting.model import CustomerBlock, Receipt

Cell = str | int | Decimal | date | None


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file name without extension
    header: tuple[str, ...]
    rows: Iterable[tuple[Cell, ...]]


INSTALLMENT_HEADER = (
    "sales_rep",
    "customer",
    "customer_status",
    "invoice",
    "installment",
    "due_date",
    "days_late",
    "situation",
    "currency",
    "open_amount",
)

RECEIPT_HEADER = (
    "value_date",
    "bank_account",
    "method",
    "payment_id",
    "reference",
    "customer",
    "payer",
    "payment_amount",
    "line",
    "invoice",
    "installment",
    "line_amount",
    "currency",
)


def installment_rows(blocks: Iterable[CustomerBlock]) -> Iterator[tuple[Cell, ...]]:
    for c in blocks:
        for line in c.lines:
            yield (
                c.sales_rep or "",
                c.name,
                c.status,
                line.invoice_number,
                f"{line.number_index}/{line.number_count}",
                line.due_date,
                max(line.days_late, 0),
                "overdue" if line.is_overdue else "upcoming",
                line.open.currency,
                line.open.amount,
            )


def receipt_rows(receipts: Iterable[Receipt]) -> Iterator[tuple[Cell, ...]]:
    """One row per allocation, then one for the unapplied and one for the refunded
    part when present: the line amounts of a payment add up to its amount."""
    for r in receipts:
        head: tuple[Cell, ...] = (
            r.value_date,
            r.bank_account or "",
            r.source,
            str(r.payment_id),
            r.reference,
            r.customer_name or "",
            r.payer_name or "",
            r.amount.amount,
        )
        for a in r.allocations:
            yield (
                *head,
                "allocation",
                a.invoice_number,
                f"{a.number_index}/{a.number_count}",
                a.amount.amount,
                a.amount.currency,
            )
        if r.unapplied.is_positive():
            yield (*head, "unapplied", "", "", r.unapplied.amount, r.amount.currency)
        if r.refunded.is_positive():
            yield (*head, "refunded", "", "", r.refunded.amount, r.amount.currency)


def inactive_customers_table(blocks: Iterable[CustomerBlock], as_of: date) -> Table:
    return Table(f"inactive-customers-{as_of.isoformat()}", INSTALLMENT_HEADER, installment_rows(blocks))


def overdue_by_rep_table(blocks: Iterable[CustomerBlock], as_of: date) -> Table:
    return Table(f"overdue-by-rep-{as_of.isoformat()}", INSTALLMENT_HEADER, installment_rows(blocks))


def cash_receipts_table(receipts: Iterable[Receipt], day: date) -> Table:
    return Table(f"cash-receipts-{day.isoformat()}", RECEIPT_HEADER, receipt_rows(receipts))
