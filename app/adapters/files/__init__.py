"""Tabular files people bring and take away: CSV and XLSX readers (encoding, BOM and
delimiter detection, streamed) and a CSV writer safe against formula injection."""

from app.adapters.files.tables import (
    TableReader,
    UnreadableFile,
    UnsupportedFile,
    open_table,
)
from app.adapters.files.writer import safe_cell, write_csv

__all__ = ["TableReader", "UnreadableFile", "UnsupportedFile", "open_table", "safe_cell", "write_csv"]
