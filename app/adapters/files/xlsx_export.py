"""XLSX exports written row by row (openpyxl write-only mode spools to a temporary
file, so memory stays flat however many rows), then streamed out in chunks.

Text cells go through ``safe_cell`` like the CSV writer: openpyxl stores a string that
starts with ``=`` as a formula, which is exactly the injection to avoid. Numbers and
Decimals are written as numbers so the sheet pivots and sums.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

from app.adapters.files.writer import safe_cell

CHUNK = 64 * 1024


class XlsxWriter:
    def __init__(self, title: str, header: Sequence[str]) -> None:
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=title[:31])
        self._sheet.append([safe_cell(h) for h in header])

    def append(self, row: Sequence[object]) -> None:
        self._sheet.append([self._cell(v) for v in row])

    @staticmethod
    def _cell(value: object) -> object:
        if value is None or (
            isinstance(value, (int, Decimal, date, datetime)) and not isinstance(value, bool)
        ):
            return value
        return safe_cell(value)

    def chunks(self) -> Iterator[bytes]:
        """Save and yield the file's bytes; the temporary file is removed afterwards."""
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            self._book.save(path)
            with open(path, "rb") as fh:
                while block := fh.read(CHUNK):
                    yield block
        finally:
            os.unlink(path)
