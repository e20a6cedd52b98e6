"""``InstallmentLedger.extend`` is ``append`` entry after entry, without the ledgers in
between; the status (derived once, from Decimal sums) is the one its definition gives
in Money; the book's cheap "was it paid?" is ``status is not PAID``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry, new_entry
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.receipts_batch import _was_not_paid
from app.domain.shared.money import Money

D0 = date(2025, 1, 10)
PAYMENT = uuid4()

STEPS = [
    (EntryKind.PAYMENT_ALLOCATION, Component.PRINCIPAL, None),
    (EntryKind.PAYMENT_ALLOCATION, Component.LATE_CHARGES, None),
    (EntryKind.LATE_CHARGE, Component.LATE_CHARGES, None),
    (EntryKind.DISCOUNT, Component.PRINCIPAL, None),
    (EntryKind.CREDIT_NOTE, Component.PRINCIPAL, ReasonCode.RETURNED_GOODS),
    (EntryKind.WRITE_OFF, Component.PRINCIPAL, ReasonCode.UNCOLLECTIBLE),
    (EntryKind.WRITE_OFF, Component.LATE_CHARGES, ReasonCode.SMALL_BALANCE),
]

steps = st.lists(
    st.tuples(st.integers(0, len(STEPS) - 1), st.integers(min_value=1, max_value=10**6)), max_size=10
)


def _entry(installment_id: UUID, step: int, minor: int) -> LedgerEntry:
    kind, component, reason = STEPS[step]
    return new_entry(
        kind,
        installment_id,
        Money.from_minor(minor, "BRL"),
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


def _status_by_definition(ledger: InstallmentLedger) -> InstallmentStatus:
    """``derive_status``'s docstring, in Money."""
    zero = Money.zero("BRL")
    open_ = paid = written_off = zero
    for e in ledger.entries:
        open_ = open_ + e.amount
        if e.kind in (EntryKind.PAYMENT_ALLOCATION, EntryKind.ALLOCATION_REVERSAL):
            paid = paid - e.amount
        if e.kind in (EntryKind.WRITE_OFF, EntryKind.WRITE_OFF_REVERSAL):
            written_off = written_off - e.amount
    if open_.is_positive():
        return InstallmentStatus.PARTIALLY_PAID if paid.is_positive() else InstallmentStatus.OPEN
    if written_off.is_positive():
        return InstallmentStatus.WRITTEN_OFF
    if paid.is_positive():
        return InstallmentStatus.PAID
    return InstallmentStatus.CANCELLED


@settings(max_examples=300, deadline=None)
@given(face=st.integers(min_value=1, max_value=10**6), prior=steps, more=steps, foreign=st.booleans())
def test_extend_is_append_after_append(
    face: int, prior: list[tuple[int, int]], more: list[tuple[int, int]], foreign: bool
) -> None:
    ledger = InstallmentLedger.opened(uuid4(), Money.from_minor(face, "BRL"), D0)
    for step, minor in prior:
        entry = _entry(ledger.installment_id, step, minor)
        if _error(lambda: ledger.append(entry)) is None:  # noqa: B023
            ledger = ledger.append(entry)
    # Sometimes an entry of another installment among them: refused the same way.
    batch = [
        _entry(uuid4() if foreign and i == 1 else ledger.installment_id, s, m)
        for i, (s, m) in enumerate(more)
    ]

    def one_by_one() -> InstallmentLedger:
        out = ledger
        for e in batch:
            out = out.append(e)
        return out

    expected, refused = None, _error(one_by_one)
    if refused is None:
        expected = one_by_one()
    assert _error(lambda: ledger.extend(batch)) == refused
    if expected is not None:
        got = ledger.extend(batch)
        assert got == expected and got.balance == expected.balance
        assert got.status is expected.status is _status_by_definition(got)
        assert _was_not_paid(got) == (got.status is not InstallmentStatus.PAID)
    assert ledger.status is _status_by_definition(ledger)
    assert _was_not_paid(ledger) == (ledger.status is not InstallmentStatus.PAID)


def test_extending_by_nothing_is_the_same_ledger() -> None:
    ledger = InstallmentLedger.opened(uuid4(), Money.from_minor(100, "BRL"), D0)
    assert ledger.extend([]) is ledger


def test_an_empty_ledger_refuses_another_installments_charge_as_append_does() -> None:
    empty = InstallmentLedger(uuid4())
    charge = new_entry(EntryKind.CHARGE, uuid4(), Money.from_minor(100, "BRL"), D0)
    assert _error(lambda: empty.extend([charge])) == _error(lambda: empty.append(charge)) is not None
