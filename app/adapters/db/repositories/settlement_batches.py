"""A return file's records applied batch by batch: each batch looked up and decided
(pure decisions, then the settlements through the port), then stored and committed,
with two batches in flight on PostgreSQL (``BatchPipeline``). Driven by
``settlement_runner._process_return``."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

from app.adapters.db.base import utcnow
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_bulk import YIELD_EVERY, DecidedSettlements
from app.adapters.db.repositories.settlement_lease import FileLease
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.service_ports import RecordedPayment
from app.domain.settlement.bank_files import ReturnRecord
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
    nosso_numero_key,
    record_fields,
    record_key,
)
from app.domain.shared.errors import Conflict
from app.domain.shared.ids import new_id

UowFactory = Callable[[], SqlUnitOfWork]
PortFactory = Callable[[SqlUnitOfWork], SettlementPort]


@dataclass(slots=True)
class ReturnContext:
    lease: FileLease  # each batch's commit renews it, and stops if it was taken over
    bank_code: str
    agreement: str
    account_known: bool
    received_on: date
    counters: FileCounters
    bulk: bool = True  # apply settlements a batch at a time when the port can

    @property
    def file_id(self) -> uuid.UUID:
        return self.lease.file_id


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
    ctx: ReturnContext,
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


async def _store_batch(batch: _DecidedBatch, lease: FileLease) -> None:
    """Advance the file's progress and renew its lease, write what ``_decide_batch``
    decided, commit; ``LeaseLost`` (nothing written) if another processor took over.

    The lease first: a processor that lost it must not insert records or payments the
    new owner is inserting too, and on PostgreSQL the row lock it takes makes a
    takeover wait for this commit (and then find the lease renewed)."""
    files = SqlBankFileRepository(batch.uow.session, batch.uow.tenant)
    await lease.extend(files, processed_through=batch.through, **batch.counters)
    if batch.settlements is not None:
        assert isinstance(batch.port, BulkSettlementPort)
        await batch.port.store_decided(batch.settlements)
    await files.add_records(batch.rows)
    await batch.uow.commit()


_collector_holds = 0


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
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


class BatchPipeline:
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

    def __init__(self, factory: UowFactory, ports: PortFactory, ctx: ReturnContext) -> None:
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
            with collector_paused():
                batch = await _decide_batch(uow, self._ports, self._ctx, records, self._carried, self.drain)
            await self.drain()
        except BaseException as exc:
            await uow.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        self._carried = batch.settlements.recorded if batch.settlements is not None else {}
        self._in_flight = asyncio.create_task(self._store(batch))

    async def _store(self, batch: _DecidedBatch) -> None:
        try:
            await _store_batch(batch, self._ctx.lease)
        except BaseException as exc:
            await batch.uow.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        await batch.uow.__aexit__(None, None, None)

    async def drain(self) -> None:
        """Wait for the batch in flight to commit; its failure is raised here."""
        task, self._in_flight = self._in_flight, None
        if task is not None:
            await task
