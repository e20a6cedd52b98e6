"""``allocation_step`` (shared by ``allocate_payment`` and the bank-file ``ReceiptBook``)
decides exactly what the former rule decided: assess the late charges, then allocate,
then append entry by entry. Only the work differs: a refused attempt books nothing
and mints no id, the ledger is extended once, the position carries its unapplied cash.

The former rule is rebuilt here from the public pieces it was made of, as the oracle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.receivables import ledger as ledger_module
from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.late_charges import (
    EarlyPaymentDiscount,
    LateChargePolicy,
    charges_accrue,
    charges_as_of,
    late_charge_entry,
)
from app.domain.receivables.ledger import InstallmentLedger, InstallmentStatus, LedgerEntry, new_entry
from app.domain.receivables.model import Installment, InstallmentNumber, ReceivablesError
from app.domain.receivables.payments import Payer, Payment, PaymentPosition, PaymentSource, allocate
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.receipts_batch import Receipt, ReceiptBook, ReceiptLine
from app.domain.receivables.rules.allocation import AllocationPolicy, ComponentOrder, OpenItem
from app.domain.receivables.service import (
    NewPayment,
    allocation_step,
    assessed_charges,
    new_recorded_payment,
    payment_json,
    payment_json_moved,
)
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.receivables.service_ports import InstallmentState, RecordedPayment
from app.domain.shared.errors import Conflict, ValidationFailed
from app.domain.shared.money import Money

D0 = date(2025, 3, 10)
OTHER_PAYMENT = uuid4()


def brl(minor: int) -> Money:
    return Money.from_minor(minor, "BRL")


# --- the former rule -------------------------------------------------------------------


def former_step(
    state: InstallmentState,
    before: InstallmentLedger,
    payment: Payment,
    position: PaymentPosition,
    cover: Money,
    policy: ReceivablesPolicy,
    *,
    exact: bool,
) -> tuple[InstallmentLedger, PaymentPosition] | None:
    """``allocation_step`` as it was: the late-charge entry appended before the checks,
    every entry appended one at a time, the position summed afresh."""
    if cover.currency != payment.currency:
        raise ValidationFailed([])
    on = payment.value_date
    bal = before.balance
    ledger = before
    if bal.principal.is_positive():
        charges = charges_as_of(
            state.installment, policy.late_charges, on, consumer=state.consumer, principal=bal.principal
        )
        entry = late_charge_entry(state.id, charges, assessed_charges(before), on)
        if entry is not None and not cover < bal.open + entry.amount:
            ledger = before.append(entry)
    fresh = InstallmentLedger(ledger.installment_id, ledger.entries)  # nothing carried over
    item = OpenItem.of(state.id, state.installment.due_date, fresh.balance, state.installment.number.index)
    if not item.open.is_positive():
        if exact:
            raise Conflict(f"installment {state.id} has nothing open")
        return None
    if exact and item.open < cover <= position.unapplied:
        raise Conflict(f"{cover} exceeds what is open on installment {state.id} ({item.open})")
    result = allocate(
        payment,
        position,
        [item],
        AllocationPolicy.given([state.id], policy.component_order),
        on,
        amount=cover if exact else cover.min(position.unapplied),
    )
    if exact and result.plan.allocated != cover:
        raise Conflict(f"{cover} exceeds what is open on installment {state.id} ({item.open})")
    after = PaymentPosition(
        payment.id, payment.amount, position.allocated + result.plan.allocated, position.refunded
    )
    for e in result.entries:
        ledger = ledger.append(e)
    return ledger, after


# --- what is compared ------------------------------------------------------------------


def _entry_shape(e: LedgerEntry) -> tuple[Any, ...]:
    """An entry but its id (ids are fresh on each run)."""
    return (
        e.installment_id,
        e.kind,
        e.component,
        str(e.amount),
        e.effective_date,
        e.payment_id,
        e.reverses,
        e.reason,
        e.note,
        e.created_by,
    )


def _outcome(step: Callable[[], tuple[InstallmentLedger, PaymentPosition] | None]) -> tuple[Any, ...]:
    try:
        got = step()
    except (Conflict, ValidationFailed, ReceivablesError) as exc:
        return ("refused", type(exc).__name__, str(exc))
    if got is None:
        return ("nothing open",)
    ledger, position = got
    fresh = InstallmentLedger(ledger.installment_id, ledger.entries)
    assert ledger.balance == fresh.balance and ledger.status is fresh.status
    assert len({e.id for e in ledger.entries}) == len(ledger.entries)
    return (
        "allocated",
        [_entry_shape(e) for e in ledger.entries],
        # str: the same Decimal to the exponent, not only the same value.
        str(ledger.balance.principal),
        str(ledger.balance.late_charges),
        ledger.status,
        position.payment_id,
        str(position.amount),
        str(position.allocated),
        str(position.refunded),
        str(position.unapplied),
        position.status,
    )


# --- the cases -------------------------------------------------------------------------

# Entries booked before the settlement: (kind, component, reason); each is skipped when
# the ledger refuses it.
PRIOR = [
    (EntryKind.PAYMENT_ALLOCATION, Component.PRINCIPAL, None),
    (EntryKind.PAYMENT_ALLOCATION, Component.LATE_CHARGES, None),
    (EntryKind.LATE_CHARGE, Component.LATE_CHARGES, None),
    (EntryKind.CREDIT_NOTE, Component.PRINCIPAL, ReasonCode.RETURNED_GOODS),
    (EntryKind.WRITE_OFF, Component.PRINCIPAL, ReasonCode.UNCOLLECTIBLE),
]


@dataclass(frozen=True)
class Case:
    state: InstallmentState
    payment: Payment
    position: PaymentPosition
    policy: ReceivablesPolicy


@st.composite
def cases(draw: st.DrawFn) -> Case:
    face = draw(st.integers(min_value=1, max_value=10**7))
    inst_id = uuid4()
    due = D0 + timedelta(days=draw(st.integers(0, 30)))
    count = draw(st.integers(1, 3))
    inst = Installment(
        inst_id,
        uuid4(),
        uuid4(),
        InstallmentNumber(draw(st.integers(1, count)), count),
        due,
        brl(face),
    )
    ledger = InstallmentLedger.opened(inst_id, brl(face), D0)
    for step, minor in draw(
        st.lists(st.tuples(st.integers(0, len(PRIOR) - 1), st.integers(1, face)), max_size=4)
    ):
        kind, component, reason = PRIOR[step]
        entry = new_entry(
            kind,
            inst_id,
            brl(minor),
            D0,
            component=component,
            payment_id=OTHER_PAYMENT if kind is EntryKind.PAYMENT_ALLOCATION else None,
            reason=reason,
        )
        try:
            ledger = ledger.append(entry)
        except (Conflict, ValueError):
            continue
    discount = draw(
        st.sampled_from(
            [
                None,
                EarlyPaymentDiscount(days_before_due=2, percent=Decimal("5")),
                EarlyPaymentDiscount(fixed=brl(100)),
                # Refused by ``charges_as_of`` on time: the refusal must stay.
                EarlyPaymentDiscount(fixed=Money.from_minor(100, "USD")),
            ]
        )
    )
    late = LateChargePolicy(
        fine_percent=Decimal(draw(st.integers(0, 1000))) / 100,
        interest_percent_per_month=Decimal(draw(st.integers(0, 500))) / 100,
        grace_days=draw(st.integers(0, 5)),
        discount=discount,
    )
    policy = ReceivablesPolicy(
        "BRL", late_charges=late, component_order=draw(st.sampled_from(ComponentOrder))
    )
    amount = draw(st.integers(min_value=1, max_value=2 * 10**7))
    payment = Payment(
        uuid4(),
        PaymentSource.BANK_RETURN,
        "ref",
        Payer(),
        brl(amount),
        due + timedelta(days=draw(st.integers(-10, 60))),
    )
    allocated = draw(st.integers(0, amount - 1))
    refunded = draw(st.integers(0, amount - allocated - 1))
    position = PaymentPosition(payment.id, payment.amount, brl(allocated), brl(refunded))
    state = InstallmentState(inst, ledger, consumer=draw(st.booleans()))
    return Case(state, payment, position, policy)


def _covers(case: Case, pick: int, noise: int) -> Money:
    """The amounts a bank file tries (what is open, with our late charges, a cent off)
    and arbitrary ones."""
    bal = case.state.ledger.balance
    try:
        charges = charges_as_of(
            case.state.installment,
            case.policy.late_charges,
            case.payment.value_date,
            consumer=case.state.consumer,
            principal=bal.principal.max(brl(1)),
        ).charges
    except ReceivablesError:  # a discount in another currency, on time
        charges = brl(0)
    face_and_charges = bal.open + charges
    chosen = [bal.open, face_and_charges, face_and_charges + brl(1), face_and_charges - brl(1), brl(noise)]
    cover = chosen[pick]
    return cover if cover.is_positive() else brl(noise)


@settings(max_examples=400, deadline=None)
@given(
    case=cases(),
    pick=st.integers(0, 4),
    noise=st.integers(min_value=1, max_value=2 * 10**7),
    exact=st.booleans(),
)
def test_the_step_decides_what_the_former_rule_decided(
    case: Case, pick: int, noise: int, exact: bool
) -> None:
    cover = _covers(case, pick, noise)
    args = (case.state, case.state.ledger, case.payment, case.position, cover, case.policy)
    now = _outcome(lambda: allocation_step(*args, exact=exact))
    before = _outcome(lambda: former_step(*args, exact=exact))
    assert now == before


def test_a_cover_in_another_currency_is_refused_as_before() -> None:
    case = _simple_case(face=10_000, paid_late_by=0)
    usd = Money.from_minor(10_000, "USD")
    with pytest.raises(ValidationFailed):
        allocation_step(
            case.state, case.state.ledger, case.payment, case.position, usd, case.policy, exact=True
        )


# --- no id for what is not booked ------------------------------------------------------


@contextmanager
def _counting_ids(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[UUID]]:
    """The ids entries get (``new_entry`` draws them from its module's ``new_id``)."""
    minted: list[UUID] = []
    real = ledger_module.new_id

    def counting() -> UUID:
        minted.append(real())
        return minted[-1]

    monkeypatch.setattr(ledger_module, "new_id", counting)
    yield minted


def _simple_case(face: int, paid_late_by: int) -> Case:
    inst_id = uuid4()
    inst = Installment(inst_id, uuid4(), uuid4(), InstallmentNumber(1, 1), D0, brl(face))
    policy = ReceivablesPolicy("BRL")  # 2 % fine, 1 % a month
    payment = Payment(
        uuid4(), PaymentSource.BANK_RETURN, "r", Payer(), brl(face * 2), D0 + timedelta(days=paid_late_by)
    )
    state = InstallmentState(inst, InstallmentLedger.opened(inst_id, brl(face), D0))
    return Case(state, payment, PaymentPosition.received(payment), policy)


def test_a_refused_face_plus_charges_attempt_mints_no_id(monkeypatch: pytest.MonkeyPatch) -> None:
    case = _simple_case(face=100_000, paid_late_by=10)
    charges = charges_as_of(case.state.installment, case.policy.late_charges, case.payment.value_date).charges
    assert charges.is_positive()
    bank_figure = brl(100_000) + charges + brl(1)  # the bank computed a cent more
    with _counting_ids(monkeypatch) as minted:
        with pytest.raises(Conflict, match="exceeds what is open"):
            allocation_step(
                case.state,
                case.state.ledger,
                case.payment,
                case.position,
                bank_figure,
                case.policy,
                exact=True,
            )
        assert minted == []
        ledger, _ = allocation_step(  # the face alone: one allocation, no charges
            case.state, case.state.ledger, case.payment, case.position, brl(100_000), case.policy, exact=True
        ) or pytest.fail("allocated")
    assert [e.id for e in ledger.entries[1:]] == minted
    assert [e.kind for e in ledger.entries[1:]] == [EntryKind.PAYMENT_ALLOCATION]


def test_face_plus_our_charges_books_the_charges_first_with_their_own_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _simple_case(face=100_000, paid_late_by=10)
    charges = charges_as_of(case.state.installment, case.policy.late_charges, case.payment.value_date).charges
    with _counting_ids(monkeypatch) as minted:
        step = allocation_step(
            case.state,
            case.state.ledger,
            case.payment,
            case.position,
            brl(100_000) + charges,
            case.policy,
            exact=True,
        )
    assert step is not None
    ledger, position = step
    booked = ledger.entries[1:]
    assert [(e.kind, e.component) for e in booked] == [
        (EntryKind.LATE_CHARGE, Component.LATE_CHARGES),
        (EntryKind.PAYMENT_ALLOCATION, Component.LATE_CHARGES),
        (EntryKind.PAYMENT_ALLOCATION, Component.PRINCIPAL),
    ]
    assert sorted(e.id.int for e in booked) == sorted(u.int for u in minted)
    assert ledger.status is InstallmentStatus.PAID and position.allocated == brl(100_000) + charges


def test_a_receipt_whose_bank_charges_differ_mints_the_payment_and_one_allocation_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _simple_case(face=50_000, paid_late_by=20)
    charges = charges_as_of(case.state.installment, case.policy.late_charges, case.payment.value_date).charges
    paid = brl(50_000) + charges + brl(1)
    new = NewPayment(PaymentSource.BANK_RETURN, "R1", paid, case.payment.value_date, "r")
    book = ReceiptBook(case.policy, {case.state.id: case.state}, {})
    with _counting_ids(monkeypatch) as minted:
        result = book.receive(Receipt(new, (ReceiptLine(case.state.id, (paid, brl(50_000))),)))
    effects = book.take()
    assert result.created and len(minted) == 1  # the allocation (the payment's id comes from elsewhere)
    assert [e.id for e, _ in effects.entries] == minted
    assert effects.payments[0].unapplied == charges + brl(1)


# --- the smaller pieces ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10**16),
    allocated=st.integers(min_value=0, max_value=10**16),
    refunded=st.integers(min_value=0, max_value=10**16),
    more=st.integers(min_value=0, max_value=10**16),
    currency=st.sampled_from(["BRL", "JPY", "KWD"]),
)
def test_a_position_carries_the_unapplied_cash_the_sum_gives(
    amount: int, allocated: int, refunded: int, more: int, currency: str
) -> None:
    def money(minor: int) -> Money:
        return Money.from_minor(minor, currency)

    payment = Payment(uuid4(), PaymentSource.PIX, "t", Payer(), money(amount), D0)
    received = PaymentPosition.received(payment)
    assert received == PaymentPosition(payment.id, payment.amount, money(0), money(0))
    assert str(received.unapplied) == str(payment.amount - money(0) - money(0))
    position = PaymentPosition(payment.id, payment.amount, money(allocated), money(refunded))
    moved = position.allocating(money(more))
    summed = PaymentPosition(payment.id, payment.amount, money(allocated + more), money(refunded))
    assert moved == summed and repr(moved) == repr(summed) and hash(moved) == hash(summed)
    assert str(moved.unapplied) == str(summed.unapplied) and moved.status is summed.status


@settings(max_examples=100, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=10**9),
    unapplied=st.integers(min_value=0, max_value=10**9),
    customer=st.booleans(),
)
def test_the_moved_payment_json_is_the_payment_json(amount: int, unapplied: int, customer: bool) -> None:
    new = NewPayment(
        PaymentSource.STATEMENT,
        " K1 ",
        brl(amount),
        D0,
        "ref",
        Payer("123", "Name", None),
        uuid4() if customer else None,
    )
    rec = new_recorded_payment(new, "K1")
    position = PaymentPosition(rec.payment.id, rec.payment.amount, brl(0), brl(0)).allocating(
        brl(min(unapplied, amount))
    )
    later = RecordedPayment(rec.payment, "K1", position.unapplied, position.status)
    moved = payment_json_moved(payment_json(rec), later)
    assert list(moved.items()) == list(payment_json(later).items())  # keys in the same order


@settings(max_examples=200, deadline=None)
@given(days=st.integers(-40, 40), grace=st.integers(0, 10), face=st.integers(1, 10**8))
def test_charges_accrue_exactly_when_charges_as_of_charges_something(
    days: int, grace: int, face: int
) -> None:
    policy = LateChargePolicy(Decimal("2"), Decimal("1"), grace)
    inst = Installment(uuid4(), uuid4(), uuid4(), InstallmentNumber(1, 1), D0, brl(face))
    charges = charges_as_of(inst, policy, D0 + timedelta(days=days)).charges
    accrue = charges_accrue(D0, policy, D0 + timedelta(days=days))
    assert accrue == (days > grace)
    if not accrue:
        assert charges.is_zero()
