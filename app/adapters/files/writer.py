"""CSV exports that a spreadsheet opens as data.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is read by Excel
and LibreOffice as a formula (CSV injection, OWASP). Such cells get a leading
apostrophe, which spreadsheets show as text; plain numbers such as ``-12.50`` are left
alone so amounts stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_TRIGGERS) and not _NUMBER.match(text):
        return "'" + text
    return text


def write_csv(
    out: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write a header and rows (streamed); returns the number of data rows.

    ``bom`` adds a UTF-8 byte order mark so Excel on Windows reads accents right.
    """
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count
