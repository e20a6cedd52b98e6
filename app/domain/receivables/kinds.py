"""The kinds of ledger entry and the balance component each one moves."""

from __future__ import annotations

from enum import StrEnum


class EntryKind(StrEnum):
    CHARGE = "charge"  # the installment's face value, once, when it is issued
    PAYMENT_ALLOCATION = "payment_allocation"
    ALLOCATION_REVERSAL = "allocation_reversal"
    CREDIT_NOTE = "credit_note"
    ADJUSTMENT = "adjustment"  # the only kind that may raise or lower the balance
    WRITE_OFF = "write_off"  # bad debt (perda), not the bank's "baixa"
    WRITE_OFF_REVERSAL = "write_off_reversal"
    LATE_CHARGE = "late_charge"  # fine and/or interest assessed
    DISCOUNT = "discount"  # early-payment discount granted
    REBATE = "rebate"  # abatimento: reduces the face value

    @property
    def sign(self) -> int:
        """+1 raises the open amount, -1 lowers it, 0 either (adjustments)."""
        return _SIGNS[self]

    @property
    def reverses(self) -> EntryKind | None:
        """The kind a reversal entry undoes."""
        return _REVERSES.get(self)


_SIGNS: dict[EntryKind, int] = {
    EntryKind.CHARGE: 1,
    EntryKind.PAYMENT_ALLOCATION: -1,
    EntryKind.ALLOCATION_REVERSAL: 1,
    EntryKind.CREDIT_NOTE: -1,
    EntryKind.ADJUSTMENT: 0,
    EntryKind.WRITE_OFF: -1,
    EntryKind.WRITE_OFF_REVERSAL: 1,
    EntryKind.LATE_CHARGE: 1,
    EntryKind.DISCOUNT: -1,
    EntryKind.REBATE: -1,
}

_REVERSES: dict[EntryKind, EntryKind] = {
    EntryKind.ALLOCATION_REVERSAL: EntryKind.PAYMENT_ALLOCATION,
    EntryKind.WRITE_OFF_REVERSAL: EntryKind.WRITE_OFF,
}


class Component(StrEnum):
    """What part of the balance an entry moves.

    The face value and late charges are kept apart so a payment can settle charges
    before principal (or the other way round) and reports can show interest income.
    """

    PRINCIPAL = "principal"
    LATE_CHARGES = "late_charges"
