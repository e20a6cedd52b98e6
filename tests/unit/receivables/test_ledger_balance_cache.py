"""A ledger keeps its balance as entries are appended (instead of summing all entries
at every read): what it reports is what the entries alone give, step after step,
and a refused entry is refused exactly as ``check_append`` refuses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import (
    InstallmentLedger,
    LedgerEntry,
    balance,
    check_append,
    derive_status,
    new_entry,
    open_amount,
)
from app.domain.receivables.reasons import ReasonCode
from app.domain.shared.money import Money

D0 = date(2025, 1, 10)
PAYMENT = uuid4()

# (kind, component, reason) of the entries a settlement and the back office book.
STEPS = [
    (EntryKind.PAYMENT_ALLOCATION, Component.PRINCIPAL, None),
    (EntryKind.PAYMENT_ALLOCATION, Component.LATE_CHARGES, None),
    (EntryKind.LATE_CHARGE, Component.LATE_CHARGES, None),
    (EntryKind.DISCOUNT, Component.PRINCIPAL, None),
    (EntryKind.CREDIT_NOTE, Component.PRINCIPAL, ReasonCode.RETURNED_GOODS),
    (EntryKind.WRITE_OFF, Component.PRINCIPAL, ReasonCode.UNCOLLECTIBLE),
    (EntryKind.WRITE_OFF, Component.LATE_CHARGES, ReasonCode.SMALL_BALANCE),
]


def _entry(ledger: InstallmentLedger, step: int, minor: int, currency: str) -> LedgerEntry:
    kind, component, reason = STEPS[step]
    return new_entry(
        kind,
        ledger.installment_id,
        Money.from_minor(minor, currency),
        D0,
        component=component,
        payment_id=PAYMENT if kind is EntryKind.PAYMENT_ALLOCATION else None,
        reason=reason,
    )


def _error(fn: Callable[[], object]) -> tuple[str, str] | None:
    try:
        fn()
    except Exception as exc:  # compared, not swallowed
        return (type(exc).__name__, str(exc))
    return None


@settings(max_examples=200, deadline=None)
@given(
    face=st.integers(min_value=1, max_value=10**9),
    steps=st.lists(
        st.tuples(st.integers(0, len(STEPS) - 1), st.integers(min_value=1, max_value=10**9)),
        max_size=12,
    ),
    currency=st.sampled_from(["BRL", "JPY", "KWD"]),
)
def test_kept_balance_and_status_are_those_of_the_entries(
    face: int, steps: list[tuple[int, int]], currency: str
) -> None:
    ledger = InstallmentLedger.opened(uuid4(), Money.from_minor(face, currency), D0)
    for step, minor in steps:
        entry = _entry(ledger, step, minor, currency)
        refused = _error(lambda: check_append(ledger.entries, entry))  # noqa: B023
        assert _error(lambda: ledger.append(entry)) == refused  # noqa: B023
        if refused is None:
            ledger = ledger.append(entry)
        fresh = InstallmentLedger(ledger.installment_id, ledger.entries)  # nothing kept
        assert ledger.balance == balance(ledger.entries) == fresh.balance
        assert ledger.open_amount == open_amount(ledger.entries) == fresh.open_amount
        assert ledger.status is derive_status(ledger.entries) is fresh.status
        # The kept balance is no part of the value.
        assert ledger == fresh and hash(ledger) == hash(fresh) and repr(ledger) == repr(fresh)
        assert replace(ledger, entries=ledger.entries[:1]).balance == balance(ledger.entries[:1])
