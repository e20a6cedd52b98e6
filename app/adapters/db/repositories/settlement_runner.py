"""Bank file intake and processing: the driver between the stored file, the parsers,
the settlement decisions and the receivables use cases.

``register_file`` stores the bytes and the ``bank_files`` row (the unique
(tenant, sha256) refuses a second upload of the same file, even a racing one).
``process_file`` then works in two passes over the stored file, both streamed:

1. validate: parse every record without keeping them, collect errors, header and
   trailer totals. A structurally invalid file (truncated, trailer mismatch, another
   layout, an unreadable amount) stops here with status ``invalid``: nothing applied.
2. apply: parse again and handle records in batches (``BATCH`` per transaction):
   look up installments for the batch in one query, decide every record, apply the
   settlements — a batch at a time with bulk statements when the port can decide a
   batch (``settlement_bulk``), else one by one through the receivables use cases;
   both give the same money, audit and events —, insert the record rows and advance
   the file's progress, then commit (``settlement_batches``: on PostgreSQL the next
   batch is decided while the previous one is stored). A crash leaves whole batches
   only; a restart skips the lines up to ``processed_through`` and every payment is
   idempotent on its record key anyway.

One processor at a time: ``process_file`` first claims the file's lease, and every
progress commit renews it (``settlement_lease``); a second caller returns at once, and
a processor whose lease expired and was taken over stops at its next commit.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from app.adapters.banks.cnab import NotACnabFile, detect_header, iter_lines, iter_records
from app.adapters.banks.statements import detect_format
from app.adapters.db.base import utcnow
from app.adapters.db.models import BankFileRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlBankFileRepository
from app.adapters.db.repositories.settlement_batches import (
    BatchPipeline,
    PortFactory,
    ReturnContext,
    UowFactory,
)
from app.adapters.db.repositories.settlement_lease import FileLease, LeaseLost
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.domain.settlement.bank_files import FileError, ReturnRecord
from app.domain.settlement.service import (
    FileCounters,
    match_bank_account,
)
from app.domain.shared.errors import Conflict
from app.domain.shared.events import DomainEvent
from app.domain.shared.ids import new_id

log = logging.getLogger("cobalto.bank_files")

# Records per transaction. 5,000 rather than 1,000: the same rows in a fifth of the
# statements and commits (on a 10k return, with the array lookup of nosso números, the
# SQL time went from 4.6-6.2 s to 4.1-4.3 s), a few MB of memory, and a batch's
# installment locks still held for only about a second.
BATCH = 5_000
MAX_LISTED_ERRORS = 500


class DuplicateFile(Exception):
    def __init__(self, existing: BankFileRow) -> None:
        super().__init__(f"this file was already uploaded as {existing.id}")
        self.file_id = existing.id
        self.filename = existing.filename
        self.uploaded_at = existing.uploaded_at


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str
    bank_code: str | None = None
    layout: str | None = None
    problem: str | None = None


def sniff(head: bytes) -> Sniffed:
    """The file kind from its first bytes: a CNAB header, else a statement format."""
    lines = [ln for ln in iter_lines([head[:8192]]) if ln.strip()][:2]
    if lines:
        try:
            det = detect_header(lines[0], lines[1] if len(lines) > 1 else None)
        except NotACnabFile:
            det = None
        if det is not None:
            if det.kind != "return":
                return Sniffed(
                    f"{det.layout}_remittance", det.bank_code, det.layout, "a remittance file, not a return"
                )
            return Sniffed(f"{det.layout}_return", det.bank_code, det.layout)
    fmt = detect_format(head)
    return Sniffed(fmt.value.replace(".", ""))


async def register_file(
    factory: UowFactory,
    store: BankFileStore,
    *,
    sha256: str,
    size: int,
    filename: str,
    bank_account_id: uuid.UUID | None,
    source: str = "upload",
) -> uuid.UUID:
    """The ``bank_files`` row for bytes already in ``store``; ``DuplicateFile`` if the
    tenant has them already."""
    found = sniff(store.head(sha256))
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        existing = await files.by_sha256(sha256)
        if existing is not None:
            raise DuplicateFile(existing)
        if bank_account_id is not None:
            account = await SqlBankAccountRepository(uow.session, uow.tenant).get(bank_account_id)
            if account is None:
                raise LookupError("bank account not found")
        row = BankFileRow(
            id=new_id(),
            filename=filename[:255],
            sha256=sha256,
            size=size,
            kind=found.kind,
            bank_code=found.bank_code,
            layout=found.layout,
            bank_account_id=bank_account_id,
            header_account={},
            uploaded_by=uow.actor,
            uploaded_at=utcnow(),
            source=source,
            status="received",
            errors=[{"line": 0, "field": "file", "message": found.problem}] if found.problem else [],
            totals={},
        )
        files.add(row)
        uow.audit(
            "bank_file.uploaded", "bank_file", str(row.id), None, {"sha256": sha256, "filename": filename}
        )
        try:
            await uow.commit()
        except Conflict:
            pass
        else:
            return row.id
    # Lost a race with an identical upload: the unique constraint decided.
    async with factory() as uow:
        existing = await SqlBankFileRepository(uow.session, uow.tenant).by_sha256(sha256)
    assert existing is not None
    raise DuplicateFile(existing)


async def process_file(
    factory: UowFactory,
    store: BankFileStore,
    file_id: uuid.UUID,
    ports: PortFactory,
    batch: int = BATCH,
    *,
    bulk: bool = True,
) -> bool:
    """Process (or resume) a registered file; safe to call again after a crash, and
    from several processes at once: the file's lease lets one of them work on it.

    Returns whether this call processed the file: False when it is finished already,
    another processor's lease holds it, or this one's lease was taken over midway.
    ``bulk``: apply each batch's settlements with the port's ``apply_many`` (bulk
    statements) when it has one; False applies them one by one through ``apply``
    (the same outcome, kept to compare the two)."""
    lease = FileLease.new(file_id)
    claimed = await _claim(factory, lease)
    if claimed is None:
        log.debug("bank file %s is finished or being processed elsewhere", file_id)
        return False
    kind, sha = claimed
    try:
        await _process(factory, store, lease, kind, sha, ports, batch, bulk)
    except LeaseLost:
        log.warning(
            "bank file %s: lease %s expired and was taken over; stopping without writing more",
            file_id,
            lease.owner,
        )
        return False
    except Exception:
        log.exception("bank file %s failed", file_id)
        await _fail(factory, lease)
        raise
    return True


async def _claim(factory: UowFactory, lease: FileLease) -> tuple[str, str] | None:
    """(kind, sha256) of the file once this processor holds its lease, else None."""
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        if not await lease.claim(files):
            return None
        row = await files.get(lease.file_id)
        assert row is not None
        await uow.commit()
        return row.kind, row.sha256


async def _process(
    factory: UowFactory,
    store: BankFileStore,
    lease: FileLease,
    kind: str,
    sha: str,
    ports: PortFactory,
    batch: int,
    bulk: bool,
) -> None:
    if kind.endswith("_return"):
        await _process_return(factory, store, lease, sha, ports, batch, bulk)
    elif kind.endswith("_remittance"):
        await _finish(factory, lease, "invalid")
    else:
        from app.adapters.db.repositories.settlement_statements import process_statement

        await process_statement(factory, store, lease, ports)


async def _fail(factory: UowFactory, lease: FileLease) -> None:
    async with factory() as uow:
        try:
            await lease.release(SqlBankFileRepository(uow.session, uow.tenant), status="failed")
        except LeaseLost:
            return  # taken over meanwhile: the file is the new owner's
        await uow.commit()


def _errors_json(errors: list[FileError]) -> list[dict[str, Any]]:
    return [
        {"line": e.line_no, "field": e.field, "message": e.message, "severity": e.severity}
        for e in errors[:MAX_LISTED_ERRORS]
    ]


def _totals_json(parsed: Any) -> dict[str, Any]:
    def t(x: Any) -> dict[str, Any]:
        return {"records": x.records, "details": x.details, "details_value_minor": x.details_value_minor}

    return {
        "trailer": t(parsed.trailer_totals),
        "computed": t(parsed.computed_totals),
        "detail_records": len(parsed.records) if parsed.records else None,
    }


async def _finish(factory: UowFactory, lease: FileLease, status: str) -> None:
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        await lease.release(files, status=status, finished_at=utcnow())
        uow.record(DomainEvent("bank_file.processed", {"bank_file_id": str(lease.file_id), "status": status}))
        await uow.commit()


async def _process_return(
    factory: UowFactory,
    store: BankFileStore,
    lease: FileLease,
    sha: str,
    ports: PortFactory,
    batch: int,
    bulk: bool = True,
) -> None:
    # Pass 1: validate the whole file before anything is applied.
    stream = iter_records(iter_lines(store.chunks(sha)))
    count = sum(1 for _ in stream)
    parsed = stream.result()
    header = {
        "bank_code": parsed.bank_code,
        "agency": parsed.agency,
        "account": parsed.account,
        "account_digit": parsed.account_digit,
        "agreement": parsed.agreement,
        "company_tax_id": parsed.company_tax_id,
        "company_name": parsed.company_name,
        "file_sequence": parsed.file_sequence,
    }
    file_id = lease.file_id
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        row = await files.get(file_id)
        assert row is not None
        errors = _errors_json(parsed.errors)
        invalid = not parsed.is_structurally_valid or parsed.kind != "return"
        account_id = row.bank_account_id
        if not invalid and account_id is not None:
            account = await SqlBankAccountRepository(uow.session, uow.tenant).get(account_id)
            if account is not None and account.bank_code != parsed.bank_code:
                invalid = True
                errors.insert(
                    0,
                    {
                        "line": 1,
                        "field": "codigo_banco",
                        "message": f"a bank {parsed.bank_code} file for a bank {account.bank_code} account",
                        "severity": "error",
                    },
                )
        if account_id is None and not invalid:
            accounts = await SqlBankAccountRepository(uow.session, uow.tenant).identities(parsed.bank_code)
            account_id = match_bank_account(
                accounts, parsed.bank_code, parsed.agency, parsed.account, parsed.agreement
            )
        await lease.extend(
            files,
            errors=errors,
            totals={**_totals_json(parsed), "detail_records": count},
            header_account=header,
            bank_code=parsed.bank_code,
            layout=parsed.layout,
            bank_account_id=account_id,
        )
        await uow.commit()
        received_on = row.uploaded_at.date()
        resume = row.processed_through
        counters = FileCounters(
            records=row.records,
            settled_count=row.settled_count,
            settled_minor=row.settled_minor,
            rejected_count=row.rejected_count,
            applied_count=row.applied_count,
            queued_count=row.queued_count,
            review_count=row.review_count,
            duplicate_count=row.duplicate_count,
        )
    if invalid:
        await _finish(factory, lease, "invalid")
        return

    # Pass 2: apply, batch by batch.
    ctx = ReturnContext(
        lease, parsed.bank_code, parsed.agreement, account_id is not None, received_on, counters, bulk
    )
    pipeline = BatchPipeline(factory, ports, ctx)
    try:
        pending: list[ReturnRecord] = []
        for record in iter_records(iter_lines(store.chunks(sha))):
            if record.line_no <= resume:
                continue
            pending.append(record)
            if len(pending) >= batch:
                await pipeline.push(pending)
                pending = []
        if pending:
            await pipeline.push(pending)
    finally:
        await pipeline.drain()
    await _finish(factory, lease, "processed")
