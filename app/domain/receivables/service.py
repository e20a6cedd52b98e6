"""Receivables use cases for money received: record a payment (idempotent on its
external id), allocate it to installments, reverse an allocation, refund.

Each use case runs inside the caller's unit of work and never commits. It locks the
payment first and then the installments (in id order), reads their ledgers, lets the
pure rules (``payments.py``, ``ledger.py``, ``late_charges.py``) decide, then stores
the new entries together with the maintained balances, the audit trail and events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.late_charges import (
    charges_accrue,
    charges_as_of,
    late_charge_assessment,
    late_charge_increase,
)
from app.domain.receivables.ledger import Balance, InstallmentLedger
from app.domain.receivables.payments import (
    Payer,
    Payment,
    PaymentPosition,
    PaymentSource,
    PaymentStatus,
    allocate,
    payment_position,
    refund,
    reverse_allocation,
)
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.rules.allocation import AllocationPolicy, OpenItem, TargetOrder
from app.domain.receivables.service_ledger import book, entry_json, state_json
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.receivables.service_ports import InstallmentState, ReceivablesUnitOfWork, RecordedPayment
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.events import DomainEvent
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

# Oldest-first allocation looks at this many of the customer's open installments.
OLDEST_FIRST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class NewPayment:
    source: PaymentSource
    external_id: str
    amount: Money
    value_date: date
    reference: str
    payer: Payer = field(default_factory=Payer)
    customer_id: UUID | None = None


def payment_json(rec: RecordedPayment) -> dict[str, Any]:
    p = rec.payment
    return {
        "id": str(p.id),
        "source": p.source.value,
        "external_id": rec.external_id,
        "customer_id": str(p.customer_id) if p.customer_id else None,
        "payer_name": p.payer.name,
        "payer_tax_id": p.payer.tax_id,
        "payer_account": p.payer.account,
        "amount": str(p.amount.amount),
        "currency": p.currency,
        "value_date": p.value_date.isoformat(),
        "reference": p.reference,
        "unapplied_amount": str(rec.unapplied.amount),
        "status": rec.status.value,
    }


def payment_json_moved(before: dict[str, Any], rec: RecordedPayment) -> dict[str, Any]:
    """``payment_json(rec)`` given ``before``, the ``payment_json`` of the same payment
    at another position: only the position's fields differ (same keys, same order)."""
    return {**before, "unapplied_amount": str(rec.unapplied.amount), "status": rec.status.value}


def external_key(new: NewPayment) -> str:
    """The payment's idempotency key, trimmed; required."""
    external_id = new.external_id.strip()
    if not external_id:
        raise ValidationFailed([FieldError("external_id", "is required")])
    return external_id


def replay_conflict(existing: RecordedPayment, new: NewPayment, external_id: str) -> str | None:
    """Why a payment already recorded under ``new``'s key is not a replay of it, if it
    is not. Same key, different money: a bank never reports one record twice with
    different figures, so this is a caller's mistake."""
    if existing.payment.amount != new.amount or existing.payment.value_date != new.value_date:
        return f"external_id {external_id!r} was already recorded with another amount or date"
    return None


def new_recorded_payment(new: NewPayment, external_id: str) -> RecordedPayment:
    """A payment just received: all of it unapplied."""
    payment = Payment(
        id=new_id(),
        source=new.source,
        reference=new.reference,
        payer=new.payer,
        amount=new.amount,
        value_date=new.value_date,
        customer_id=new.customer_id,
    )
    return RecordedPayment(payment, external_id, new.amount, PaymentStatus.UNAPPLIED)


async def record_payment(uow: ReceivablesUnitOfWork, new: NewPayment) -> tuple[RecordedPayment, bool]:
    """Record money received. The same external id (bank record, PIX endToEndId, manual
    idempotency key) never makes a second payment: the existing one is returned with
    ``False``. A concurrent duplicate loses on the unique key at commit (Conflict)."""
    external_id = external_key(new)
    existing = await uow.payments.by_external_id(external_id)
    if existing is not None:
        conflict = replay_conflict(existing, new, external_id)
        if conflict is not None:
            raise Conflict(conflict)
        return existing, False
    if new.customer_id is not None and not await uow.payments.customer_exists(new.customer_id):
        raise ValidationFailed([FieldError("customer_id", "no such customer")])
    rec = new_recorded_payment(new, external_id)
    payment = rec.payment
    await uow.payments.add(rec, uow.actor)
    after = payment_json(rec)
    uow.audit("create", "payment", str(payment.id), None, after)
    uow.record(DomainEvent("payment.received", after))
    return rec, True


async def _locked_payment(
    uow: ReceivablesUnitOfWork, payment_id: UUID
) -> tuple[RecordedPayment, PaymentPosition]:
    rec = await uow.payments.lock(payment_id)
    if rec is None:
        raise NotFound("payment not found")
    position = payment_position(
        rec.payment, await uow.payments.entries(payment_id), await uow.payments.refunds(payment_id)
    )
    return rec, position


async def _store_position(
    uow: ReceivablesUnitOfWork, rec: RecordedPayment, position: PaymentPosition
) -> RecordedPayment:
    await uow.payments.set_position(rec.payment.id, position)
    return replace(rec, unapplied=position.unapplied, status=position.status)


@dataclass(frozen=True, slots=True)
class AllocationLine:
    installment_id: UUID
    amount: Money


@dataclass(frozen=True, slots=True)
class AllocationOutcome:
    payment: RecordedPayment
    entries: tuple[Any, ...]  # LedgerEntry: allocations and late charges booked


def assessed_charges(ledger: InstallmentLedger) -> Money:
    """Late charges already booked on the installment (what a new assessment tops up)."""
    acc = Money.zero(ledger.open_amount.currency)
    for e in ledger.entries:
        if e.kind is EntryKind.LATE_CHARGE:
            acc = acc + e.amount
    return acc


def late_charges_to_assess(
    state: InstallmentState,
    ledger: InstallmentLedger,
    cover: Money,
    policy: ReceivablesPolicy,
    on: date,
    *,
    bal: Balance | None = None,
) -> Money | None:
    """The late charges to assess as of ``on`` before allocating ``cover`` (what they
    grow by), or None: they are assessed only when ``cover`` pays the face and the
    charges in full; a payment that does not cover them settles principal only and
    leaves the charges unassessed (they are shown, not booked). ``bal``: the ledger's
    balance, when the caller has it already. Only an amount: no entry is made for an
    attempt that may still be refused."""
    bal = ledger.balance if bal is None else bal
    if not bal.principal.is_positive():
        return None
    inst = state.installment
    late_policy = policy.late_charges
    # On time or within the grace period nothing accrues: the charges would be zero.
    # (With an early-payment discount, ``charges_as_of`` also checks the discount's
    # currency: left to it.)
    if late_policy.discount is None and not charges_accrue(inst.due_date, late_policy, on):
        return None
    charges = charges_as_of(inst, late_policy, on, consumer=state.consumer, principal=bal.principal)
    extra = late_charge_increase(charges, assessed_charges(ledger))
    if extra is None or cover < bal.open + extra:
        return None
    return extra


def allocation_step(
    state: InstallmentState,
    before: InstallmentLedger,
    payment: Payment,
    position: PaymentPosition,
    cover: Money,
    policy: ReceivablesPolicy,
    *,
    exact: bool,
    created_by: UUID | None = None,
) -> tuple[InstallmentLedger, PaymentPosition] | None:
    """Allocate ``cover`` of the payment to one installment whose ledger is ``before``
    (late charges assessed first when ``cover`` pays them too). ``exact``: the whole
    ``cover`` must fit what is open, else Conflict; otherwise as much as fits, and None
    when nothing is open. Returns the ledger and the payment's position after it."""
    if cover.currency != payment.amount.currency:
        raise ValidationFailed([FieldError("allocations", "amount in another currency")])
    on = payment.value_date  # the money arrived then: allocations take effect then
    inst = state.installment
    installment_id = inst.id
    bal = before.balance
    extra = late_charges_to_assess(state, before, cover, policy, on, bal=bal)
    if extra is not None:
        # The balance once they are booked; their entry is made only once the allocation
        # is planned (an attempt refused below books nothing, and mints no id).
        bal = bal.moved(Component.LATE_CHARGES, extra)
    item = OpenItem(installment_id, inst.due_date, bal.principal, bal.late_charges, inst.number.index)
    open_now = item.open
    if not open_now.is_positive():
        if exact:
            raise Conflict(f"installment {installment_id} has nothing open")
        return None
    if exact and open_now < cover <= position.unapplied:
        # What ``allocate`` would plan (all that is open, not ``cover``) is refused
        # below anyway: say so without planning it (bank files try face plus their
        # late charges first, and most often only the face fits).
        raise Conflict(f"{cover} exceeds what is open on installment {installment_id} ({open_now})")
    result = allocate(
        payment,
        position,
        (item,),
        AllocationPolicy(TargetOrder.GIVEN, policy.component_order, (installment_id,)),
        on,
        amount=cover if exact else cover.min(position.unapplied),
        created_by=created_by,
    )
    allocated = result.plan.allocated
    if exact and allocated != cover:
        raise Conflict(f"{cover} exceeds what is open on installment {installment_id} ({open_now})")
    position = position.allocating(allocated)
    booked = result.entries
    if extra is not None:  # the charges first: ``item`` already counts them as open
        booked = (late_charge_assessment(installment_id, extra, on), *booked)
    return before.extend(booked), position


async def allocate_payment(
    uow: ReceivablesUnitOfWork,
    payment_id: UUID,
    *,
    lines: Sequence[AllocationLine] = (),
    oldest_first_customer: UUID | None = None,
    oldest_first: bool = False,
    actor_id: UUID | None = None,
) -> AllocationOutcome:
    """Allocate the payment's unapplied cash: to the named installments and amounts
    (each line must fit what is open), or oldest due first over a customer's open
    installments. Never over-allocates; what is left stays unapplied on the payment."""
    if bool(lines) == oldest_first:
        raise ValidationFailed(
            [FieldError("allocations", "give either allocations or strategy oldest_first")]
        )
    policy = await uow.receivables_policy()
    rec, position = await _locked_payment(uow, payment_id)
    payment = rec.payment
    if oldest_first:
        customer = oldest_first_customer or payment.customer_id
        if customer is None:
            raise ValidationFailed([FieldError("customer_id", "the payment has no customer; name one")])
        ids = await uow.installments.open_for_customer(customer, payment.currency, OLDEST_FIRST_LIMIT)
    else:
        ids = [line.installment_id for line in lines]
        if len(set(ids)) != len(ids):
            raise ValidationFailed([FieldError("allocations", "an installment is listed twice")])
    states = await uow.installments.lock(ids)
    missing = [i for i in ids if i not in states]
    if missing:
        raise ValidationFailed([FieldError("allocations", f"no such installment {m}") for m in missing])
    for s in states.values():
        if s.installment.currency != payment.currency:
            raise ValidationFailed([FieldError("allocations", "installment in another currency")])
    if oldest_first:
        ordered = sorted(
            states.values(), key=lambda s: (s.installment.due_date, s.installment.number.index, str(s.id))
        )
        plan = [(s, position.unapplied) for s in ordered]
    else:
        plan = [(states[line.installment_id], line.amount) for line in lines]

    ledgers: dict[UUID, InstallmentLedger] = {s.id: s.ledger for s in states.values()}
    booked: list[Any] = []
    remaining = position.unapplied
    for state, wanted in plan:
        if oldest_first and not remaining.is_positive():
            break
        cover = wanted.min(remaining) if oldest_first else wanted
        before = ledgers[state.id]
        step = allocation_step(
            state, before, payment, position, cover, policy, exact=not oldest_first, created_by=actor_id
        )
        if step is None:
            continue
        ledger, position = step
        booked.extend(ledger.entries[len(before.entries) :])
        ledgers[state.id] = ledger
        remaining = position.unapplied
    if position.unapplied.is_negative():  # pragma: no cover - allocate() refuses it first
        raise Conflict("the payment would be over-allocated")
    await book(uow, [(s, ledgers[s.id]) for s in states.values()])
    before_json = payment_json(rec)
    rec = await _store_position(uow, rec, position)
    allocations = [entry_json(e) for e in booked if e.kind is EntryKind.PAYMENT_ALLOCATION]
    charges = [entry_json(e) for e in booked if e.kind is EntryKind.LATE_CHARGE]
    if allocations:
        after = {**payment_json(rec), "allocations": allocations, "late_charges": charges}
        uow.audit("allocate", "payment", str(payment.id), before_json, after)
        uow.record(DomainEvent("payment.allocated", after))
    for e in charges:
        uow.record(DomainEvent("late_charge.assessed", e))
    return AllocationOutcome(rec, tuple(booked))


async def reverse_payment_allocation(
    uow: ReceivablesUnitOfWork,
    payment_id: UUID,
    entry_id: UUID,
    reason: ReasonCode,
    on: date,
    *,
    note: str | None = None,
    actor_id: UUID | None = None,
) -> tuple[RecordedPayment, Any]:
    """Undo one allocation in full (a reason is required); the money goes back to the
    payment's unapplied cash and the amount back onto the installment."""
    rec, position = await _locked_payment(uow, payment_id)
    target = next((e for e in await uow.payments.entries(payment_id) if e.id == entry_id), None)
    if target is None or target.kind is not EntryKind.PAYMENT_ALLOCATION:
        raise NotFound("allocation not found")
    states = await uow.installments.lock([target.installment_id])
    state = states[target.installment_id]
    entry = reverse_allocation(state.ledger, entry_id, reason, on, note=note, created_by=actor_id)
    after_ledger = state.ledger.append(entry)
    await book(uow, [(state, after_ledger)])
    before_json = payment_json(rec)
    position = PaymentPosition(
        rec.payment.id, rec.payment.amount, position.allocated - target.magnitude, position.refunded
    )
    rec = await _store_position(uow, rec, position)
    data = {**payment_json(rec), "reversal": entry_json(entry), "installment": state_json(after_ledger)}
    uow.audit("reverse_allocation", "payment", str(payment_id), before_json, data, reason=reason.value)
    uow.record(DomainEvent("allocation.reversed", data))
    return rec, entry


async def refund_payment(
    uow: ReceivablesUnitOfWork, payment_id: UUID, amount: Money, on: date, reason: str
) -> tuple[RecordedPayment, Any]:
    """Give back part of a payment's unapplied cash (reverse allocations first)."""
    rec, position = await _locked_payment(uow, payment_id)
    if amount.currency != rec.payment.currency:
        raise ValidationFailed([FieldError("amount", "must be in the payment's currency")])
    r = refund(rec.payment, position, amount, on, reason)
    await uow.payments.add_refund(r, uow.actor)
    before_json = payment_json(rec)
    position = PaymentPosition(
        rec.payment.id, rec.payment.amount, position.allocated, position.refunded + amount
    )
    rec = await _store_position(uow, rec, position)
    data = {
        **payment_json(rec),
        "refund": {"id": str(r.id), "amount": str(amount.amount), "date": on.isoformat(), "reason": reason},
    }
    uow.audit("refund", "payment", str(payment_id), before_json, data, reason=reason)
    uow.record(DomainEvent("payment.refunded", data))
    return rec, r
