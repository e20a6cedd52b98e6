"""Manual changes to what is owed: credit notes, rebates, adjustments and write-offs,
with maker-checker above the tenant's threshold (``approval.py`` holds the rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from app.domain.receivables import approval
from app.domain.receivables.approval import ApprovalState, Approver, ChangeRequest
from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import check_append
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.service_ledger import book, entry_json, state_json
from app.domain.receivables.service_ports import InstallmentState, ReceivablesUnitOfWork
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.shared.events import DomainEvent
from app.domain.shared.money import Money

# The event announcing an applied change, by kind.
APPLIED_EVENT = {
    EntryKind.CREDIT_NOTE: "credit_note.applied",
    EntryKind.REBATE: "rebate.applied",
    EntryKind.ADJUSTMENT: "adjustment.applied",
    EntryKind.WRITE_OFF: "write_off.approved",
}


def request_json(r: ChangeRequest) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "installment_id": str(r.installment_id),
        "kind": r.kind.value,
        "component": r.component.value,
        "amount": str(r.amount.amount),
        "currency": r.amount.currency,
        "reason": r.reason.value,
        "note": r.note,
        "state": r.state.value,
        "needs_approval": r.needs_approval,
        "requested_by": str(r.requested_by),
        "requested_at": r.requested_at.isoformat(),
        "effective_date": r.effective_date.isoformat(),
        "decided_by": str(r.decided_by) if r.decided_by else None,
        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
        "decision_note": r.decision_note,
    }


async def _installment(uow: ReceivablesUnitOfWork, installment_id: UUID) -> InstallmentState:
    states = await uow.installments.lock([installment_id])
    if installment_id not in states:
        raise ValidationFailed([FieldError("installment_id", "no such installment")])
    return states[installment_id]


async def _apply(
    uow: ReceivablesUnitOfWork, request: ChangeRequest, state: InstallmentState
) -> dict[str, Any]:
    entry = approval.entry_for(request)
    after = state.ledger.append(entry)  # refuses more than is open on the component
    await book(uow, [(state, after)])
    data = {**request_json(request), "entry": entry_json(entry), "installment": state_json(after)}
    uow.record(DomainEvent(APPLIED_EVENT[request.kind], data))
    return data


async def request_change(
    uow: ReceivablesUnitOfWork,
    *,
    installment_id: UUID,
    kind: EntryKind,
    amount: Money | None,
    reason: ReasonCode,
    requested_by: UUID,
    on: date,
    note: str | None = None,
    component: Component = Component.PRINCIPAL,
) -> ChangeRequest:
    """A credit note, rebate, adjustment or write-off. Up to the tenant's threshold it is
    applied at once; above it, it waits for another user's approval. ``amount`` None
    (write-offs) means everything open on the component."""
    policy = await uow.receivables_policy()
    state = await _installment(uow, installment_id)
    if amount is None:
        amount = state.ledger.balance.of(component)
        if not amount.is_positive():
            raise ValidationFailed([FieldError("amount", "nothing is open on the installment")])
    if amount.currency != state.installment.currency:
        raise ValidationFailed([FieldError("amount", f"must be in {state.installment.currency}")])
    threshold = policy.threshold
    if threshold.currency != amount.currency:
        threshold = Money.from_minor(threshold.minor, amount.currency)
    request = approval.request_change(
        installment_id=installment_id,
        kind=kind,
        amount=amount,
        reason=reason,
        requested_by=requested_by,
        at=uow.now(),
        effective_date=on,
        threshold=threshold,
        note=note,
        component=component,
    )
    # Fail now, not at approval time, when the change cannot fit what is open today.
    check_append(state.ledger.entries, approval.entry_for(replace(request, state=ApprovalState.APPROVED)))
    await uow.change_requests.add(request, uow.actor)
    data = request_json(request)
    uow.audit("request", kind.value, str(request.id), None, data, reason=reason.value)
    if request.state is ApprovalState.APPROVED:
        await _apply(uow, request, state)
    else:
        uow.record(DomainEvent("approval.requested", data))
    return request


async def _pending(uow: ReceivablesUnitOfWork, request_id: UUID) -> ChangeRequest:
    request = await uow.change_requests.lock(request_id)
    if request is None:
        raise NotFound("approval request not found")
    return request


async def approve_change(
    uow: ReceivablesUnitOfWork, request_id: UUID, approver: Approver, note: str | None = None
) -> ChangeRequest:
    """Approve (another user than the maker) and apply the change to the ledger."""
    request = await _pending(uow, request_id)
    decided = approval.approve(request, approver, uow.now(), note)
    state = await _installment(uow, request.installment_id)
    await uow.change_requests.decide(decided, uow.actor)
    data = await _apply(uow, decided, state)
    uow.audit("approve", decided.kind.value, str(decided.id), request_json(request), data, reason=note)
    return decided


async def reject_change(
    uow: ReceivablesUnitOfWork, request_id: UUID, approver: Approver, note: str
) -> ChangeRequest:
    request = await _pending(uow, request_id)
    decided = approval.reject(request, approver, uow.now(), note)
    await uow.change_requests.decide(decided, uow.actor)
    data = request_json(decided)
    uow.audit("reject", decided.kind.value, str(decided.id), request_json(request), data, reason=note)
    uow.record(DomainEvent("approval.rejected", data))
    return decided
