"""Many receipts decided in memory: the batch form of ``record_payment`` followed by
``allocate_payment`` with explicit lines, for bank files of 100k titles.

The caller loads once, for a whole batch, the payments already recorded under the
batch's external ids and the batch's installments (locked, with their ledgers). A
``ReceiptBook`` then takes the receipts one by one, in file order, with the same
rules as the use cases (``allocation_step``, ``payment_json``, ``entry_json``): the
same external id never pays twice, a line never over-allocates, and a later receipt
for the same installment sees what an earlier one booked. ``take`` hands back what
to store — new payments with their final position, new ledger entries with their line
numbers, the installments and invoices to refresh, audit entries and events — so the
adapter writes them with a few bulk statements instead of a dozen queries a receipt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from uuid import UUID

from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry
from app.domain.receivables.payments import PaymentPosition
from app.domain.receivables.service import (
    NewPayment,
    allocation_step,
    external_key,
    new_recorded_payment,
    payment_json,
    replay_conflict,
)
from app.domain.receivables.service_ledger import entry_json
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.receivables.service_ports import InstallmentState, RecordedPayment
from app.domain.shared.errors import Conflict, FieldError, ValidationFailed
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """Cash for one installment: the amounts to try, in order; the first that fits what
    is open is allocated (face plus late charges, then face alone), none if none fits."""

    installment_id: UUID
    attempts: tuple[Money, ...]


@dataclass(frozen=True, slots=True)
class Receipt:
    new: NewPayment
    lines: tuple[ReceiptLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    payment_id: UUID | None
    created: bool | None  # True: recorded now; False: a replay of its external id
    conflict: str | None = None  # the external id was recorded with another amount or date


@dataclass(frozen=True, slots=True)
class AuditEntry:
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Event(NamedTuple):
    """An outbox event to write (the store gives it its id, as ``record_many`` does)."""

    type: str
    data: dict[str, Any]


@dataclass(slots=True)
class ReceiptEffects:
    """What the receipts taken since the last ``take`` change, ready to store."""

    payments: list[RecordedPayment] = field(default_factory=list)
    entries: list[tuple[LedgerEntry, int]] = field(default_factory=list)  # with its ledger line
    # Changed installments: the ledger (its open amount is maintained) and its status.
    installments: list[tuple[InstallmentLedger, InstallmentStatus]] = field(default_factory=list)
    invoices: dict[UUID, str] = field(default_factory=dict)  # invoice → currency, to refresh
    audits: list[AuditEntry] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _paid_event(state: InstallmentState) -> Event:
    inst = state.installment
    return Event(
        "installment.paid",
        {
            "installment_id": str(inst.id),
            "invoice_id": str(inst.invoice_id),
            "customer_id": str(inst.customer_id),
            "amount": str(inst.amount.amount),
            "currency": inst.currency,
        },
    )


class ReceiptBook:
    """Receipts applied in memory over installments loaded once (see the module doc)."""

    def __init__(
        self,
        policy: ReceivablesPolicy,
        states: Mapping[UUID, InstallmentState],
        known: Mapping[str, RecordedPayment],
    ) -> None:
        self._policy = policy
        self._states: dict[UUID, InstallmentState] = {}
        self._ledgers: dict[UUID, InstallmentLedger] = {}
        self._stored: dict[UUID, int] = {}  # entries of each ledger already in the database
        self._statuses: dict[UUID, InstallmentStatus] = {}
        self._known = dict(known)
        self._changed: dict[UUID, None] = {}  # ordered set of installments with new entries
        self._effects = ReceiptEffects()
        self.load(states.values())

    def load(self, states: Iterable[InstallmentState]) -> None:
        """(Re)load installments as stored now, e.g. after a change made outside the book.
        Call ``take`` first: unstored entries of these installments would be lost."""
        for s in states:
            if s.id in self._changed:
                raise ValueError(f"installment {s.id} has entries not taken yet")
            self._states[s.id] = s
            self._ledgers[s.id] = s.ledger
            self._stored[s.id] = len(s.ledger.entries)
            self._statuses.pop(s.id, None)

    def _status(self, installment_id: UUID) -> InstallmentStatus:
        """The installment's status now (derived once, then kept as entries are added)."""
        status = self._statuses.get(installment_id)
        if status is None:
            status = self._statuses[installment_id] = self._ledgers[installment_id].status
        return status

    def remember(self, rec: RecordedPayment) -> None:
        """A payment recorded outside the book (its external id must not pay again)."""
        self._known[rec.external_id] = rec

    def receive(self, receipt: Receipt) -> ReceiptResult:
        """``record_payment`` then, if it was recorded now, one ``allocate_payment`` per
        line and attempt, with the same outcomes, audit entries and events."""
        new = receipt.new
        external_id = external_key(new)
        existing = self._known.get(external_id)
        if existing is not None:
            conflict = replay_conflict(existing, new, external_id)
            if conflict is not None:
                return ReceiptResult(None, None, conflict)
            return ReceiptResult(existing.payment.id, False)
        rec = new_recorded_payment(new, external_id)
        payment = rec.payment
        rec_json = payment_json(rec)
        self._effects.audits.append(AuditEntry("create", "payment", str(payment.id), None, rec_json))
        self._effects.events.append(Event("payment.received", rec_json))
        zero = Money.zero(payment.currency)
        position = PaymentPosition(payment.id, payment.amount, zero, zero)
        for line in receipt.lines:
            for amount in line.attempts:
                if not amount.is_positive():
                    continue
                try:
                    rec, rec_json, position = self._allocate(
                        rec, rec_json, position, line.installment_id, amount
                    )
                    break
                except Conflict:
                    continue
        self._known[external_id] = rec
        self._effects.payments.append(rec)
        return ReceiptResult(payment.id, True)

    def _allocate(
        self,
        rec: RecordedPayment,
        rec_json: dict[str, Any],
        position: PaymentPosition,
        installment_id: UUID,
        amount: Money,
    ) -> tuple[RecordedPayment, dict[str, Any], PaymentPosition]:
        """One ``allocate_payment`` of ``amount`` to one installment; ``rec_json`` is
        ``payment_json(rec)``, returned anew with the payment after it."""
        payment = rec.payment
        state = self._states.get(installment_id)
        if state is None:
            raise ValidationFailed([FieldError("allocations", f"no such installment {installment_id}")])
        if state.installment.currency != payment.currency:
            raise ValidationFailed([FieldError("allocations", "installment in another currency")])
        before = self._ledgers[installment_id]
        was = self._status(installment_id)
        step = allocation_step(state, before, payment, position, amount, self._policy, exact=True)
        assert step is not None  # exact: a line that does not fit raises Conflict
        ledger, position = step
        booked = ledger.entries[len(before.entries) :]
        self._ledgers[installment_id] = ledger
        self._changed[installment_id] = None
        self._effects.invoices[state.installment.invoice_id] = state.installment.currency
        status = ledger.status
        if status is InstallmentStatus.PAID and was is not InstallmentStatus.PAID:
            self._effects.events.append(_paid_event(state))
        self._statuses[installment_id] = status
        before_json = rec_json
        rec = RecordedPayment(rec.payment, rec.external_id, position.unapplied, position.status)
        rec_json = payment_json(rec)
        allocations: list[dict[str, Any]] = []
        charges: list[dict[str, Any]] = []
        for e in booked:
            if e.kind is EntryKind.PAYMENT_ALLOCATION:
                allocations.append(entry_json(e))
            elif e.kind is EntryKind.LATE_CHARGE:
                charges.append(entry_json(e))
        if allocations:
            after = {**rec_json, "allocations": allocations, "late_charges": charges}
            self._effects.audits.append(
                AuditEntry("allocate", "payment", str(payment.id), before_json, after)
            )
            self._effects.events.append(Event("payment.allocated", after))
        for c in charges:
            self._effects.events.append(Event("late_charge.assessed", c))
        return rec, rec_json, position

    def take(self) -> ReceiptEffects:
        """The effects since the last call; afterwards they count as stored."""
        effects, self._effects = self._effects, ReceiptEffects()
        for installment_id in self._changed:
            ledger = self._ledgers[installment_id]
            start = self._stored[installment_id]
            effects.entries.extend(
                (e, line) for line, e in enumerate(ledger.entries[start:], start=start + 1)
            )
            effects.installments.append((ledger, self._status(installment_id)))
            self._stored[installment_id] = len(ledger.entries)
        self._changed = {}
        return effects
