"""Whole-report exports read page by page (bounded memory), for the API and the web.

Each ``*_pages`` generator opens its own unit of work and yields table rows one
keyset page at a time; ``csv_chunks`` and ``xlsx_chunks`` turn those pages into a file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import date

from app.adapters.db.queries_reports import ReportQueries
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.xlsx_export import XlsxWriter
from app.adapters.reports.export import csv_text
from app.domain.reporting.rules import Window
from app.domain.reporting.tables import Cell, installment_rows, receipt_rows

EXPORT_PAGE = 500
Rows = list[tuple[Cell, ...]]
UowFactory = Callable[[], SqlUnitOfWork]


async def inactive_pages(factory: UowFactory, window: Window, status: str | None) -> AsyncIterator[Rows]:
    async with factory() as uow:
        q = ReportQueries(uow.session, uow.tenant)
        after = None
        while True:
            page = await q.inactive_customers(window, EXPORT_PAGE, after, status)
            yield list(installment_rows(page.items))
            if page.next_key is None:
                return
            after = page.next_key


async def overdue_pages(factory: UowFactory, as_of: date, rep: str | None) -> AsyncIterator[Rows]:
    async with factory() as uow:
        q = ReportQueries(uow.session, uow.tenant)
        after = None
        while True:
            page = await q.overdue_by_rep(as_of, EXPORT_PAGE, after, rep)
            yield list(installment_rows(page.items))
            if page.next_key is None:
                return
            after = page.next_key


async def cash_pages(factory: UowFactory, day: date, source: str | None) -> AsyncIterator[Rows]:
    async with factory() as uow:
        q = ReportQueries(uow.session, uow.tenant)
        offset = 0
        while True:
            receipts, more = await q.receipts(day, EXPORT_PAGE, offset, source)
            yield list(receipt_rows(receipts))
            offset += len(receipts)
            if not more:
                return


async def csv_chunks(header: Sequence[str], pages: AsyncIterator[Rows]) -> AsyncIterator[str]:
    yield csv_text([], header, bom=True)
    async for rows in pages:
        if rows:
            yield csv_text(rows)


async def xlsx_chunks(header: Sequence[str], pages: AsyncIterator[Rows], title: str) -> Iterator[bytes]:
    """Write every page into a write-only workbook, then hand back its bytes in chunks."""
    sheet = XlsxWriter(title, header)
    async for rows in pages:
        for row in rows:
            sheet.append(row)
    return sheet.chunks()
