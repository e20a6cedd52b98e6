"""Invoices and their installments (títulos / parcelas).

An invoice is the commercial document; an installment is the unit that is due, paid,
aged and dunned. The installment holds only what was agreed when it was issued (number,
due date, face value, references). What has happened to it since (payments, credit
notes, write-offs, late charges) lives in its ledger (``ledger.py``), so the status is
always derived and never stored as a fact that could drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from app.domain.shared.money import Money


class ReceivablesError(ValueError):
    """A receivables value that breaks a rule of the model itself (a programming error
    or bad input that validation should have caught earlier)."""


@dataclass(frozen=True, slots=True, order=True)
class InstallmentNumber:
    """Position of an installment in its invoice, printed as ``1/3``."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise ReceivablesError(f"invalid installment number {self.index}/{self.count}")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text: str) -> InstallmentNumber:
        index, sep, count = text.strip().partition("/")
        if not sep or not index.isdigit() or not count.isdigit():
            raise ReceivablesError(f"installment number must look like 1/3, got {text!r}")
        return cls(int(index), int(count))


@dataclass(frozen=True, slots=True)
class Installment:
    """One título: a face value due on a date.

    ``bank_reference`` is the nosso número (the bank's id of the boleto, unique per bank
    agreement); ``document_number`` is the seu número printed on the slip (usually the
    invoice number plus the installment index); ``txid`` identifies a PIX charge.
    """

    id: UUID
    invoice_id: UUID
    customer_id: UUID
    number: InstallmentNumber
    due_date: date
    amount: Money
    bank_reference: str | None = None
    document_number: str | None = None
    txid: str | None = None

    def __post_init__(self) -> None:
        if not self.amount.is_positive():
            raise ReceivablesError("an installment's face value must be positive")

    @property
    def currency(self) -> str:
        return self.amount.currency


@dataclass(frozen=True, slots=True)
class InvoiceInstallments:
    """The installments of one invoice, checked as a whole: numbered 1..n in order, due
    on or after the issue date, adding up exactly to the invoice amount. (The invoice
    record itself, with its editable fields, is ``invoices.Invoice``.)"""

    invoice_id: UUID
    customer_id: UUID
    invoice_number: str
    issue_date: date
    amount: Money
    installments: tuple[Installment, ...]

    def __post_init__(self) -> None:
        if not self.installments:
            raise ReceivablesError("an invoice has at least one installment")
        count = len(self.installments)
        acc = Money.zero(self.amount.currency)
        for position, inst in enumerate(self.installments, start=1):
            if inst.number != InstallmentNumber(position, count):
                raise ReceivablesError(
                    f"installment {position} of {count} is numbered {inst.number}; "
                    "installments are numbered 1..n in order"
                )
            if inst.invoice_id != self.invoice_id or inst.customer_id != self.customer_id:
                raise ReceivablesError("installments belong to their invoice and its customer")
            if inst.due_date < self.issue_date:
                raise ReceivablesError("an installment cannot be due before the invoice is issued")
            acc = acc + inst.amount
        if acc != self.amount:
            raise ReceivablesError(f"installments add up to {acc}, the invoice is {self.amount}")
