"""Run one file import: read the file in batches, check every row with the domain's
import use cases, and write according to the mode.

- ``all_or_nothing``: one transaction for the whole file; the first bad row stops the
  writing (the rest is still checked so every error is reported) and the transaction
  is rolled back. The job row's final state commits with the data, atomically.
- ``valid_rows``: one transaction per batch, the job's progress updated in it, so the
  job row always says exactly which rows are committed.

A crash leaves either nothing (all-or-nothing) or whole batches (valid rows).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import text

from app.adapters.db.repositories.import_jobs import SqlImportJobRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.tables import TableReader, UnreadableFile, UnsupportedFile, open_table
from app.domain.customers import imports as customer_imports
from app.domain.receivables import imports as invoice_imports
from app.domain.shared.errors import Conflict
from app.domain.shared.imports import (
    FileDuplicates,
    HeaderMap,
    ImportKind,
    ImportMode,
    ImportStatus,
    ImportTally,
    RowError,
    SourceRow,
    match_headers,
)

log = logging.getLogger("cobalto.imports")
BATCH_ROWS = 1_000
UowFactory = Callable[[], SqlUnitOfWork]


@dataclass(frozen=True)
class ImportSpec:
    kind: ImportKind
    mode: ImportMode
    default_currency: str = "BRL"


def estimate_rows(path: Path) -> int:
    """For the progress bar before the real count is known: line breaks (CSV) or the
    sheet's declared size (XLSX)."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(b"PK"):
            try:
                with open_table(path) as table:
                    ws = table._closer.workbook.worksheets[0]
                    return max(int(ws.max_row or 1) - table.header_line, 0)
            except (UnreadableFile, UnsupportedFile, AttributeError, TypeError):
                return 0
        fh.seek(0)
        lines = 0
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


async def create_job(
    uow_factory: UowFactory, spec: ImportSpec, filename: str, estimated_rows: int
) -> uuid.UUID:
    async with uow_factory() as uow:
        jobs = SqlImportJobRepository(uow.session, uow.tenant)
        job_id = await jobs.create(
            kind=spec.kind.value,
            filename=filename,
            mode=spec.mode.value,
            actor=uow.actor,
            estimated_rows=estimated_rows,
        )
        await uow.commit()
    return job_id


def _columns(kind: ImportKind) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    if kind is ImportKind.CUSTOMERS:
        return customer_imports.CUSTOMER_COLUMNS, customer_imports.REQUIRED_COLUMNS
    return invoice_imports.INVOICE_COLUMNS, invoice_imports.REQUIRED_COLUMNS


def _batches(table: TableReader, headers: HeaderMap) -> Iterator[list[SourceRow]]:
    columns = list(headers.columns.items())

    def mapped() -> Iterator[SourceRow]:
        for line, cells in table.rows:
            n = len(cells)
            yield SourceRow(line, {name: cells[i] if i < n else None for i, name in columns})

    rows = mapped()
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


async def _check_batch(
    uow: SqlUnitOfWork, spec: ImportSpec, rows: list[SourceRow], seen: FileDuplicates, *, write: bool
) -> tuple[int, list[RowError]]:
    if spec.kind is ImportKind.CUSTOMERS:
        c = await customer_imports.import_customer_rows(uow, rows, seen, write=write)
        return len(c.created), c.errors
    i = await invoice_imports.import_invoice_rows(uow, rows, seen, spec.default_currency, write=write)
    return len(i.created), i.errors


async def run_import(uow_factory: UowFactory, job_id: uuid.UUID, spec: ImportSpec, path: Path) -> ImportTally:
    """Run the import to its end and record the outcome on the job row."""
    tally = ImportTally()
    try:
        table = open_table(path)
    except (UnreadableFile, UnsupportedFile) as exc:
        tally.reject([RowError(0, "file", str(exc))])
        await _finish(uow_factory, job_id, tally, ImportStatus.FAILED)
        return tally
    try:
        with table:
            aliases, required = _columns(spec.kind)
            headers = match_headers(table.header, aliases, required, table.header_line)
            if headers.errors:
                tally.reject(headers.errors)
                await _finish(uow_factory, job_id, tally, ImportStatus.REJECTED)
                return tally
            estimated = estimate_rows(path)
            if spec.mode is ImportMode.ALL_OR_NOTHING:
                await _all_or_nothing(uow_factory, job_id, spec, table, headers, tally, estimated)
            else:
                await _valid_rows(uow_factory, job_id, spec, table, headers, tally, estimated)
        if tally.created >= ANALYZE_AFTER_ROWS:
            await _refresh_statistics(uow_factory, spec.kind)
    except UnreadableFile as exc:
        tally.reject([RowError(0, "file", str(exc))])
        await _finish(uow_factory, job_id, tally, ImportStatus.FAILED)
    except Exception:
        log.exception("import %s failed", job_id)
        tally.reject([RowError(0, "file", "the import failed on our side; nothing more was written")])
        kept = tally.created if spec.mode is ImportMode.VALID_ROWS else 0
        await _finish(uow_factory, job_id, tally, ImportStatus.FAILED, created=kept)
        raise
    return tally


# Imports at least this large have the tables they filled analyzed once committed.
ANALYZE_AFTER_ROWS = 1_000
_FILLED: dict[ImportKind, list[str]] = {
    ImportKind.CUSTOMERS: ["customers"],
    ImportKind.INVOICES: ["invoices", "installments", "ledger_entries"],
}


async def _refresh_statistics(uow_factory: UowFactory, kind: ImportKind) -> None:
    """Fresh planner statistics for what a large import wrote (PostgreSQL; migration
    0012 explains why). A failure here costs speed later, not data: logged only."""
    try:
        async with uow_factory() as uow:
            if uow.session.get_bind().dialect.name != "postgresql":
                return
            await uow.session.execute(
                text("SELECT cobalto_analyze_after_bulk(CAST(:tables AS text[]))"), {"tables": _FILLED[kind]}
            )
            await uow.commit()
    except Exception:
        log.exception("analyzing after the %s import failed", kind.value)


async def _all_or_nothing(
    uow_factory: UowFactory,
    job_id: uuid.UUID,
    spec: ImportSpec,
    table: TableReader,
    headers: HeaderMap,
    tally: ImportTally,
    estimated: int,
) -> None:
    seen = FileDuplicates()
    async with uow_factory() as uow:
        # SQLite has one writer: a progress update from another connection would wait
        # for this transaction. There the job shows "running" until the end.
        report_progress = uow.session.get_bind().dialect.name != "sqlite"
        for rows in _batches(table, headers):
            created, errors = await _check_batch(uow, spec, rows, seen, write=not tally.rejected_lines)
            tally.total_rows += len(rows)
            tally.created += created
            tally.reject(errors)
            if report_progress:
                await _progress(uow_factory, job_id, tally, estimated)
        if tally.rejected_lines:
            await uow.rollback()
            await _finish(uow_factory, job_id, tally, ImportStatus.REJECTED)
            return
        jobs = SqlImportJobRepository(uow.session, uow.tenant)
        await jobs.finish(job_id, tally, ImportStatus.COMPLETED, committed=True)
        try:
            await uow.commit()
        except Conflict as exc:  # a concurrent writer took a number or reference meanwhile
            tally.reject([RowError(0, "file", f"{exc.detail}; nothing was imported, try again")])
            await _finish(uow_factory, job_id, tally, ImportStatus.REJECTED)


async def _valid_rows(
    uow_factory: UowFactory,
    job_id: uuid.UUID,
    spec: ImportSpec,
    table: TableReader,
    headers: HeaderMap,
    tally: ImportTally,
    estimated: int,
) -> None:
    seen = FileDuplicates()
    for rows in _batches(table, headers):
        for attempt in (1, 2):
            # The second attempt re-checks a batch whose commit lost a race: the rows a
            # concurrent writer took are then reported as already existing.
            async with uow_factory() as uow:
                created, errors = await _check_batch(uow, spec, rows, seen, write=True)
                done = ImportTally(tally.total_rows + len(rows), tally.created + created)
                done.rejected_lines = tally.rejected_lines | {e.line for e in errors}
                await SqlImportJobRepository(uow.session, uow.tenant).progress(
                    job_id, done, estimated_rows=estimated
                )
                try:
                    await uow.commit()
                except Conflict:
                    if attempt == 2:
                        raise
                    continue
            tally.total_rows += len(rows)
            tally.created += created
            tally.reject(errors)
            break
    await _finish(uow_factory, job_id, tally, ImportStatus.COMPLETED, created=tally.created)


async def _progress(uow_factory: UowFactory, job_id: uuid.UUID, tally: ImportTally, estimated: int) -> None:
    async with uow_factory() as uow:
        await SqlImportJobRepository(uow.session, uow.tenant).progress(
            job_id, tally, estimated_rows=estimated
        )
        await uow.commit()


async def _finish(
    uow_factory: UowFactory, job_id: uuid.UUID, tally: ImportTally, status: ImportStatus, *, created: int = 0
) -> None:
    tally.created = created
    async with uow_factory() as uow:
        await SqlImportJobRepository(uow.session, uow.tenant).finish(
            job_id, tally, status, committed=created > 0 or status is ImportStatus.COMPLETED
        )
        await uow.commit()
