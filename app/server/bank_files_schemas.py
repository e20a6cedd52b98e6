"""Response and request shapes of the bank-file, correction-queue and cash-application APIs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec

from app.adapters.db.models import BankFileRecordRow, BankFileRow
from app.domain.settlement.service import SUGGESTED_FIX, QueueReason
from app.domain.shared.money import Money


class FileErrorOut(msgspec.Struct):
    line: int
    field: str
    message: str
    severity: str = "error"


class BankFileOut(msgspec.Struct):
    id: str
    filename: str
    sha256: str
    size: int
    kind: str
    bank_code: str | None
    layout: str | None
    bank_account_id: str | None
    status: str
    records: int
    settled_count: int
    settled_amount: str
    rejected_count: int
    applied_count: int
    queued_count: int
    review_count: int
    duplicate_count: int
    errors: list[FileErrorOut]
    totals: dict[str, Any]
    header_account: dict[str, Any]
    source: str
    uploaded_by: str
    uploaded_at: str
    finished_at: str | None


class BankFilePage(msgspec.Struct):
    items: list[BankFileOut]
    next_cursor: str | None


class RecordOut(msgspec.Struct):
    id: str
    file_id: str
    line_no: int
    raw: str
    parsed: dict[str, Any]
    outcome: str
    status: str
    error_code: str | None
    error: str | None
    suggested_fix: str | None
    amount: str
    value_date: str | None
    reference: str | None
    installment_id: str | None
    customer_id: str | None
    payment_id: str | None
    proposals: list[dict[str, Any]] | None
    resolution: dict[str, Any] | None


class RecordPage(msgspec.Struct):
    items: list[RecordOut]
    next_cursor: str | None


class ResolveIn(msgspec.Struct, forbid_unknown_fields=True):
    action: Annotated[str, msgspec.Meta(pattern="^(assign|dismiss|retry)$")]
    installment_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    bank_account_id: uuid.UUID | None = None
    reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None


def file_out(row: BankFileRow) -> BankFileOut:
    return BankFileOut(
        id=str(row.id),
        filename=row.filename,
        sha256=row.sha256,
        size=row.size,
        kind=row.kind,
        bank_code=row.bank_code,
        layout=row.layout,
        bank_account_id=str(row.bank_account_id) if row.bank_account_id else None,
        status=row.status,
        records=row.records,
        settled_count=row.settled_count,
        settled_amount=str(Money.from_minor(row.settled_minor, "BRL").amount),
        rejected_count=row.rejected_count,
        applied_count=row.applied_count,
        queued_count=row.queued_count,
        review_count=row.review_count,
        duplicate_count=row.duplicate_count,
        errors=[msgspec.convert(e, FileErrorOut) for e in row.errors or []],
        totals=row.totals or {},
        header_account=row.header_account or {},
        source=row.source,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at.isoformat(),
        finished_at=row.finished_at.isoformat() if row.finished_at else None,
    )


def record_out(row: BankFileRecordRow) -> RecordOut:
    reason = None
    if row.error_code:
        try:
            reason = SUGGESTED_FIX.get(QueueReason(row.error_code))
        except ValueError:
            reason = None
    return RecordOut(
        id=str(row.id),
        file_id=str(row.file_id),
        line_no=row.line_no,
        raw=row.raw,
        parsed=row.parsed,
        outcome=row.outcome,
        status=row.status,
        error_code=row.error_code,
        error=row.error,
        suggested_fix=reason if row.status == "queued" else None,
        amount=str(Money.from_minor(row.amount_minor, "BRL").amount),
        value_date=row.value_date.isoformat() if row.value_date else None,
        reference=row.reference,
        installment_id=str(row.installment_id) if row.installment_id else None,
        customer_id=str(row.customer_id) if row.customer_id else None,
        payment_id=str(row.payment_id) if row.payment_id else None,
        proposals=row.proposals,
        resolution=row.resolution,
    )
