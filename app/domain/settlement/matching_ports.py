"""What the matching engine reads: the incoming line, candidates, settings, and the
``CandidateProvider`` port the database layer implements.

Every provider method is one indexed query on keys made by ``matching_text`` (reference,
deletion, tax id, account and name keys), bounded by ``limit``: the engine never asks
for "all open installments".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from app.domain.receivables.late_charges import LateChargePolicy
from app.domain.receivables.model import InstallmentNumber
from app.domain.receivables.rules.allocation import ComponentOrder
from app.domain.settlement.statements import StatementLine
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """One credit to apply: a statement line, a bank-return liquidation or a PIX receipt."""

    amount: Money
    value_date: date
    reference_text: str = ""
    payer_tax_id: str | None = None
    payer_name: str | None = None
    payer_account: str | None = None
    bank_reference: str | None = None  # nosso número (bank return of a boleto)
    txid: str | None = None  # PIX charge id
    end_to_end_id: str | None = None  # PIX payment id (E2E)
    line_id: str | None = None  # the source's own id, for duplicate checks and the audit trail

    @classmethod
    def from_statement_line(cls, line: StatementLine, line_id: str | None = None) -> PaymentLine:
        # A statement's bank_reference is the bank's transaction id, not a nosso número;
        # it only identifies the line.
        return cls(
            amount=line.amount,
            value_date=line.value_date or line.booking_date or date.min,
            reference_text=line.remittance_info or "",
            payer_tax_id=line.payer_tax_id,
            payer_name=line.payer_name,
            payer_account=line.payer_account,
            end_to_end_id=line.end_to_end_id,
            line_id=line_id or line.bank_reference,
        )


@dataclass(frozen=True, slots=True)
class CandidateInstallment:
    """An installment as the engine sees it. Key lookups also return settled ones
    (``open`` zero) so a second payment of a paid boleto is recognised as such."""

    installment_id: UUID
    customer_id: UUID
    invoice_number: str
    number: InstallmentNumber
    due_date: date
    face_value: Money
    open_principal: Money
    open_late_charges: Money
    bank_reference: str | None = None
    document_number: str | None = None
    txid: str | None = None
    consumer: bool = False  # the customer is a person (CPF): late fine capped at 2 %

    @property
    def open(self) -> Money:
        return self.open_principal + self.open_late_charges

    @property
    def amount(self) -> Money:  # for late_charges.HasDue
        return self.face_value


@dataclass(frozen=True, slots=True)
class HistoryLink:
    """A customer this payer has paid for before (learned from confirmed matches)."""

    customer_id: UUID
    times: int


@dataclass(frozen=True, slots=True)
class PriorCredit:
    """A credit already received, as returned for the duplicate check."""

    value_date: date
    amount: Money
    reference_text: str = ""
    payer_tax_id: str | None = None
    bank_reference: str | None = None
    txid: str | None = None
    end_to_end_id: str | None = None
    line_id: str | None = None


class CandidateProvider(Protocol):
    def installments_by_bank_reference(self, bank_reference: str) -> Sequence[CandidateInstallment]:
        """By nosso número (key: ``reference_key``), settled ones included."""
        ...

    def installments_by_txid(self, txid: str) -> Sequence[CandidateInstallment]:
        """By PIX txid or end-to-end id of a charge, settled ones included."""
        ...

    def installments_by_reference(self, keys: Collection[str], limit: int) -> Sequence[CandidateInstallment]:
        """Installments whose invoice number or document number (seu número) has one of
        these ``reference_key`` values, settled ones included."""
        ...

    def installments_by_reference_near(
        self, deletion_keys: Collection[str], limit: int
    ) -> Sequence[CandidateInstallment]:
        """Installments sharing a deletion key (``matching_text.deletion_keys``) with their
        invoice or document number; the engine confirms each with ``typo_distance``."""
        ...

    def open_installments(self, customer_id: UUID, limit: int) -> Sequence[CandidateInstallment]:
        """A customer's open installments, oldest due first, at most ``limit``."""
        ...

    def installments_by_open_amount(self, amount: Money, limit: int) -> Sequence[CandidateInstallment]:
        """Open installments whose open amount (principal and charges) is exactly
        ``amount``, oldest due first, at most ``limit``: the last resort when a credit
        names nothing and nobody."""
        ...

    def customers_by_tax_id(self, tax_id_key: str) -> Sequence[UUID]: ...

    def customers_by_tax_root(self, root: str, limit: int) -> Sequence[UUID]:
        """Customers whose CNPJ starts with this 8-character root (the same company)."""
        ...

    def customers_by_account(self, account_key: str) -> Sequence[UUID]: ...

    def customers_by_name(self, name_key: str, limit: int) -> Sequence[UUID]: ...

    def customers_paid_for_by(self, payer_key: str) -> Sequence[HistoryLink]:
        """Customers a payer (tax id key, or account key) paid for in confirmed matches."""
        ...

    def prior_credits(self, amount: Money, since: date, until: date) -> Sequence[PriorCredit]:
        """Credits of exactly ``amount`` already received with a value date in the window."""
        ...


class ShortPaymentHandling(StrEnum):
    LEAVE_OPEN = "leave_open"  # the residual stays open on the installment, with a reason
    DEDUCTION_REVIEW = "deduction_review"  # a person decides whether to accept a deduction


@dataclass(frozen=True, slots=True)
class MatchSettings:
    """Tenant settings for cash application."""

    currency: str
    tolerance_amount: Money  # absolute difference still taken as "the same amount"
    tolerance_percent: Decimal = Decimal(0)  # …or this share of the expected amount, if larger
    auto_apply_threshold: float = 0.9
    # The runner-up must carry at least this many times the best proposal's doubt
    # (1 - confidence); 2.0 means "twice as doubtful".
    min_doubt_ratio: float = 2.0
    # The references and the payer alone must reach this (a payer's name alone does not).
    min_identity: float = 0.5
    late_charges: LateChargePolicy = field(default_factory=LateChargePolicy)
    component_order: ComponentOrder = ComponentOrder.CHARGES_FIRST
    short_payments: ShortPaymentHandling = ShortPaymentHandling.LEAVE_OPEN
    # A short payment is applied automatically only when a bank reference or txid names
    # the installment (nobody else could have meant it); otherwise it goes to review.
    auto_apply_short_payments: bool = True
    max_candidates: int = 25  # open installments per customer considered for combinations
    max_subset_items: int = 4
    max_customers: int = 4
    date_proximity_days: int = 10
    duplicate_window_days: int = 7

    def tolerance_for(self, expected: Money) -> Money:
        pct = Money.rounded(expected.amount * self.tolerance_percent / 100, expected.currency)
        return self.tolerance_amount.max(pct)
