"""Maker-checker for credit notes, rebates, adjustments and write-offs.

Up to the tenant's threshold the maker's own request is enough; above it, a different
user whose approval authority (alçada) covers the amount must approve. Only an approved
request produces ledger entries; a rejected one stays as a record of the attempt.

State machine::

    requested ──approve (other user, enough authority)──▶ approved ──▶ ledger entry
        │
        └──reject (other user)──▶ rejected

A request under the threshold is born ``approved`` (``auto_approved=True``), so every
manual change, small or large, leaves the same trail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.ledger import LedgerEntry, new_entry
from app.domain.receivables.reasons import ReasonCode, check_reason
from app.domain.shared.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

APPROVABLE_KINDS = frozenset(
    {EntryKind.CREDIT_NOTE, EntryKind.REBATE, EntryKind.ADJUSTMENT, EntryKind.WRITE_OFF}
)


def requires_approval(amount: Money, threshold: Money) -> bool:
    """True when the size of the change (its absolute value) is above the threshold.

    A threshold of zero means every change needs a second pair of eyes.
    """
    if amount.currency != threshold.currency:
        raise ValidationFailed([FieldError("amount", f"threshold is in {threshold.currency}")])
    size = amount if not amount.is_negative() else -amount
    return size > threshold


class ApprovalState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Approver:
    """A user deciding on a request; ``authority`` is the largest amount they may approve
    (None: no limit)."""

    user_id: UUID
    authority: Money | None = None

    def covers(self, amount: Money) -> bool:
        size = amount if not amount.is_negative() else -amount
        return self.authority is None or size <= self.authority


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    id: UUID
    installment_id: UUID
    kind: EntryKind
    amount: Money  # positive magnitude; for adjustments the signed change
    reason: ReasonCode
    note: str | None
    requested_by: UUID
    requested_at: datetime
    effective_date: date
    component: Component = Component.PRINCIPAL
    state: ApprovalState = ApprovalState.REQUESTED
    needs_approval: bool = True
    decided_by: UUID | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None

    @property
    def auto_approved(self) -> bool:
        return self.state is ApprovalState.APPROVED and not self.needs_approval


def request_change(
    *,
    installment_id: UUID,
    kind: EntryKind,
    amount: Money,
    reason: ReasonCode,
    requested_by: UUID,
    at: datetime,
    effective_date: date,
    threshold: Money,
    note: str | None = None,
    component: Component = Component.PRINCIPAL,
) -> ChangeRequest:
    if kind not in APPROVABLE_KINDS:
        raise ValidationFailed([FieldError("kind", f"{kind.value} is not a manual change")])
    if amount.is_zero() or (kind is not EntryKind.ADJUSTMENT and amount.is_negative()):
        raise ValidationFailed([FieldError("amount", "must be a positive amount")])
    check_reason(kind, reason, note)
    needs = requires_approval(amount, threshold)
    return ChangeRequest(
        id=new_id(),
        installment_id=installment_id,
        kind=kind,
        amount=amount,
        reason=reason,
        note=note,
        requested_by=requested_by,
        requested_at=at,
        effective_date=effective_date,
        component=component,
        state=ApprovalState.REQUESTED if needs else ApprovalState.APPROVED,
        needs_approval=needs,
    )


def _check_decider(request: ChangeRequest, approver: Approver) -> None:
    if request.state is not ApprovalState.REQUESTED:
        raise Conflict(f"request is already {request.state.value}")
    if approver.user_id == request.requested_by:
        raise PermissionDenied("the requester cannot decide on their own request")


def approve(
    request: ChangeRequest, approver: Approver, at: datetime, note: str | None = None
) -> ChangeRequest:
    _check_decider(request, approver)
    if not approver.covers(request.amount):
        raise PermissionDenied(f"approval authority of {approver.authority} does not cover {request.amount}")
    return replace(
        request, state=ApprovalState.APPROVED, decided_by=approver.user_id, decided_at=at, decision_note=note
    )


def reject(request: ChangeRequest, approver: Approver, at: datetime, note: str) -> ChangeRequest:
    # Rejecting needs no authority over the amount (saying no is always safe), but it
    # still needs someone other than the maker, and a word on why.
    _check_decider(request, approver)
    if not note.strip():
        raise ValidationFailed([FieldError("note", "say why the request is rejected")])
    return replace(
        request, state=ApprovalState.REJECTED, decided_by=approver.user_id, decided_at=at, decision_note=note
    )


def entry_for(request: ChangeRequest) -> LedgerEntry:
    """The ledger entry of an approved request; nothing else produces one."""
    if request.state is not ApprovalState.APPROVED:
        raise Conflict(f"a {request.state.value} request does not change the ledger")
    return new_entry(
        request.kind,
        request.installment_id,
        request.amount,
        request.effective_date,
        component=request.component,
        reason=request.reason,
        note=request.note,
        created_by=request.requested_by,
        # The request id doubles as the entry id, so applying twice is caught as a
        # duplicate entry instead of booking the change twice.
        entry_id=request.id,
    )
