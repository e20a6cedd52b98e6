"""The installment ledger: immutable entries from which every balance is derived.

Entries are never edited or deleted; a mistake is corrected by a new entry (a reversal
or an adjustment), so the history an auditor reads is the history that happened.

``LedgerEntry.amount`` is the *signed* effect on the open amount (a charge is +100.00,
a payment allocation -100.00). That way the database derives a balance with one
``SUM(amount_minor)`` and the sign rules are checked here, once, per kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.model import ReceivablesError
from app.domain.receivables.reasons import ReasonCode, check_reason
from app.domain.shared.errors import Conflict
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

# Kinds a person decides on: each needs a reason code (and approval above a threshold,
# see approval.py).
REASON_REQUIRED = frozenset(
    {
        EntryKind.CREDIT_NOTE,
        EntryKind.REBATE,
        EntryKind.ADJUSTMENT,
        EntryKind.WRITE_OFF,
        EntryKind.ALLOCATION_REVERSAL,
        EntryKind.WRITE_OFF_REVERSAL,
    }
)


_ZERO = Decimal(0)

# Kinds that move money of a payment: they name it, and they are what paid an installment.
_PAID = frozenset({EntryKind.PAYMENT_ALLOCATION, EntryKind.ALLOCATION_REVERSAL})


class InstallmentStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: UUID
    installment_id: UUID
    kind: EntryKind
    amount: Money  # signed effect on the open amount
    effective_date: date
    component: Component = Component.PRINCIPAL
    payment_id: UUID | None = None  # set on allocations and their reversals
    reverses: UUID | None = None  # the entry a reversal undoes
    reason: ReasonCode | None = None
    note: str | None = None
    created_by: UUID | None = None

    def __post_init__(self) -> None:
        kind = self.kind
        amount = self.amount.amount
        if amount.is_zero():
            raise ReceivablesError("a ledger entry cannot be zero")
        sign = kind.sign
        if sign and (amount > 0) != (sign > 0):
            raise ReceivablesError(f"a {kind.value} entry must be {'positive' if sign > 0 else 'negative'}")
        if kind is EntryKind.CHARGE and self.component is not Component.PRINCIPAL:
            raise ReceivablesError("the face-value charge is principal")
        if kind is EntryKind.LATE_CHARGE and self.component is not Component.LATE_CHARGES:
            raise ReceivablesError("late charges are booked on the late-charges component")
        if kind in _PAID and not self.payment_id:
            raise ReceivablesError(f"a {kind.value} entry names its payment")
        if (kind.reverses is not None) != (self.reverses is not None):
            raise ReceivablesError("only reversal entries reference the entry they reverse")
        if kind in REASON_REQUIRED:
            check_reason(kind, self.reason, self.note)

    @property
    def magnitude(self) -> Money:
        return self.amount if self.amount.is_positive() else -self.amount


def new_entry(
    kind: EntryKind,
    installment_id: UUID,
    magnitude: Money,
    on: date,
    *,
    component: Component = Component.PRINCIPAL,
    payment_id: UUID | None = None,
    reverses: UUID | None = None,
    reason: ReasonCode | None = None,
    note: str | None = None,
    created_by: UUID | None = None,
    entry_id: UUID | None = None,
) -> LedgerEntry:
    """Build an entry from a positive magnitude; the kind gives the sign.

    Adjustments have no fixed sign: pass a signed amount (+ raises, - lowers the balance).
    """
    if kind.sign == 0:
        signed = magnitude
    else:
        if not magnitude.is_positive():
            raise ReceivablesError(f"the amount of a {kind.value} is given as a positive magnitude")
        signed = magnitude if kind.sign > 0 else -magnitude
    return LedgerEntry(
        id=entry_id or new_id(),
        installment_id=installment_id,
        kind=kind,
        amount=signed,
        effective_date=on,
        component=component,
        payment_id=payment_id,
        reverses=reverses,
        reason=reason,
        note=note,
        created_by=created_by,
    )


@dataclass(frozen=True, slots=True)
class Balance:
    principal: Money
    late_charges: Money

    @property
    def open(self) -> Money:
        return self.principal + self.late_charges

    def of(self, component: Component) -> Money:
        return self.principal if component is Component.PRINCIPAL else self.late_charges

    def moved(self, component: Component, amount: Money) -> Balance:
        """This balance after an entry of signed ``amount`` on ``component``."""
        if component is Component.PRINCIPAL:
            return Balance(self.principal + amount, self.late_charges)
        return Balance(self.principal, self.late_charges + amount)


def _currency(entries: Sequence[LedgerEntry]) -> str:
    if not entries:
        raise ReceivablesError("a ledger starts with the installment's charge; it is empty")
    return entries[0].amount.currency


def balance(entries: Sequence[LedgerEntry]) -> Balance:
    currency = _currency(entries)
    principal = Money.zero(currency)
    charges = Money.zero(currency)
    for e in entries:
        if e.component is Component.PRINCIPAL:
            principal = principal + e.amount
        else:
            charges = charges + e.amount
    return Balance(principal, charges)


def open_amount(entries: Sequence[LedgerEntry]) -> Money:
    """What is still owed: principal plus assessed late charges, net of everything else."""
    return balance(entries).open


def _net(entries: Iterable[LedgerEntry], kinds: frozenset[EntryKind], currency: str) -> Money:
    acc = Money.zero(currency)
    for e in entries:
        if e.kind in kinds:
            acc = acc + e.amount
    return acc


_WRITTEN_OFF = frozenset({EntryKind.WRITE_OFF, EntryKind.WRITE_OFF_REVERSAL})


def derive_status(entries: Sequence[LedgerEntry]) -> InstallmentStatus:
    """Status from the entries alone.

    - open: something is owed and nothing (net) has been paid;
    - partially_paid: something is owed and some payment is applied;
    - written_off: nothing is owed and some of it was written off as bad debt (even if
      part was paid first: the loss is what a credit manager needs to see);
    - paid: nothing is owed and payments settled it;
    - cancelled: nothing is owed and neither payments nor write-offs closed it (credit
      notes, rebates or adjustments did: the sale was undone).
    Overdue is not a status: it depends on the date, see ``aging.py``.
    """
    return _status(entries, balance(entries))


def _status(entries: Sequence[LedgerEntry], bal: Balance) -> InstallmentStatus:
    """``derive_status`` given the entries' balance (one pass over the entries). Only
    signs are read, so the sums are of the entries' Decimal amounts (of one currency,
    as a ledger's entries are), exact like Money's."""
    paid = _ZERO
    written_off = _ZERO
    for e in entries:
        kind = e.kind
        if kind in _PAID:
            paid -= e.amount.amount
        elif kind in _WRITTEN_OFF:
            written_off -= e.amount.amount
    if bal.principal.amount + bal.late_charges.amount > 0:
        return InstallmentStatus.PARTIALLY_PAID if paid > 0 else InstallmentStatus.OPEN
    if written_off > 0:
        return InstallmentStatus.WRITTEN_OFF
    if paid > 0:
        return InstallmentStatus.PAID
    return InstallmentStatus.CANCELLED


def reversed_ids(entries: Iterable[LedgerEntry]) -> frozenset[UUID]:
    return frozenset(e.reverses for e in entries if e.reverses is not None)


def check_append(entries: Sequence[LedgerEntry], new: LedgerEntry) -> None:
    """Raise unless ``new`` may follow ``entries`` in the same installment's ledger.

    The invariants: the ledger opens with exactly one charge; a reversal undoes exactly
    one entry of the matching kind, in full, once; and no component ever goes below
    zero, so an installment is never over-allocated, over-credited or over-written-off.
    """
    _checked_balance(entries, new, None)


def _checked_balance(entries: Sequence[LedgerEntry], new: LedgerEntry, before: Balance | None) -> Balance:
    """``check_append``, returning the balance after ``new``. ``before``: the balance of
    ``entries`` when the caller has it (a ledger keeps its own), else it is summed."""
    # UUIDs are compared by their ``int``: what ``UUID.__eq__`` compares, without a
    # Python-level call per comparison.
    if entries:
        first = entries[0]
        if first.installment_id.int != new.installment_id.int:
            raise ReceivablesError("an entry belongs to its own installment's ledger")
        if first.amount.currency != new.amount.currency:
            raise ReceivablesError("all entries of an installment share its currency")
        if new.kind is EntryKind.CHARGE:
            raise Conflict("the installment has already been charged")
    elif new.kind is not EntryKind.CHARGE:
        raise ReceivablesError("a ledger opens with the installment's charge")
    new_id_ = new.id.int
    for e in entries:
        if e.id.int == new_id_:
            raise Conflict(f"entry {new.id} is already in the ledger")
    if new.reverses is not None:
        target = next((e for e in entries if e.id == new.reverses), None)
        if target is None or target.kind is not new.kind.reverses:
            raise ReceivablesError(f"{new.kind.value} must reverse a {new.kind.reverses} of this installment")
        if new.reverses in reversed_ids(entries):
            raise Conflict("that entry has already been reversed")
        if new.amount != -target.amount or new.component is not target.component:
            raise ReceivablesError("a reversal undoes the whole entry, on the same component")
        if new.payment_id != target.payment_id:
            raise ReceivablesError("an allocation reversal names the same payment")
    if before is None:
        before = balance(entries) if entries else None
    after = balance([new]) if before is None else before.moved(new.component, new.amount)
    if after.principal.is_negative() or after.late_charges.is_negative():
        raise Conflict(
            f"{new.kind.value} of {new.magnitude} exceeds what is open "
            f"(principal {balance(entries).principal if entries else '0'}, "
            f"late charges {balance(entries).late_charges if entries else '0'})"
        )
    return after


@dataclass(frozen=True, slots=True)
class InstallmentLedger:
    """An installment's entries, checked on every append. Immutable: ``append`` returns
    a new ledger, so a rejected entry leaves nothing half-applied."""

    installment_id: UUID
    entries: tuple[LedgerEntry, ...] = field(default=())
    # The entries' balance, summed once (lazily, or carried over by ``append``): the
    # entries never change, and a settlement step reads it several times. Not part of
    # the value: no init, repr, comparison or hash. The status likewise, derived once.
    _balance: Balance | None = field(default=None, init=False, repr=False, compare=False, hash=False)
    _derived_status: InstallmentStatus | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def opened(
        cls, installment_id: UUID, face_value: Money, on: date, *, entry_id: UUID | None = None
    ) -> InstallmentLedger:
        charge = new_entry(EntryKind.CHARGE, installment_id, face_value, on, entry_id=entry_id)
        return cls(installment_id, (charge,))

    def append(self, entry: LedgerEntry) -> InstallmentLedger:
        if entry.installment_id.int != self.installment_id.int:  # UUID equality, cheaply
            raise ReceivablesError("an entry belongs to its own installment's ledger")
        after = _checked_balance(self.entries, entry, self._balance)
        ledger = InstallmentLedger(self.installment_id, (*self.entries, entry))
        object.__setattr__(ledger, "_balance", after)
        return ledger

    def extend(self, entries: Iterable[LedgerEntry]) -> InstallmentLedger:
        """``append`` of each entry in turn (each checked against those before it),
        without the ledgers in between."""
        after = self.entries
        bal = self._balance
        own = self.installment_id.int
        for e in entries:
            if e.installment_id.int != own:  # UUID equality, cheaply
                raise ReceivablesError("an entry belongs to its own installment's ledger")
            bal = _checked_balance(after, e, bal)
            after = (*after, e)
        if after is self.entries:
            return self
        ledger = InstallmentLedger(self.installment_id, after)
        object.__setattr__(ledger, "_balance", bal)
        return ledger

    @property
    def balance(self) -> Balance:
        bal = self._balance
        if bal is None:
            bal = balance(self.entries)
            object.__setattr__(self, "_balance", bal)
        return bal

    @property
    def open_amount(self) -> Money:
        return self.balance.open

    @property
    def status(self) -> InstallmentStatus:
        status = self._derived_status
        if status is None:
            status = _status(self.entries, self.balance)
            object.__setattr__(self, "_derived_status", status)
        return status

    def entry(self, entry_id: UUID) -> LedgerEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise ReceivablesError(f"entry {entry_id} is not in this ledger")

    def live_allocations(self, payment_id: UUID | None = None) -> list[LedgerEntry]:
        """Allocations not reversed, optionally of one payment."""
        gone = reversed_ids(self.entries)
        return [
            e
            for e in self.entries
            if e.kind is EntryKind.PAYMENT_ALLOCATION
            and e.id not in gone
            and (payment_id is None or e.payment_id == payment_id)
        ]
