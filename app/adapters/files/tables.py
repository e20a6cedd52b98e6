"""Read a CSV or XLSX file row by row without loading it whole.

Cells come back as text (or None): numbers and dates from XLSX are turned into the
text a person would type, and a formula is returned as its text, never evaluated.
"""

from __future__ import annotations

import csv
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from app.adapters.files.sniff import (
    UnreadableFile,
    UnsupportedFile,
    detect_delimiter,
    detect_encoding,
    file_kind,
)

# A spreadsheet unpacks to far more than its zip; past this it is treated as a zip bomb.
MAX_XLSX_UNPACKED = 1 << 30
Row = tuple[int, list[str | None]]

csv.field_size_limit(min(sys.maxsize, 1 << 24))


@dataclass
class TableReader:
    """``header`` and an iterator of (line, cells) for the data rows after it."""

    kind: str
    header: list[str | None]
    header_line: int
    rows: Iterator[Row]
    encoding: str | None = None
    delimiter: str | None = None
    _closer: Any = None

    def close(self) -> None:
        if self._closer is not None:
            self._closer.close()
            self._closer = None

    def __enter__(self) -> TableReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_table(path: Path) -> TableReader:
    kind = file_kind(path)
    return _open_xlsx(path) if kind == "xlsx" else _open_csv(path)


def _blank(cells: list[str | None]) -> bool:
    return all(c is None or not c.strip() for c in cells)


def _open_csv(path: Path) -> TableReader:
    encoding = detect_encoding(path)
    fh: IO[str] = path.open(encoding=encoding, newline="")
    try:
        first = fh.readline()
        while first and not first.strip():
            first = fh.readline()
        if not first:
            raise UnreadableFile("the file has no header row")
        delimiter = detect_delimiter(first)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        header: list[str | None] = []
        header_line = 0
        last = 0
        for cells in reader:
            header_line, last = last + 1, reader.line_num
            if not _blank(list(cells)):
                header = list(cells)
                break
    except UnicodeDecodeError as exc:  # pragma: no cover - detect_encoding reads it all first
        fh.close()
        raise UnreadableFile("the file's text encoding could not be read") from exc
    except (csv.Error, UnreadableFile) as exc:
        fh.close()
        raise UnreadableFile(str(exc)) from exc

    def rows() -> Iterator[Row]:
        nonlocal last
        try:
            for cells in reader:
                line, last = last + 1, reader.line_num
                values: list[str | None] = list(cells)
                if not _blank(values):
                    yield line, values
        except csv.Error as exc:
            raise UnreadableFile(f"line {last + 1}: {exc}") from exc

    return TableReader("csv", header, header_line, rows(), encoding, delimiter, fh)


def _xlsx_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores numbers as doubles: the shortest repr is the number the person
        # typed; from here on it is text, turned into Decimal by the domain, never float.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, (date, time, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return str(value)


def _open_xlsx(path: Path) -> TableReader:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            unpacked = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("the XLSX file is damaged") from exc
    if "xl/workbook.xml" not in names:
        raise UnsupportedFile("the file is a zip archive, not an XLSX workbook")
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile("the workbook unpacks to more than 1 GiB")
    import openpyxl

    # A file object, not the path: openpyxl judges a path by its extension, and an
    # upload is stored under a name of our choosing.
    raw = path.open("rb")
    try:
        # read_only streams the sheet; data_only=False keeps a formula as its text.
        wb = openpyxl.load_workbook(raw, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a bad workbook
        raw.close()
        raise UnreadableFile("the XLSX file could not be opened") from exc
    ws = wb.worksheets[0]
    source = ws.iter_rows(values_only=True)
    header: list[str | None] = []
    header_line = 0
    for number, values in enumerate(source, start=1):
        cells = [_xlsx_text(v) for v in values]
        if not _blank(cells):
            header, header_line = cells, number
            break
    if not header:
        wb.close()
        raw.close()
        raise UnreadableFile("the workbook's first sheet has no header row")

    def rows() -> Iterator[Row]:
        for number, values in enumerate(source, start=header_line + 1):
            cells = [_xlsx_text(v) for v in values]
            if not _blank(cells):
                yield number, cells

    return TableReader("xlsx", header, header_line, rows(), None, None, _Both(wb, raw))


class _Both:
    """Closes the workbook and the file under it."""

    def __init__(self, workbook: Any, raw: IO[bytes]) -> None:
        self.workbook, self.raw = workbook, raw

    def close(self) -> None:
        self.workbook.close()
        self.raw.close()


__all__ = ["Row", "TableReader", "UnreadableFile", "UnsupportedFile", "open_table"]
