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
    payment_json_moved,
    replay_conflict,
)
from app.domain.receivables.service_ledger import entry_json
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.receivables.service_ports import InstallmentState, RecordedPayment
from app.domain.shared.errors import Conflict, FieldError, ValidationFailed
from app.domain.shared.money import Money

# The book's inputs and outputs are plain records, one or more per title of a return:
# named tuples, a fraction of a frozen dataclass's cost to build, and as immutable.


class ReceiptLine(NamedTuple):
    """Cash for one installment: the amounts to try, in order; the first that fits what
    is open is allocated (face plus late charges, then face alone), none if none fits."""

    installment_id: UUID
    attempts: tuple[Money, ...]


class Receipt(NamedTuple):
    new: NewPayment
    lines: tuple[ReceiptLine, ...] = ()


class ReceiptResult(NamedTuple):
    payment_id: UUID | None
    created: bool | None  # True: recorded now; False: a replay of its external id
    conflict: str | None = None  # the external id was recorded with another amount or date


class AuditEntry(NamedTuple):
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


def _was_not_paid(ledger: InstallmentLedger) -> bool:
    """Whether ``ledger`` is not paid, deriving its status only when nothing is open
    (the balance is at hand, and a paid installment has nothing open)."""
    return ledger.balance.open.is_positive() or ledger.status is not InstallmentStatus.PAID


class _Held:
    """An installment in the book: as loaded, its ledger now, how many of its entries
    are stored, and whether it has entries not taken yet."""

    __slots__ = ("changed", "ledger", "state", "stored")

    def __init__(self, state: InstallmentState) -> None:
        self.state = state
        self.ledger = state.ledger
        self.stored = len(state.ledger.entries)
        self.changed = False


class ReceiptBook:
    """Receipts applied in memory over installments loaded once (see the module doc)."""

    def __init__(
        self,
        policy: ReceivablesPolicy,
        states: Mapping[UUID, InstallmentState],
        known: Mapping[str, RecordedPayment],
    ) -> None:
        self._policy = policy
        self._held: dict[UUID, _Held] = {}
        self._known = dict(known)
        self._changed: list[_Held] = []  # installments with new entries, in order
        self._effects = ReceiptEffects()
        self.load(states.values())

    def load(self, states: Iterable[InstallmentState]) -> None:
        """(Re)load installments as stored now, e.g. after a change made outside the book.
        Call ``take`` first: unstored entries of these installments would be lost."""
        held = self._held
        for s in states:
            key = s.id
            was = held.get(key)
            if was is not None and was.changed:
                raise ValueError(f"installment {key} has entries not taken yet")
            held[key] = _Held(s)

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
        self._effects.audits.append(AuditEntry("create", "payment", rec_json["id"], None, rec_json))
        self._effects.events.append(Event("payment.received", rec_json))
        position = PaymentPosition.received(payment)
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
        held = self._held.get(installment_id)
        if held is None:
            raise ValidationFailed([FieldError("allocations", f"no such installment {installment_id}")])
        state = held.state
        inst = state.installment
        currency = inst.amount.currency
        if currency != payment.amount.currency:
            raise ValidationFailed([FieldError("allocations", "installment in another currency")])
        before = held.ledger
        step = allocation_step(state, before, payment, position, amount, self._policy, exact=True)
        assert step is not None  # exact: a line that does not fit raises Conflict
        ledger, position = step
        held.ledger = ledger
        if not held.changed:
            held.changed = True
            self._changed.append(held)
        effects = self._effects
        effects.invoices[inst.invoice_id] = currency
        if ledger.status is InstallmentStatus.PAID and _was_not_paid(before):
            effects.events.append(_paid_event(state))
        before_json = rec_json
        rec = RecordedPayment(payment, rec.external_id, position.unapplied, position.status)
        rec_json = payment_json_moved(before_json, rec)
        allocations: list[dict[str, Any]] = []
        charges: list[dict[str, Any]] = []
        for e in ledger.entries[len(before.entries) :]:
            if e.kind is EntryKind.PAYMENT_ALLOCATION:
                allocations.append(entry_json(e))
            elif e.kind is EntryKind.LATE_CHARGE:
                charges.append(entry_json(e))
        if allocations:
            after = {**rec_json, "allocations": allocations, "late_charges": charges}
            effects.audits.append(AuditEntry("allocate", "payment", before_json["id"], before_json, after))
            effects.events.append(Event("payment.allocated", after))
        for c in charges:
            effects.events.append(Event("late_charge.assessed", c))
        return rec, rec_json, position

    def take(self) -> ReceiptEffects:
        """The effects since the last call; afterwards they count as stored."""
        effects, self._effects = self._effects, ReceiptEffects()
        for held in self._changed:
            ledger = held.ledger
            start = held.stored
            effects.entries.extend(
                [(e, line) for line, e in enumerate(ledger.entries[start:], start=start + 1)]
            )
            effects.installments.append((ledger, ledger.status))
            held.stored = len(ledger.entries)
            held.changed = False
        self._changed = []
        return effects
