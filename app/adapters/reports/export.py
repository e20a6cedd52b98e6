"""Report tables as CSV (through ``app.adapters.files.writer``: cells a spreadsheet
would run as formulas are neutralised). XLSX goes through the shared write-only
``app.adapters.files.xlsx_export.XlsxWriter`` (see ``streams.xlsx_chunks``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from app.adapters.files.writer import safe_cell, write_csv
from app.domain.reporting.tables import Cell, Table
from app.domain.shared.notify import Attachment

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value: Cell) -> object:
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") else value


def csv_text(
    rows: Iterable[Sequence[Cell]], header: Sequence[str] | None = None, *, bom: bool = False
) -> str:
    """CSV for a chunk of rows (with the header when given): streamable piece by piece."""
    out = io.StringIO()
    if header is not None:
        write_csv(out, header, (tuple(_csv_value(v) for v in r) for r in rows), bom=bom)
    else:
        # Header already sent: write the rows only, with the same neutralising.
        writer = csv.writer(out, lineterminator="\r\n")
        for r in rows:
            writer.writerow([safe_cell(_csv_value(v)) for v in r])
    return out.getvalue()


def csv_attachment(table: Table) -> Attachment:
    # A byte order mark so Excel on Windows reads the accents of names right.
    text = csv_text(table.rows, table.header, bom=True)
    return Attachment(f"{table.name}.csv", "text/csv", text.encode("utf-8"))
