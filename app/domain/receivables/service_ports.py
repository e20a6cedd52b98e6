"""The ports the receivables use cases need, and the shapes they exchange.

The SQL adapters implement them (``app/adapters/db/repositories/receivables*.py``);
``lock`` methods take row locks where the database has them (``SELECT … FOR UPDATE``
on PostgreSQL), always in id order so two writers never deadlock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from app.domain.receivables.approval import ChangeRequest
from app.domain.receivables.invoice_input import InvoiceStatus
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry
from app.domain.receivables.model import Installment
from app.domain.receivables.payments import Payment, PaymentPosition, PaymentStatus, Refund
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.shared.events import UnitOfWorkBase
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class InstallmentState:
    """An installment with its whole ledger, as loaded (and locked) for a change."""

    installment: Installment
    ledger: InstallmentLedger
    consumer: bool = False  # the customer is a person: late fine capped (CDC art. 52)

    @property
    def id(self) -> UUID:
        return self.installment.id


@dataclass(frozen=True, slots=True)
class RecordedPayment:
    payment: Payment
    external_id: str
    unapplied: Money
    status: PaymentStatus


@dataclass(frozen=True, slots=True)
class InvoicePart:
    """One installment as its invoice's position needs it."""

    status: InstallmentStatus
    open: Money


class InstallmentStore(Protocol):
    async def add(self, items: Sequence[tuple[Installment, InstallmentLedger]]) -> None:
        """New installments with their opening ledgers (the charge entry)."""
        ...

    async def lock(self, ids: Collection[UUID]) -> dict[UUID, InstallmentState]:
        """The installments that exist in this tenant, locked for this transaction."""
        ...

    async def open_for_customer(self, customer_id: UUID, currency: str, limit: int) -> list[UUID]:
        """A customer's installments with something open, oldest due first."""
        ...

    async def save(self, ledger: InstallmentLedger, new_entries: int) -> None:
        """Insert the last ``new_entries`` entries of ``ledger`` and rewrite the
        installment's maintained open amount and status from it."""
        ...

    async def invoice_of(self, installment_id: UUID) -> UUID | None: ...

    async def invoice_parts(self, invoice_id: UUID) -> list[InvoicePart]: ...

    async def set_invoice_position(
        self, invoice_id: UUID, open_amount: Money, status: InvoiceStatus
    ) -> None: ...

    async def ids_of_invoice(self, invoice_id: UUID) -> list[UUID]: ...

    async def reschedule(self, installment_id: UUID, due_date: date, face_value: Money) -> None:
        """Change the agreed due date and face value of an untouched installment."""
        ...


class PaymentStore(Protocol):
    async def by_external_id(self, external_id: str) -> RecordedPayment | None: ...

    async def add(self, payment: RecordedPayment, actor: str) -> None: ...

    async def lock(self, payment_id: UUID) -> RecordedPayment | None: ...

    async def entries(self, payment_id: UUID) -> list[LedgerEntry]:
        """The payment's allocation and reversal entries, in any installment."""
        ...

    async def refunds(self, payment_id: UUID) -> list[Refund]: ...

    async def add_refund(self, refund: Refund, actor: str) -> None: ...

    async def set_position(self, payment_id: UUID, position: PaymentPosition) -> None: ...

    async def customer_exists(self, customer_id: UUID) -> bool: ...


class ChangeRequestStore(Protocol):
    async def add(self, request: ChangeRequest, requester: str) -> None: ...

    async def lock(self, request_id: UUID) -> ChangeRequest | None: ...

    async def decide(self, request: ChangeRequest, approver: str) -> None: ...


class LedgerUnitOfWork(UnitOfWorkBase, Protocol):
    @property
    def installments(self) -> InstallmentStore: ...


class ReceivablesUnitOfWork(LedgerUnitOfWork, Protocol):
    @property
    def payments(self) -> PaymentStore: ...

    @property
    def change_requests(self) -> ChangeRequestStore: ...

    async def receivables_policy(self) -> ReceivablesPolicy: ...
