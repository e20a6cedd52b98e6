"""Reason codes: why a manual entry or a reversal was made.

A closed registry rather than free text, so reports can group write-offs by cause and
auditors can see that every credit note had an accepted reason. A free-text note may go
with any code; the codes marked ``note_required`` need one (``OTHER`` above all).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.receivables.kinds import EntryKind
from app.domain.shared.errors import FieldError, ValidationFailed


class ReasonCode(StrEnum):
    # credit notes and rebates
    RETURNED_GOODS = "returned_goods"
    PRICING_ERROR = "pricing_error"
    DUPLICATE_BILLING = "duplicate_billing"
    SERVICE_FAILURE = "service_failure"
    COMMERCIAL_AGREEMENT = "commercial_agreement"
    # adjustments
    BANK_FEE = "bank_fee"
    ROUNDING = "rounding"
    ACCEPTED_DEDUCTION = "accepted_deduction"
    LATE_CHARGE_WAIVER = "late_charge_waiver"
    DATA_CORRECTION = "data_correction"
    # write-offs
    UNCOLLECTIBLE = "uncollectible"
    INSOLVENCY = "insolvency"
    TIME_BARRED = "time_barred"
    SMALL_BALANCE = "small_balance"
    SETTLEMENT_AGREEMENT = "settlement_agreement"
    # reversals
    MISAPPLIED = "misapplied"
    PAYMENT_RETURNED = "payment_returned"
    DUPLICATE_ENTRY = "duplicate_entry"
    RECOVERED = "recovered"
    ENTERED_IN_ERROR = "entered_in_error"
    # anything else, explained in the note
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    code: ReasonCode
    label: str
    kinds: frozenset[EntryKind]
    note_required: bool = False


_CREDITS = frozenset({EntryKind.CREDIT_NOTE, EntryKind.REBATE})
_ADJ = frozenset({EntryKind.ADJUSTMENT})
_WO = frozenset({EntryKind.WRITE_OFF})
_ALLOC_REV = frozenset({EntryKind.ALLOCATION_REVERSAL})
_WO_REV = frozenset({EntryKind.WRITE_OFF_REVERSAL})
_MANUAL = frozenset(
    {
        EntryKind.CREDIT_NOTE,
        EntryKind.REBATE,
        EntryKind.ADJUSTMENT,
        EntryKind.WRITE_OFF,
        EntryKind.ALLOCATION_REVERSAL,
        EntryKind.WRITE_OFF_REVERSAL,
        EntryKind.DISCOUNT,
    }
)

REASONS: dict[ReasonCode, ReasonInfo] = {
    info.code: info
    for info in (
        ReasonInfo(ReasonCode.RETURNED_GOODS, "Goods returned", _CREDITS),
        ReasonInfo(ReasonCode.PRICING_ERROR, "Pricing error", _CREDITS | _ADJ),
        ReasonInfo(ReasonCode.DUPLICATE_BILLING, "Billed twice", _CREDITS),
        ReasonInfo(ReasonCode.SERVICE_FAILURE, "Service not delivered as agreed", _CREDITS),
        ReasonInfo(ReasonCode.COMMERCIAL_AGREEMENT, "Commercial agreement", _CREDITS | _ADJ),
        ReasonInfo(ReasonCode.BANK_FEE, "Bank fee absorbed", _ADJ),
        ReasonInfo(ReasonCode.ROUNDING, "Rounding difference", _ADJ),
        ReasonInfo(ReasonCode.ACCEPTED_DEDUCTION, "Customer deduction accepted", _ADJ, note_required=True),
        ReasonInfo(
            ReasonCode.LATE_CHARGE_WAIVER,
            "Late charges waived",
            _ADJ | frozenset({EntryKind.DISCOUNT}),
        ),
        ReasonInfo(ReasonCode.DATA_CORRECTION, "Correction of a wrong entry", _ADJ, note_required=True),
        ReasonInfo(ReasonCode.UNCOLLECTIBLE, "Uncollectible after collection efforts", _WO),
        ReasonInfo(ReasonCode.INSOLVENCY, "Customer insolvent or in recovery proceedings", _WO),
        ReasonInfo(ReasonCode.TIME_BARRED, "Claim time-barred", _WO),
        ReasonInfo(ReasonCode.SMALL_BALANCE, "Small balance not worth collecting", _WO),
        ReasonInfo(ReasonCode.SETTLEMENT_AGREEMENT, "Remainder forgiven in a settlement", _WO | _CREDITS),
        ReasonInfo(ReasonCode.MISAPPLIED, "Applied to the wrong installment", _ALLOC_REV),
        ReasonInfo(ReasonCode.PAYMENT_RETURNED, "Payment returned or charged back", _ALLOC_REV),
        ReasonInfo(ReasonCode.DUPLICATE_ENTRY, "Entered twice", _ALLOC_REV),
        ReasonInfo(ReasonCode.RECOVERED, "Written-off amount recovered", _WO_REV),
        ReasonInfo(ReasonCode.ENTERED_IN_ERROR, "Entered in error", _WO_REV | _ALLOC_REV),
        ReasonInfo(ReasonCode.OTHER, "Other (see note)", _MANUAL, note_required=True),
    )
}


def reason_info(code: ReasonCode) -> ReasonInfo:
    return REASONS[code]


def reasons_for(kind: EntryKind) -> list[ReasonInfo]:
    """The codes a user may pick for an entry of this kind (for a select box)."""
    return [info for info in REASONS.values() if kind in info.kinds]


def check_reason(kind: EntryKind, code: ReasonCode | None, note: str | None) -> None:
    """Raise ``ValidationFailed`` unless ``code`` is allowed for ``kind`` (with a note if needed)."""
    if code is None:
        raise ValidationFailed([FieldError("reason", f"a reason is required for {kind.value}")])
    info = REASONS[code]
    if kind not in info.kinds:
        raise ValidationFailed([FieldError("reason", f"{code.value} is not a reason for {kind.value}")])
    if info.note_required and not (note and note.strip()):
        raise ValidationFailed([FieldError("note", f"a note is required with reason {code.value}")])
