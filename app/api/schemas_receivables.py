"""Request and response shapes of the receivables API: installments, payments,
allocations, refunds, manual changes and approvals, and the aging report."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from app.api.schemas import Currency, Decimal, IsoDate
from app.domain.receivables.reasons import ReasonCode

Note = Annotated[str, Meta(max_length=500)]
SignedDecimal = Annotated[str, Meta(pattern=r"^-?\d{1,13}(\.\d{1,4})?$", examples=["-12.50"])]


class LateChargesOut(msgspec.Struct):
    as_of: str
    days_late: int
    fine: str
    interest: str
    discount: str
    total_due: str


class InstallmentOut(msgspec.Struct):
    id: str
    invoice_id: str
    customer_id: str
    number: str
    due_date: str
    amount: str
    open_amount: str
    currency: str
    status: str
    bank_reference: str | None
    document_number: str | None
    txid: str | None
    days_late: int
    late_charges: LateChargesOut | None


class LedgerEntryOut(msgspec.Struct):
    id: str
    installment_id: str
    kind: str
    component: str
    amount: str
    currency: str
    effective_date: str
    payment_id: str | None
    reverses: str | None
    reason: str | None
    note: str | None
    actor: str
    created_at: str
    reversed: bool = False


class InstallmentDetail(msgspec.Struct):
    installment: InstallmentOut
    entries: list[LedgerEntryOut]


class InstallmentPage(msgspec.Struct):
    items: list[InstallmentOut]
    next_cursor: str | None


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Decimal
    value_date: IsoDate
    reference: Annotated[str, Meta(min_length=1, max_length=200)]
    currency: Currency | None = None
    external_id: Annotated[str, Meta(min_length=1, max_length=120)] | None = None
    customer_id: uuid.UUID | None = None
    payer_name: Annotated[str, Meta(max_length=200)] | None = None
    payer_tax_id: Annotated[str, Meta(max_length=32)] | None = None
    payer_account: Annotated[str, Meta(max_length=80)] | None = None


class RefundOut(msgspec.Struct):
    id: str
    amount: str
    date: str
    reason: str


class PaymentOut(msgspec.Struct):
    id: str
    source: str
    external_id: str
    customer_id: str | None
    payer_name: str | None
    payer_tax_id: str | None
    payer_account: str | None
    amount: str
    currency: str
    value_date: str
    reference: str
    unapplied_amount: str
    status: str


class PaymentDetail(msgspec.Struct):
    payment: PaymentOut
    allocations: list[LedgerEntryOut]
    refunds: list[RefundOut]


class PaymentPage(msgspec.Struct):
    items: list[PaymentOut]
    next_cursor: str | None


class AllocationIn(msgspec.Struct, forbid_unknown_fields=True):
    installment_id: uuid.UUID
    amount: Decimal


class AllocateIn(msgspec.Struct, forbid_unknown_fields=True):
    allocations: Annotated[list[AllocationIn], Meta(max_length=500)] | None = None
    strategy: Literal["oldest_first"] | None = None
    customer_id: uuid.UUID | None = None


class ReverseIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: ReasonCode
    note: Note | None = None


class RefundIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Decimal
    reason: Annotated[str, Meta(min_length=1, max_length=500)]
    date: IsoDate | None = None


class ChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    """A credit note or write-off (positive amount; a write-off without an amount
    writes off everything open)."""

    installment_id: uuid.UUID
    reason: ReasonCode
    amount: Decimal | None = None
    note: Note | None = None


class AdjustmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """An adjustment: a signed amount (+ raises, - lowers what is owed)."""

    installment_id: uuid.UUID
    reason: ReasonCode
    amount: SignedDecimal
    note: Note | None = None


class ChangeRequestOut(msgspec.Struct):
    id: str
    installment_id: str
    kind: str
    component: str
    amount: str
    currency: str
    reason: str
    note: str | None
    state: str
    needs_approval: bool
    requested_by: str
    requested_at: str
    effective_date: str
    decided_by: str | None
    decided_at: str | None
    decision_note: str | None


class ChangeRequestPage(msgspec.Struct):
    items: list[ChangeRequestOut]
    next_cursor: str | None


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    note: Note | None = None


class AgingCell(msgspec.Struct):
    bucket: str
    count: int
    amount: str


class AgingGroup(msgspec.Struct):
    key: str | None
    label: str | None
    currency: str
    buckets: list[AgingCell]
    total: str
    count: int


class AgingOut(msgspec.Struct):
    as_of: str
    group_by: str
    basis: str  # "maintained" (as_of today or later) or "ledger" (a past date)
    buckets: list[str]
    groups: list[AgingGroup]
    totals: list[AgingGroup]  # one per currency
    group_count: int = 0  # groups before ``top`` kept only the largest


class AgingItem(msgspec.Struct):
    installment_id: str
    invoice_id: str
    invoice_number: str
    number: str
    customer_id: str
    customer_name: str
    due_date: str
    days_late: int
    bucket: str
    open_amount: str
    currency: str


class AgingItemPage(msgspec.Struct):
    items: list[AgingItem]
    next_cursor: str | None


class InvoiceWithInstallments(msgspec.Struct):
    """An invoice with its installments (single-invoice responses)."""

    id: str
    customer_id: str
    number: str
    issue_date: str
    due_date: str
    amount: str
    currency: str
    open_amount: str
    status: str
    external_ref: str | None
    description: str | None
    created_at: str
    updated_at: str
    installments: list[InstallmentOut]
