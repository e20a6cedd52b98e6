"""The settlement "apply" seam implemented over the receivables use cases.

Settlement never writes payments or ledger entries: it records the payment
(idempotent on the record key), allocates it, and books what the bank granted
(discount, rebate) through ``app.domain.receivables``.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.approval import APPROVABLE_KINDS
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.payments import Payer, PaymentSource
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.service import (
    AllocationLine as ReceivablesLine,
)
from app.domain.receivables.service import (
    NewPayment,
    allocate_payment,
    record_payment,
    refund_payment,
    reverse_payment_allocation,
)
from app.domain.receivables.service_changes import request_change
from app.domain.settlement.service import AllocationLine, AppliedPayment, SettlementToApply
from app.domain.shared.errors import Conflict, DomainError
from app.domain.shared.money import Money

if TYPE_CHECKING:
    from app.adapters.db.repositories.settlement_bulk import DecidedSettlements
    from app.domain.receivables.service_ports import RecordedPayment

# Change requests need a requesting user; bank-granted entries are requested by the
# system on behalf of the bank file, under one fixed id.
BANK_REQUESTER = uuid.UUID("00000000-0000-7000-8000-00000000b4c1")


def new_payment_of(settlement: SettlementToApply) -> NewPayment:
    """The payment a settlement records (idempotent on its external id)."""
    return NewPayment(
        source=PaymentSource(settlement.source.value),
        external_id=settlement.external_id,
        amount=settlement.amount,
        value_date=settlement.value_date,
        reference=settlement.reference[:200],
        payer=Payer(
            tax_id=settlement.payer_tax_id,
            name=settlement.payer_name,
            account=settlement.payer_account,
        ),
        customer_id=settlement.customer_id,
    )


def allocation_attempts(line: AllocationLine) -> list[Money]:
    """The amounts to allocate to the line's installment, tried in order.

    Late charges the bank collected are offered with the face value: the receivables
    rules assess them when the amount covers face plus charges. When the bank's figure
    is not what our policy computes, the face value alone is allocated and the rest
    stays on the payment as the customer's credit."""
    zero = Money.zero(line.principal.currency)
    full = line.principal + (line.late_charges or zero)
    attempts = [full, line.principal] if line.late_charges else [line.principal]
    return [a for a in attempts if a.is_positive()]


def grants_entries(line: AllocationLine) -> bool:
    """Whether the line carries something the bank granted that ``_allocate`` books
    through ``request_change`` (a discount is not a manual change kind: refused there)."""
    for kind, value in ((EntryKind.REBATE, line.rebate), (EntryKind.DISCOUNT, line.discount)):
        if value is not None and value.is_positive() and kind in APPROVABLE_KINDS:
            return True
    return False


class ReceivablesSettlementPort:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self.uow = uow

    async def apply(self, settlement: SettlementToApply) -> AppliedPayment:
        rec, created = await record_payment(self.uow, new_payment_of(settlement))
        if created:
            for line in settlement.allocations:
                await self._allocate(rec.payment.id, line, settlement.value_date)
        return AppliedPayment(rec.payment.id, created)

    async def apply_many(self, settlements: Sequence[SettlementToApply]) -> list[AppliedPayment | Conflict]:
        """``apply`` for a batch, in one pass of bulk statements (``settlement_bulk``);
        a record whose key was recorded with other figures gets its Conflict back."""
        from app.adapters.db.repositories.settlement_bulk import apply_settlements

        return await apply_settlements(self.uow, self, settlements)

    async def decide_many(
        self,
        settlements: Sequence[SettlementToApply],
        carried: Mapping[str, RecordedPayment],
        settle_in_flight: Callable[[], Awaitable[None]],
    ) -> DecidedSettlements:
        """``apply_many`` without its writes (``store_decided`` makes them), for a batch
        decided while the previous one is still being stored (``decide_settlements``)."""
        from app.adapters.db.repositories.settlement_bulk import decide_settlements

        return await decide_settlements(
            self.uow, self, settlements, carried=carried, settle_in_flight=settle_in_flight
        )

    async def store_decided(self, decided: DecidedSettlements) -> None:
        from app.adapters.db.repositories.settlement_bulk import store_effects

        await store_effects(self.uow, decided.effects)

    async def _allocate(self, payment_id: uuid.UUID, line: AllocationLine, on: date) -> None:
        for amount in allocation_attempts(line):
            try:
                await allocate_payment(
                    self.uow, payment_id, lines=[ReceivablesLine(line.installment_id, amount)]
                )
                break
            except Conflict:
                continue
        for kind, value, reason, note in (
            (EntryKind.REBATE, line.rebate, ReasonCode.COMMERCIAL_AGREEMENT, "rebate granted at the bank"),
            (
                EntryKind.DISCOUNT,
                line.discount,
                ReasonCode.OTHER,
                "early-payment discount granted by the bank",
            ),
        ):
            if value is None or not value.is_positive():
                continue
            try:
                await request_change(
                    self.uow,
                    installment_id=line.installment_id,
                    kind=kind,
                    amount=value,
                    reason=reason,
                    requested_by=BANK_REQUESTER,
                    on=on,
                    note=note,
                )
            except DomainError:
                # Nothing left open to grant it on (already settled otherwise): the
                # record keeps the figure; nothing is booked.
                continue

    async def reverse(self, external_id: str, amount: Money, on: date, reason: str) -> uuid.UUID | None:
        """A refund (PIX devolução): undo allocations newest first until the refund is
        covered by unapplied cash, then refund."""
        rec = await self.uow.payments.by_external_id(external_id)
        if rec is None:
            return None
        payment_id = rec.payment.id
        entries = await self.uow.payments.entries(payment_id)
        reversed_ids = {e.reverses for e in entries if e.kind is EntryKind.ALLOCATION_REVERSAL}
        live = [e for e in entries if e.kind is EntryKind.PAYMENT_ALLOCATION and e.id not in reversed_ids]
        unapplied = rec.unapplied
        undone: list[tuple[uuid.UUID, Money]] = []
        for entry in reversed(live):
            if unapplied >= amount:
                break
            rec, _ = await reverse_payment_allocation(
                self.uow, payment_id, entry.id, ReasonCode.PAYMENT_RETURNED, on, note=reason[:200]
            )
            undone.append((entry.installment_id, entry.magnitude))
            unapplied = rec.unapplied
        refunded = amount.min(unapplied)
        rec, _ = await refund_payment(self.uow, payment_id, refunded, on, reason)
        # An allocation can only be reversed whole: what the refund did not take goes
        # back to the installments it came from, so only the refunded part reopens.
        left = rec.unapplied
        for installment_id, was in undone:
            back = was.min(left)
            if not back.is_positive():
                break
            await allocate_payment(self.uow, payment_id, lines=[ReceivablesLine(installment_id, back)])
            left = left - back
        return payment_id


def ports_for(uow: SqlUnitOfWork) -> ReceivablesSettlementPort:
    return ReceivablesSettlementPort(uow)
