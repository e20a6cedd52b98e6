"""Settling receivables from bank files: what each record means and how it is applied.

A bank return reports title occurrences; a statement reports credits; a PIX webhook
reports receipts. Each becomes, per record, a ``RecordDecision``: apply it (a
``SettlementToApply``), send it to the correction queue with a reason, or ignore it
(informational occurrences: registered, due date changed…).

Money is applied only through the ``SettlementPort`` (``apply_settlement``): the
receivables context owns payments and ledger entries; this context never writes
them. Every settlement carries a stable ``external_id`` (the record key), so applying
the same record twice — a retried batch, a file uploaded again under another name, a
replayed webhook — finds the payment already recorded instead of paying twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Any, Protocol
from uuid import UUID

from app.domain.settlement.bank_files import Outcome, ReturnRecord
from app.domain.settlement.matching_text import reference_key
from app.domain.shared.money import Money


class RecordStatus(StrEnum):
    APPLIED = "applied"  # money applied through the receivables use cases
    QUEUED = "queued"  # waits in the correction queue (see ``QueueReason``)
    REVIEW = "review"  # a statement credit waiting for a person in cash application
    IGNORED = "ignored"  # informational: nothing to apply
    DISMISSED = "dismissed"  # a person decided it needs nothing (with a reason)
    ON_ACCOUNT = "on_account"  # received as customer credit, not allocated
    SKIPPED = "skipped"  # left for later in cash application


OPEN_STATUSES = frozenset({RecordStatus.QUEUED, RecordStatus.REVIEW, RecordStatus.SKIPPED})


class QueueReason(StrEnum):
    UNKNOWN_ACCOUNT = "unknown_account"
    UNKNOWN_NOSSO_NUMERO = "unknown_nosso_numero"
    AMOUNT_MISMATCH = "amount_mismatch"
    UNKNOWN_OCCURRENCE = "unknown_occurrence"
    CURRENCY_MISMATCH = "currency_mismatch"
    UNKNOWN_TXID = "unknown_txid"
    # The record key was already recorded as a payment with another amount or date.
    KEY_CONFLICT = "key_conflict"


SUGGESTED_FIX: dict[QueueReason, str] = {
    QueueReason.UNKNOWN_ACCOUNT: "Register the bank account named in the file header (or assign one), then retry.",
    QueueReason.UNKNOWN_NOSSO_NUMERO: "Assign the record to the installment it pays, or dismiss it if it is not ours.",
    QueueReason.AMOUNT_MISMATCH: "Check the title's face value; assign it to the installment to apply it anyway.",
    QueueReason.UNKNOWN_OCCURRENCE: "The bank used an occurrence code we do not know: dismiss it or retry once mapped.",
    QueueReason.CURRENCY_MISMATCH: "The amount is not in the installment's currency: dismiss it.",
    QueueReason.UNKNOWN_TXID: "Assign the receipt to the installment it pays, or to the customer's account.",
    QueueReason.KEY_CONFLICT: "A payment with this record's key has another amount or date: check it, then dismiss.",
}


class SettlementSource(StrEnum):
    BANK_RETURN = "bank_return"
    STATEMENT = "statement"
    PIX = "pix"


@dataclass(frozen=True, slots=True)
class InstallmentRef:
    """What settlement needs to know about an installment."""

    installment_id: UUID
    customer_id: UUID
    face_value: Money
    open_amount: Money
    due_date: date
    bank_reference: str | None = None
    txid: str | None = None


@dataclass(frozen=True, slots=True)
class AllocationLine:
    """Part of a payment applied to one installment: face value first, late charges
    paid, and what the bank deducted as discount or rebate (entries, not cash)."""

    installment_id: UUID
    principal: Money
    late_charges: Money | None = None
    discount: Money | None = None
    rebate: Money | None = None


@dataclass(frozen=True, slots=True)
class SettlementToApply:
    external_id: str  # stable record key: the payment's idempotency key
    source: SettlementSource
    reference: str  # nosso número, statement line reference, txid…
    amount: Money  # what the payer paid
    value_date: date
    customer_id: UUID | None
    allocations: tuple[AllocationLine, ...] = ()  # empty → kept as customer credit
    payer_name: str | None = None
    payer_tax_id: str | None = None
    payer_account: str | None = None


@dataclass(frozen=True, slots=True)
class AppliedPayment:
    payment_id: UUID
    created: bool  # False: the external_id was already recorded (a replay)


class SettlementPort(Protocol):
    """The receivables use cases, as settlement calls them (the "apply" seam)."""

    async def apply(self, settlement: SettlementToApply) -> AppliedPayment: ...

    async def reverse(self, external_id: str, amount: Money, on: date, reason: str) -> UUID | None:
        """Undo (part of) a payment's allocations and refund it; None if unknown."""
        ...


async def apply_settlement(port: SettlementPort, settlement: SettlementToApply) -> AppliedPayment:
    """Apply money received; idempotent on ``settlement.external_id``."""
    check_settlement(settlement)
    return await port.apply(settlement)


def check_settlement(settlement: SettlementToApply) -> None:
    """Refuse a settlement no port may apply: nothing received, or more allocated than
    received (a programming error upstream, hence ValueError)."""
    if not settlement.amount.is_positive():
        raise ValueError("only a positive amount received can be applied")
    allocated = Money.zero(settlement.amount.currency)
    for line in settlement.allocations:
        allocated = allocated + line.principal + (line.late_charges or Money.zero(allocated.currency))
    if allocated > settlement.amount:
        raise ValueError(f"allocations of {allocated} exceed the {settlement.amount} received")


# --- bank returns ---------------------------------------------------------------


def nosso_numero_key(value: str) -> str:
    """The key both sides compare: banks pad nosso número with zeros and spaces."""
    v = value.strip()
    if v.isdigit() and v.isascii():  # the common case, without reference_key's scan
        return v.lstrip("0") or "0"
    return reference_key(value)


@lru_cache(maxsize=256)
def _agreement_key(agreement: str) -> str:
    return reference_key(agreement) if agreement.strip() else "-"


def _decimal_text(minor: int) -> str:
    """Centavos as a decimal string ("-12.05"), without building a Money per amount."""
    sign = "-" if minor < 0 else ""
    q, r = divmod(abs(minor), 100)
    return f"{sign}{q}.{r:02d}"


def record_key(bank_code: str, agreement: str, record: ReturnRecord) -> str:
    """Stable identity of a settlement record, whatever file it arrived in.

    Bank code, agreement, nosso número, occurrence code, payment (or credit) date and
    amount paid: the same liquidation reported twice (a file re-sent by the bank under
    another name) yields the same key, and the payment is not recorded twice.
    """
    when = record.occurrence_date or record.credit_date
    return ":".join(
        (
            bank_code,
            _agreement_key(agreement),
            nosso_numero_key(record.nosso_numero),
            record.occurrence_code.strip() or "-",
            when.isoformat() if when else "-",
            str(record.paid_minor),
        )
    )


@dataclass(frozen=True, slots=True)
class RecordDecision:
    status: RecordStatus
    reason: QueueReason | None = None
    message: str | None = None
    settlement: SettlementToApply | None = None
    installment: InstallmentRef | None = None


def decide_return_record(
    record: ReturnRecord,
    *,
    key: str,
    account_known: bool,
    installment: InstallmentRef | None,
    received_on: date,
    currency: str = "BRL",
) -> RecordDecision:
    """What to do with one return record (pure: the lookups were done by the caller).

    Only settlements move money. A settlement is applied when its nosso número names
    exactly one installment and the title's face value is the installment's: the bank
    registered the title we issued. Anything else is queued with the reason.
    """
    if not account_known:
        return RecordDecision(
            RecordStatus.QUEUED, QueueReason.UNKNOWN_ACCOUNT, "the file's bank account is not registered"
        )
    if record.outcome is Outcome.UNKNOWN:
        return RecordDecision(
            RecordStatus.QUEUED,
            QueueReason.UNKNOWN_OCCURRENCE,
            f"unknown occurrence code {record.occurrence_code!r}",
        )
    if record.outcome is not Outcome.SETTLED:
        return RecordDecision(RecordStatus.IGNORED, message=record.occurrence_description or None)
    if installment is None:
        return RecordDecision(
            RecordStatus.QUEUED,
            QueueReason.UNKNOWN_NOSSO_NUMERO,
            f"no installment has nosso número {record.nosso_numero.strip() or '(blank)'}",
        )
    if installment.face_value.currency != currency:
        return RecordDecision(
            RecordStatus.QUEUED,
            QueueReason.CURRENCY_MISMATCH,
            f"the installment is in {installment.face_value.currency}, the bank paid {currency}",
            installment=installment,
        )
    face = Money.from_minor(record.face_value_minor, currency)
    if record.face_value_minor and face != installment.face_value:
        return RecordDecision(
            RecordStatus.QUEUED,
            QueueReason.AMOUNT_MISMATCH,
            f"the bank's title is {face.amount}, the installment {installment.face_value.amount}",
            installment=installment,
        )
    if record.paid_minor <= 0:
        return RecordDecision(
            RecordStatus.QUEUED,
            QueueReason.AMOUNT_MISMATCH,
            "a settlement without an amount paid",
            installment=installment,
        )
    return RecordDecision(
        RecordStatus.APPLIED,
        settlement=return_settlement(record, key, installment, currency, received_on=received_on),
        installment=installment,
    )


def return_settlement(
    record: ReturnRecord, key: str, installment: InstallmentRef, currency: str = "BRL", *, received_on: date
) -> SettlementToApply:
    """The payment a settled title means, split into its components.

    Interest and fine paid go to late charges; the rest of the amount paid is face
    value. Discount and rebate the bank granted are passed on so the receivables
    context can book them as entries (they are not cash). Whatever exceeds the
    installment's open amount stays unapplied on the payment (customer credit).
    """
    paid = Money.from_minor(record.paid_minor, currency)
    late = Money.from_minor(min(record.interest_minor, record.paid_minor), currency)
    principal = (paid - late).min(installment.open_amount.max(Money.zero(currency)))
    discount = Money.from_minor(record.discount_minor, currency)
    rebate = Money.from_minor(record.rebate_minor, currency)
    line = AllocationLine(
        installment_id=installment.installment_id,
        principal=principal,
        late_charges=late if late.is_positive() else None,
        discount=discount if discount.is_positive() else None,
        rebate=rebate if rebate.is_positive() else None,
    )
    return SettlementToApply(
        external_id=key,
        source=SettlementSource.BANK_RETURN,
        reference=record.nosso_numero.strip(),
        amount=paid,
        value_date=record.occurrence_date or record.credit_date or received_on,
        customer_id=installment.customer_id,
        allocations=(line,) if (principal.is_positive() or line.late_charges) else (),
        payer_name=record.payer_name.strip() or None,
        payer_tax_id=record.payer_tax_id.strip() or None,
    )


def record_fields(record: ReturnRecord) -> dict[str, Any]:
    """A return record's parsed fields as JSON-ready values (amounts as decimal strings).

    Zero amounts, blank texts and absent dates are left out (``record_from_fields``
    restores them): a 100k-title file stores 100k of these, most fields empty.
    """
    out: dict[str, Any] = {}
    values: tuple[Any, ...] = tuple(record)
    for name, value in zip(ReturnRecord._fields, values, strict=True):
        if name in ("raw", "line_no") or value is None or value == "" or value == ():
            continue
        if name.endswith("_minor"):
            if value:
                out[name[:-6]] = _decimal_text(value)
        elif isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, Enum):
            out[name] = value.value
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


@dataclass(slots=True)
class FileCounters:
    """Running totals of one file's processing, kept on the file row per batch."""

    records: int = 0
    settled_count: int = 0
    settled_minor: int = 0
    rejected_count: int = 0
    applied_count: int = 0
    queued_count: int = 0
    review_count: int = 0
    duplicate_count: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add_return(self, record: ReturnRecord, decision: RecordDecision, created: bool | None) -> None:
        self.records += 1
        if record.outcome is Outcome.SETTLED:
            self.settled_count += 1
            self.settled_minor += record.paid_minor
        if record.outcome is Outcome.REJECTED:
            self.rejected_count += 1
        self._status(decision.status, created)

    def _status(self, status: RecordStatus, created: bool | None) -> None:
        self.by_status[status.value] = self.by_status.get(status.value, 0) + 1
        if status is RecordStatus.APPLIED:
            self.applied_count += 1
            if created is False:
                self.duplicate_count += 1
        elif status is RecordStatus.QUEUED:
            self.queued_count += 1
        elif status is RecordStatus.REVIEW:
            self.review_count += 1

    def add_line(self, status: RecordStatus, amount_minor: int, created: bool | None = None) -> None:
        self.records += 1
        if amount_minor > 0:
            self.settled_count += 1
            self.settled_minor += amount_minor
        self._status(status, created)

    def as_dict(self) -> Mapping[str, int]:
        return {
            "records": self.records,
            "settled_count": self.settled_count,
            "settled_minor": self.settled_minor,
            "rejected_count": self.rejected_count,
            "applied_count": self.applied_count,
            "queued_count": self.queued_count,
            "review_count": self.review_count,
            "duplicate_count": self.duplicate_count,
        }


def match_bank_account(
    accounts: Sequence[tuple[UUID, str, str, str, str]],
    bank_code: str,
    agency: str,
    account: str,
    agreement: str,
) -> UUID | None:
    """The registered account a file header names: same bank, and the same agreement
    (convênio) or the same agency and account. Banks pad these fields with zeros to
    different widths, so they are compared without leading zeros. Ambiguity → None.

    ``accounts``: (id, bank_code, agency, account, agreement) of the tenant's accounts.
    """

    def k(s: str) -> str:
        return s.strip().lstrip("0")

    hits = []
    for acc_id, code, ag, acc, agr in accounts:
        if code != bank_code:
            continue
        by_agreement = bool(k(agreement)) and k(agreement) in {k(agr), k(agr) + k(acc)}
        by_account = (
            bool(k(account))
            and k(ag) == k(agency)
            and (k(acc) == k(account) or k(account).startswith(k(acc)))
        )
        if by_agreement or by_account:
            hits.append(acc_id)
    return hits[0] if len(hits) == 1 else None


def record_from_fields(line_no: int, raw: str, fields: Mapping[str, Any]) -> ReturnRecord:
    """The record back from ``record_fields`` (the correction queue reprocesses it)."""
    from decimal import Decimal

    from app.domain.settlement.bank_files import SettlementKind

    values: dict[str, Any] = {}
    for name in ReturnRecord._fields:
        if name == "raw":
            values[name] = raw
        elif name == "line_no":
            values[name] = line_no
        elif name.endswith("_minor"):
            values[name] = Money.of(Decimal(str(fields.get(name[: -len("_minor")], "0"))), "BRL").minor
        elif name in ("due_date", "occurrence_date", "credit_date"):
            v = fields.get(name)
            values[name] = date.fromisoformat(v) if v else None
        elif name == "outcome":
            values[name] = Outcome(fields["outcome"])
        elif name == "settlement_kind":
            v = fields.get(name)
            values[name] = SettlementKind(v) if v else None
        elif name == "reason_codes":
            values[name] = tuple(fields.get(name) or ())
        else:
            values[name] = fields.get(name, "")
    return ReturnRecord(**values)
