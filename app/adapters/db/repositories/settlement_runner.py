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
   settlements — a batch at a time with bulk statements when the port offers
   ``apply_many`` (``settlement_bulk``), else one by one through the receivables use
   cases; both give the same money, audit and events —, insert the record rows and
   advance the file's progress, then commit. A crash leaves whole batches only; a restart skips the lines up to
   ``processed_through`` and every payment is idempotent on its record key anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

from app.adapters.banks.cnab import NotACnabFile, detect_header, iter_lines, iter_records
from app.adapters.banks.statements import detect_format
from app.adapters.db.base import utcnow
from app.adapters.db.models import BankFileRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlBankFileRepository
from app.adapters.db.repositories.settlement_bulk import YIELD_EVERY, DecidedSettlements
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.service_ports import RecordedPayment
from app.domain.settlement.bank_files import FileError, ReturnRecord
from app.domain.settlement.service import (
    AppliedPayment,
    FileCounters,
    InstallmentRef,
    QueueReason,
    RecordDecision,
    RecordStatus,
    SettlementPort,
    SettlementToApply,
    apply_settlement,
    decide_return_record,
    match_bank_account,
    nosso_numero_key,
    record_fields,
    record_key,
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

UowFactory = Callable[[], SqlUnitOfWork]
PortFactory = Callable[[SqlUnitOfWork], SettlementPort]


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
) -> None:
    """Process (or resume) a registered file; safe to call again after a crash.

    ``bulk``: apply each batch's settlements with the port's ``apply_many`` (bulk
    statements) when it has one; False applies them one by one through ``apply``
    (the same outcome, kept to compare the two)."""
    async with factory() as uow:
        row = await SqlBankFileRepository(uow.session, uow.tenant).get(file_id)
        if row is None or row.status in ("processed", "invalid"):
            return
        kind, sha = row.kind, row.sha256
        await SqlBankFileRepository(uow.session, uow.tenant).set(file_id, status="processing")
        await uow.commit()
    try:
        if kind.endswith("_return"):
            await _process_return(factory, store, file_id, sha, ports, batch, bulk)
        elif kind.endswith("_remittance"):
            await _finish(factory, file_id, "invalid")
        else:
            from app.adapters.db.repositories.settlement_statements import process_statement

            await process_statement(factory, store, file_id, ports)
    except Exception:
        log.exception("bank file %s failed", file_id)
        async with factory() as uow:
            await SqlBankFileRepository(uow.session, uow.tenant).set(file_id, status="failed")
            await uow.commit()
        raise


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


async def _finish(factory: UowFactory, file_id: uuid.UUID, status: str, **values: Any) -> None:
    async with factory() as uow:
        await SqlBankFileRepository(uow.session, uow.tenant).set(
            file_id, status=status, finished_at=utcnow(), **values
        )
        uow.record(DomainEvent("bank_file.processed", {"bank_file_id": str(file_id), "status": status}))
        await uow.commit()


async def _process_return(
    factory: UowFactory,
    store: BankFileStore,
    file_id: uuid.UUID,
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
        await files.set(
            file_id,
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
        await _finish(factory, file_id, "invalid")
        return

    # Pass 2: apply, batch by batch.
    ctx = _ReturnContext(
        file_id, parsed.bank_code, parsed.agreement, account_id is not None, received_on, counters, bulk
    )
    pipeline = _BatchPipeline(factory, ports, ctx)
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
    await _finish(factory, file_id, "processed")


@dataclass(slots=True)
class _ReturnContext:
    file_id: uuid.UUID
    bank_code: str
    agreement: str
    account_known: bool
    received_on: date
    counters: FileCounters
    bulk: bool = True  # apply settlements a batch at a time when the port can


@runtime_checkable
class BulkSettlementPort(Protocol):
    """A port that applies a whole batch at once (``ReceivablesSettlementPort``), in two
    steps: decide (reads and locks; ``carried``: payments of a batch still being stored)
    then store, so that deciding a batch can overlap storing the previous one."""

    async def apply_many(
        self, settlements: Sequence[SettlementToApply]
    ) -> list[AppliedPayment | Conflict]: ...

    async def decide_many(
        self,
        settlements: Sequence[SettlementToApply],
        carried: Mapping[str, RecordedPayment],
        settle_in_flight: Callable[[], Awaitable[None]],
    ) -> DecidedSettlements: ...

    async def store_decided(self, decided: DecidedSettlements) -> None: ...


async def _apply_one_by_one(
    port: SettlementPort, settlements: Sequence[SettlementToApply]
) -> list[AppliedPayment | Conflict]:
    out: list[AppliedPayment | Conflict] = []
    for settlement in settlements:
        try:
            out.append(await apply_settlement(port, settlement))
        except Conflict as exc:
            # The key was recorded with another amount or date: nothing was written for
            # this record (record_payment refuses first); it waits in the queue.
            out.append(exc)
    return out


@dataclass(slots=True)
class _DecidedBatch:
    """A batch decided on its own unit of work, waiting to be stored and committed."""

    uow: SqlUnitOfWork
    port: SettlementPort
    settlements: DecidedSettlements | None  # None: applied already (one by one)
    rows: list[dict[str, Any]]
    through: int  # the batch's last line: the file's progress once it commits
    counters: Mapping[str, int]  # the file's counters once it commits


async def _decide_batch(
    uow: SqlUnitOfWork,
    ports: PortFactory,
    ctx: _ReturnContext,
    records: list[ReturnRecord],
    carried: Mapping[str, RecordedPayment],
    settle_in_flight: Callable[[], Awaitable[None]],
) -> _DecidedBatch:
    """Look the batch up, decide every record (pure), decide its settlements (reads and
    locks; with a port that cannot decide without writing, apply them now), and build
    the record rows. Nothing is committed."""
    from app.domain.settlement.bank_files import Outcome

    files = SqlBankFileRepository(uow.session, uow.tenant)
    wanted = {r.nosso_numero for r in records if r.outcome is Outcome.SETTLED and r.nosso_numero.strip()}
    found = await files.installments_by_nosso_numero(wanted) if ctx.account_known and wanted else {}
    port = ports(uow)
    decided: list[tuple[ReturnRecord, str, list[InstallmentRef], RecordDecision]] = []
    for n, r in enumerate(records, 1):
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # let the batch in flight send its next statement
        key = record_key(ctx.bank_code, ctx.agreement, r)
        candidates = found.get(nosso_numero_key(r.nosso_numero), [])
        decision = decide_return_record(
            r,
            key=key,
            account_known=ctx.account_known,
            installment=candidates[0] if len(candidates) == 1 else None,
            received_on=ctx.received_on,
        )
        decided.append((r, key, candidates, decision))
    settlements = [d.settlement for _, _, _, d in decided if d.settlement is not None]
    planned: DecidedSettlements | None = None
    if ctx.bulk and isinstance(port, BulkSettlementPort):
        planned = await port.decide_many(settlements, carried, settle_in_flight)
        applied = iter(planned.outcomes)
    else:
        await settle_in_flight()  # applying writes now: the batch before must be in
        applied = iter(await _apply_one_by_one(port, settlements))
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for n, (r, key, candidates, decision) in enumerate(decided, 1):
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        payment_id = None
        created = None
        if decision.settlement is not None:
            outcome = next(applied)
            if isinstance(outcome, Conflict):
                decision = RecordDecision(
                    RecordStatus.QUEUED,
                    QueueReason.KEY_CONFLICT,
                    str(outcome),
                    installment=decision.installment,
                )
            else:
                payment_id, created = outcome.payment_id, outcome.created
        ctx.counters.add_return(r, decision, created)
        message = decision.message
        if len(candidates) > 1:
            message = f"{len(candidates)} installments share nosso número {r.nosso_numero.strip()}"
        inst = decision.installment
        rows.append(
            {
                "id": new_id(),
                "file_id": ctx.file_id,
                "line_no": r.line_no,
                "raw": r.raw,
                "parsed": record_fields(r),
                "outcome": r.outcome.value,
                "status": decision.status.value,
                "error_code": decision.reason.value if decision.reason else None,
                "error": message,
                "record_key": key[:160],
                "amount_minor": r.paid_minor,
                "value_date": r.occurrence_date or r.credit_date,
                "reference": r.nosso_numero.strip()[:60] or None,
                "installment_id": inst.installment_id if inst else None,
                "customer_id": inst.customer_id if inst else None,
                "payment_id": payment_id,
                "proposals": None,
                "resolution": {"duplicate_of_payment": True} if created is False else None,
                "updated_at": now,
            }
        )
    return _DecidedBatch(uow, port, planned, rows, records[-1].line_no, dict(ctx.counters.as_dict()))


async def _store_batch(batch: _DecidedBatch, file_id: uuid.UUID) -> None:
    """Write what ``_decide_batch`` decided, advance the file's progress, commit."""
    if batch.settlements is not None:
        assert isinstance(batch.port, BulkSettlementPort)
        await batch.port.store_decided(batch.settlements)
    files = SqlBankFileRepository(batch.uow.session, batch.uow.tenant)
    await files.add_records(batch.rows)
    await files.set(file_id, processed_through=batch.through, **batch.counters)
    await batch.uow.commit()


_collector_holds = 0


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is decided.

    Deciding 5,000 records makes hundreds of thousands of short-lived objects, which
    keeps triggering the collector (15-20 % of the decision time in
    bench/settle_decisions.py); they hold no cycles and reference counting frees them
    when the batch is done. Nested holds (two files at once) re-enable it only when the
    last one ends, and only if it was on."""
    global _collector_holds
    if _collector_holds == 0 and not gc.isenabled():
        yield
        return
    if _collector_holds == 0:
        gc.disable()
    _collector_holds += 1
    try:
        yield
    finally:
        _collector_holds -= 1
        if _collector_holds == 0:
            gc.enable()


class _BatchPipeline:
    """Applies batches in file order with two in flight: while one batch's statements
    run and commit on its connection, the next is looked up and decided on another
    (the database works while Python decides). What keeps it the same as one batch
    after the other:

    - commits stay in file order: a batch is stored only once the one before it has
      committed, and if that one failed the next is rolled back;
    - an installment in both batches: the second batch's ``FOR UPDATE`` waits for the
      first's commit, then reads the ledger it left;
    - a record key in both: the second batch cannot see the first's payments yet, so
      they are handed over (``carried``) and count as recorded;
    - a settlement that must write while being decided (bank-granted rebates) first
      waits for the batch in flight to commit, so neither waits on the other's locks;
    - without row locks (SQLite) batches do not overlap at all.
    """

    def __init__(self, factory: UowFactory, ports: PortFactory, ctx: _ReturnContext) -> None:
        self._factory = factory
        self._ports = ports
        self._ctx = ctx
        self._in_flight: asyncio.Task[None] | None = None
        self._carried: Mapping[str, RecordedPayment] = {}

    async def push(self, records: list[ReturnRecord]) -> None:
        uow = self._factory()
        await uow.__aenter__()
        try:
            if uow.session.get_bind().dialect.name != "postgresql":
                # No row locks (SQLite locks the whole database, one writer at a time):
                # a batch may only read what the batch before it committed.
                await self.drain()
            with _collector_paused():
                batch = await _decide_batch(uow, self._ports, self._ctx, records, self._carried, self.drain)
            await self.drain()
        except BaseException as exc:
            await uow.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        self._carried = batch.settlements.recorded if batch.settlements is not None else {}
        self._in_flight = asyncio.create_task(self._store(batch))

    async def _store(self, batch: _DecidedBatch) -> None:
        try:
            await _store_batch(batch, self._ctx.file_id)
        except BaseException as exc:
            await batch.uow.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        await batch.uow.__aexit__(None, None, None)

    async def drain(self) -> None:
        """Wait for the batch in flight to commit; its failure is raised here."""
        task, self._in_flight = self._in_flight, None
        if task is not None:
            await task
