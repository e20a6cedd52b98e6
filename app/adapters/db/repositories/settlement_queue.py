"""The correction queue: records that could not be applied, and their resolution.

``resolve`` runs in the caller's unit of work: assign (to an installment, to a
customer's account, or the file to a bank account), dismiss with a reason, or retry.
Assign and retry reprocess the record through the same decisions and the same apply
seam as the file did; the payment is idempotent on the record key, so a double
click never applies twice (and a record no longer open is refused).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from app.adapters.db.base import utcnow
from app.adapters.db.models import BankFileRecordRow, BankFileRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlBankFileRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.bank_files import Outcome
from app.domain.settlement.service import (
    OPEN_STATUSES,
    QueueReason,
    RecordDecision,
    RecordStatus,
    SettlementPort,
    SettlementSource,
    SettlementToApply,
    apply_settlement,
    decide_return_record,
    match_bank_account,
    nosso_numero_key,
    record_from_fields,
    return_settlement,
)
from app.domain.settlement.statement_accounts import (
    AccountIdentity,
    RegisteredAccount,
    match_statement_account,
)
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class Resolution:
    action: str  # assign | dismiss | retry
    installment_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    bank_account_id: uuid.UUID | None = None
    reason: str | None = None


async def refresh_counts(files: SqlBankFileRepository, file_id: uuid.UUID) -> None:
    counts = await files.status_counts(file_id)
    await files.set(
        file_id,
        applied_count=counts.get("applied", 0),
        queued_count=counts.get("queued", 0),
        review_count=counts.get("review", 0) + counts.get("skipped", 0),
    )


async def resolve(
    uow: SqlUnitOfWork, port: SettlementPort, record_id: uuid.UUID, how: Resolution
) -> BankFileRecordRow:
    files = SqlBankFileRepository(uow.session, uow.tenant)
    row = await files.record(record_id, for_update=True)
    if row is None:
        raise NotFound("record not found")
    if RecordStatus(row.status) not in OPEN_STATUSES:
        raise Conflict(f"the record is already {row.status}")
    file = await files.get(row.file_id)
    assert file is not None
    before = {"status": row.status, "error_code": row.error_code}
    if how.action == "dismiss":
        if not (how.reason or "").strip():
            raise ValidationFailed([FieldError("reason", "is required to dismiss a record")])
        row.status = RecordStatus.DISMISSED.value
    elif how.action == "assign" and how.bank_account_id is not None:
        await assign_account(uow, port, file, how.bank_account_id)
        await uow.session.refresh(row)
    elif how.action in ("assign", "retry"):
        if how.action == "assign" and how.installment_id is None and how.customer_id is None:
            raise ValidationFailed(
                [FieldError("installment_id", "give installment_id, customer_id or bank_account_id")]
            )
        if file.kind.endswith("_return"):
            await _reprocess_return(uow, port, file, row, how)
        else:
            from app.adapters.db.repositories.settlement_statements import reprocess_line

            await reprocess_line(uow, port, file, row, how)
    else:
        raise ValidationFailed([FieldError("action", "must be assign, dismiss or retry")])
    row.resolution = {
        "action": how.action,
        "by": uow.actor,
        "at": utcnow().isoformat(),
        "reason": how.reason,
        "installment_id": str(how.installment_id) if how.installment_id else None,
        "customer_id": str(how.customer_id) if how.customer_id else None,
        "bank_account_id": str(how.bank_account_id) if how.bank_account_id else None,
    }
    row.updated_at = utcnow()
    await uow.session.flush()
    await refresh_counts(files, file.id)
    uow.audit(
        f"correction_queue.{how.action}",
        "bank_file_record",
        str(row.id),
        before,
        {"status": row.status, "error_code": row.error_code, "payment_id": str(row.payment_id or "")},
        reason=how.reason,
    )
    return row


async def _reprocess_return(
    uow: SqlUnitOfWork, port: SettlementPort, file: BankFileRow, row: BankFileRecordRow, how: Resolution
) -> None:
    files = SqlBankFileRepository(uow.session, uow.tenant)
    record = record_from_fields(row.line_no, row.raw, row.parsed)
    key = row.record_key or ""
    received_on = file.uploaded_at.date()
    decision: RecordDecision
    if how.installment_id is not None:
        inst = await files.installment(how.installment_id)
        if inst is None:
            raise ValidationFailed([FieldError("installment_id", "no such installment")])
        if record.outcome is not Outcome.SETTLED or record.paid_minor <= 0:
            raise ValidationFailed([FieldError("installment_id", "only a settlement can be assigned")])
        decision = RecordDecision(
            RecordStatus.APPLIED,
            settlement=return_settlement(record, key, inst, received_on=received_on),
            installment=inst,
        )
    elif how.customer_id is not None:
        if record.paid_minor <= 0:
            raise ValidationFailed([FieldError("customer_id", "nothing was paid on this record")])
        settlement = SettlementToApply(
            external_id=key,
            source=SettlementSource.BANK_RETURN,
            reference=record.nosso_numero.strip(),
            amount=Money.from_minor(record.paid_minor, "BRL"),
            value_date=record.occurrence_date or record.credit_date or received_on,
            customer_id=how.customer_id,
            payer_name=record.payer_name.strip() or None,
            payer_tax_id=record.payer_tax_id.strip() or None,
        )
        decision = RecordDecision(RecordStatus.ON_ACCOUNT, settlement=settlement)
    else:
        found = await files.installments_by_nosso_numero([record.nosso_numero])
        candidates = found.get(nosso_numero_key(record.nosso_numero), [])
        decision = decide_return_record(
            record,
            key=key,
            account_known=file.bank_account_id is not None,
            installment=candidates[0] if len(candidates) == 1 else None,
            received_on=received_on,
        )
    await apply_decision(port, row, decision)


async def apply_decision(port: SettlementPort, row: BankFileRecordRow, decision: RecordDecision) -> None:
    if decision.settlement is not None:
        applied = await apply_settlement(port, decision.settlement)
        row.payment_id = applied.payment_id
    row.status = decision.status.value
    row.error_code = decision.reason.value if decision.reason else None
    row.error = decision.message
    if decision.installment is not None:
        row.installment_id = decision.installment.installment_id
        row.customer_id = decision.installment.customer_id
    elif decision.settlement is not None:
        row.customer_id = decision.settlement.customer_id


async def assign_account(
    uow: SqlUnitOfWork, port: SettlementPort, file: BankFileRow, account_id: uuid.UUID
) -> int:
    """Give a file its bank account and reprocess its "unknown account" records."""
    account = await SqlBankAccountRepository(uow.session, uow.tenant).get(account_id)
    if account is None:
        raise ValidationFailed([FieldError("bank_account_id", "no such bank account")])
    if file.bank_code and account.bank_code != file.bank_code:
        raise ValidationFailed(
            [
                FieldError(
                    "bank_account_id",
                    f"the file is from bank {file.bank_code}, the account {account.bank_code}",
                )
            ]
        )
    files = SqlBankFileRepository(uow.session, uow.tenant)
    file.bank_account_id = account_id
    await uow.session.flush()
    done = 0
    for rid in await files.queued_ids_of_file(file.id, QueueReason.UNKNOWN_ACCOUNT.value):
        rec = await files.record(rid, for_update=True)
        assert rec is not None
        if file.kind.endswith("_return"):
            await _reprocess_return(uow, port, file, rec, Resolution("retry"))
        else:
            from app.adapters.db.repositories.settlement_statements import reprocess_line

            await reprocess_line(uow, port, file, rec, Resolution("retry"))
        rec.updated_at = utcnow()
        done += 1
    await uow.session.flush()
    await refresh_counts(files, file.id)
    return done


async def assign_waiting_files(uow: SqlUnitOfWork, port: SettlementPort, account_id: uuid.UUID) -> int:
    """A bank account was just registered: the processed files that name it (a CNAB
    header's agency/account/agreement, a statement's account identity) and still wait
    as "unknown account" get it, and their records are reprocessed. Returns the files."""
    account = await SqlBankAccountRepository(uow.session, uow.tenant).get(account_id)
    if account is None:
        return 0
    files = SqlBankFileRepository(uow.session, uow.tenant)
    cnab_identity = [(account.id, account.bank_code, account.agency, account.account, account.agreement)]
    statement_identity = [
        RegisteredAccount(
            account.id,
            account.bank_code,
            account.agency,
            account.agency_digit,
            account.account,
            account.digit,
        )
    ]
    done = 0
    for f in await files.waiting_for_account(account.bank_code):
        h = f.header_account or {}
        header = (str(h.get(k, "")) for k in ("bank_code", "agency", "account", "agreement"))
        if match_bank_account(cnab_identity, *header) is not None:
            await assign_account(uow, port, f, account.id)
            done += 1
    for f in await files.statements_waiting_for_account():
        if _names_account(f.header_account, statement_identity):
            await assign_account(uow, port, f, account.id)
            done += 1
    return done


def _names_account(header: dict[str, Any] | None, registered: list[RegisteredAccount]) -> bool:
    """Does a statement's stored identity (``header_account["identity"]``) name one of these?"""
    named = (header or {}).get("identity")
    if not isinstance(named, dict):
        return False
    wanted = AccountIdentity(
        **{k: str(named.get(k) or "") for k in ("bank_code", "agency", "account", "iban")}
    )
    return not wanted.empty and match_statement_account(registered, wanted) is not None
