"""File imports, the parts every kind of import shares: modes, the result model, header
matching in three languages, duplicate detection inside one file, and the reading of
Brazilian numbers and dates into the canonical text the API rules accept.

The rules for a valid record are not here: each context's import module passes the
normalised row to the same validation the API uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

# Rejected rows are all counted, but only this many are kept with their reason: a file
# of 100,000 broken rows must not turn the job row into a 20 MB document.
MAX_KEPT_ERRORS = 5_000


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ROWS = "valid_rows"


class ImportKind(StrEnum):
    CUSTOMERS = "customers"
    INVOICES = "invoices"


class ImportStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    REJECTED = "rejected"  # all-or-nothing with at least one bad row: nothing written
    FAILED = "failed"  # the file could not be read, or the process failed mid-way


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ImportTally:
    """Running totals of one import; the job row mirrors it."""

    total_rows: int = 0
    created: int = 0
    rejected_lines: set[int] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejected_lines)

    def reject(self, errors: Iterable[RowError]) -> None:
        for e in errors:
            self.rejected_lines.add(e.line)
            if len(self.errors) < MAX_KEPT_ERRORS:
                self.errors.append(e)

    def outcome(self, mode: ImportMode) -> ImportStatus:
        if mode is ImportMode.ALL_OR_NOTHING and self.rejected_lines:
            return ImportStatus.REJECTED
        return ImportStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row of a file: its line (1-based, as a spreadsheet shows it) and cells
    keyed by canonical field name. Cell values are text or None (never evaluated)."""

    line: int
    values: Mapping[str, str | None]


class FileDuplicates:
    """Remembers the first line that used a key, so a second use names it."""

    def __init__(self) -> None:
        # One dict per field, not one keyed by (field, value): a tuple per row was a
        # sixth of what a 100k-row import held in memory.
        self._seen: dict[str, dict[str, int]] = {}

    def check(self, field_name: str, value: str | None, line: int) -> RowError | None:
        if not value:
            return None
        seen = self._seen.get(field_name)
        if seen is None:
            seen = self._seen[field_name] = {}
        first = seen.get(value)
        if first is not None and first != line:  # the same line seen again is a retry
            return RowError(line, field_name, f"duplicate of line {first} in this file")
        seen[value] = line
        return None


def fold_header(text: str) -> str:
    """Fold a header for matching: "Número NF" → "numero_nf" (no case, accents or spaces)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


@dataclass(frozen=True, slots=True)
class HeaderMap:
    columns: dict[int, str]  # column index → canonical field
    errors: list[RowError]


def match_headers(
    header: list[str | None],
    aliases: Mapping[str, tuple[str, ...]],
    required: Iterable[str],
    line: int = 1,
) -> HeaderMap:
    """Map a file's header row to canonical fields; unknown columns are ignored."""
    lookup = {fold_header(alias): name for name, names in aliases.items() for alias in (name, *names)}
    columns: dict[int, str] = {}
    errors: list[RowError] = []
    used: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = lookup.get(fold_header(raw or ""))
        if name is None:
            continue
        if name in used:
            errors.append(
                RowError(line, name, f"column appears twice (columns {used[name] + 1} and {index + 1})")
            )
            continue
        used[name] = index
        columns[index] = name
    for name in required:
        if name not in used:
            accepted = ", ".join((name, *aliases.get(name, ())))
            errors.append(RowError(line, name, f"column is missing (accepted names: {accepted})"))
    return HeaderMap(columns, errors)


_BR_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


def normalize_date(text: str) -> str:
    """dd/mm/yyyy (also with - or .) and ISO datetimes become yyyy-mm-dd; anything else
    is returned unchanged for the domain rule to judge (and reject with its message)."""
    value = text.strip()
    m = _BR_DATE.match(value)
    if m:
        day, month, year = m.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    m = _ISO_DATETIME.match(value)
    if m:
        return m.group(1)
    return value


_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3}){2,}$")
_CURRENCY_SIGNS = re.compile(r"^(R\$|US\$|\$|MX\$|BRL|USD|MXN)\s*", re.IGNORECASE)


def normalize_decimal(text: str) -> str:
    """Read amounts as people type them: "1.234,56", "1234,56", "R$ 1.234,56",
    "1,234.56", "1234.56". The separator that comes last is the decimal one.

    Ambiguous forms are never guessed into another value: "1.234" stays 1.234 and
    the currency rule rejects its third decimal place.
    """
    value = _CURRENCY_SIGNS.sub("", text.strip()).replace(" ", "").replace("\u00a0", "")
    if "," in value and "." in value:
        if value.rfind(",") > value.rfind("."):
            return value.replace(".", "").replace(",", ".")
        return value.replace(",", "")
    if "," in value:
        if value.count(",") > 1:
            return value  # "1,234,567": en thousands with no decimals; rejected below
        return value.replace(",", ".")
    if _THOUSANDS_DOT.match(value):
        return value.replace(".", "")
    return value


def cell_text(values: Mapping[str, str | None], name: str) -> str | None:
    raw = values.get(name)
    if raw is None:
        return None
    stripped = raw.strip()
    return stripped or None


class BulkUnitOfWork(Protocol):
    """What a batch use case needs besides repositories: audit and events in bulk, in
    the same transaction as the rows (the batch form of ``audit`` and ``record``)."""

    async def audit_many(self, action: str, entity: str, items: list[tuple[str, dict[str, Any]]]) -> None: ...

    async def record_many(self, event_type: str, payloads: list[dict[str, Any]]) -> None: ...
