"""Aging: open amounts grouped by how many days past due they are, as of a date.

The buckets are a value object the database layer turns into a ``CASE`` / ``GROUP BY``
(``AgingBuckets.sql_bounds()``), because for large tenants the sums must be computed in
SQL, never by loading rows into Python. ``aggregate`` does the same grouping for small
in-memory sets; tests use it to cross-check the SQL.

``days_late = (as_of - due_date).days``: zero or less is ``current`` (not yet due, or
due today).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Protocol

from app.domain.receivables.model import ReceivablesError
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class AgingBucket:
    """Days-late range ``[min_days, max_days]``, both inclusive; None is unbounded."""

    label: str
    min_days: int | None
    max_days: int | None

    def __post_init__(self) -> None:
        if self.min_days is not None and self.max_days is not None and self.min_days > self.max_days:
            raise ReceivablesError(f"bucket {self.label}: min_days is above max_days")

    def holds(self, days_late: int) -> bool:
        return (self.min_days is None or days_late >= self.min_days) and (
            self.max_days is None or days_late <= self.max_days
        )


@dataclass(frozen=True, slots=True)
class AgingBuckets:
    """Ordered buckets covering every integer exactly once (checked on construction)."""

    buckets: tuple[AgingBucket, ...]

    def __post_init__(self) -> None:
        b = self.buckets
        if not b:
            raise ReceivablesError("aging needs at least one bucket")
        if b[0].min_days is not None or b[-1].max_days is not None:
            raise ReceivablesError("the first bucket must be open below and the last open above")
        if len({x.label for x in b}) != len(b):
            raise ReceivablesError("bucket labels must be unique")
        for left, right in pairwise(b):
            if left.max_days is None or right.min_days is None or right.min_days != left.max_days + 1:
                raise ReceivablesError(f"buckets {left.label} and {right.label} must be contiguous")

    @classmethod
    def from_upper_bounds(cls, bounds: Sequence[int], labels: Sequence[str] | None = None) -> AgingBuckets:
        """``[0, 30, 60, 90, 180]`` → current, 1–30, 31–60, 61–90, 91–180, 180+."""
        if list(bounds) != sorted(set(bounds)):
            raise ReceivablesError("bucket bounds must be strictly increasing")
        names = list(labels) if labels is not None else _default_labels(bounds)
        if len(names) != len(bounds) + 1:
            raise ReceivablesError("one label per bucket: len(bounds) + 1")
        items: list[AgingBucket] = []
        low: int | None = None
        for name, high in zip(names, [*bounds, None], strict=True):
            items.append(AgingBucket(name, low, high))
            low = None if high is None else high + 1
        return cls(tuple(items))

    @classmethod
    def default(cls) -> AgingBuckets:
        return cls.from_upper_bounds([0, 30, 60, 90, 180])

    @property
    def labels(self) -> list[str]:
        return [x.label for x in self.buckets]

    def sql_bounds(self) -> list[tuple[str, int | None, int | None]]:
        """``(label, min_days, max_days)`` in order, inclusive, None unbounded — for
        ``CASE WHEN days_late <= max THEN label …`` or a join with a VALUES list."""
        return [(x.label, x.min_days, x.max_days) for x in self.buckets]

    def bucket_for(self, days_late: int) -> AgingBucket:
        return bucket_for(days_late, self)


def _default_labels(bounds: Sequence[int]) -> list[str]:
    names: list[str] = []
    low: int | None = None
    for high in bounds:
        if low is None:
            names.append("current" if high == 0 else f"≤{high}")
        else:
            names.append(f"{low}–{high}")
        low = high + 1
    names.append(f"{bounds[-1]}+" if bounds else "all")
    return names


def bucket_for(days_late: int, buckets: AgingBuckets) -> AgingBucket:
    # Buckets are few (usually 6): a linear scan beats a bisect's setup cost.
    for b in buckets.buckets:
        if b.holds(days_late):
            return b
    raise ReceivablesError(f"no bucket holds {days_late}")  # impossible: construction checks coverage


@dataclass(frozen=True, slots=True)
class AgingItem:
    due_date: date
    open_amount: Money


@dataclass(frozen=True, slots=True)
class AgingRow:
    label: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class AgingReport:
    as_of: date
    rows: tuple[AgingRow, ...]

    @property
    def total(self) -> Money:
        acc = Money.zero(self.rows[0].amount.currency)
        for r in self.rows:
            acc = acc + r.amount
        return acc

    def row(self, label: str) -> AgingRow:
        for r in self.rows:
            if r.label == label:
                return r
        raise KeyError(label)


def aggregate(items: Iterable[AgingItem], as_of: date, buckets: AgingBuckets, currency: str) -> AgingReport:
    """In-memory aging of a small set (items with nothing open are skipped)."""
    counts = {b.label: 0 for b in buckets.buckets}
    sums = {b.label: Money.zero(currency) for b in buckets.buckets}
    for item in items:
        if item.open_amount.is_zero():
            continue
        label = bucket_for((as_of - item.due_date).days, buckets).label
        counts[label] += 1
        sums[label] = sums[label] + item.open_amount
    return AgingReport(
        as_of, tuple(AgingRow(b.label, counts[b.label], sums[b.label]) for b in buckets.buckets)
    )


class AgingCell(Protocol):
    """One (group, currency, bucket) sum as the aging query returns it."""

    key: str | None
    label: str | None
    currency: str
    bucket: str
    count: int
    open_minor: int


@dataclass(slots=True)
class AgingGridRow:
    """A group's line of the aging grid: per bucket, the open amount (minor units) and
    the installment count; ``key`` None is a currency's totals line."""

    key: str | None
    label: str | None
    currency: str
    cells: dict[str, int]
    counts: dict[str, int]
    total: int = 0
    count: int = 0

    def add(self, bucket: str, open_minor: int, count: int) -> None:
        self.cells[bucket] += open_minor
        self.counts[bucket] += count
        self.total += open_minor
        self.count += count


def aging_grid(
    cells: Iterable[AgingCell], labels: Sequence[str]
) -> tuple[list[AgingGridRow], list[AgingGridRow]]:
    """Cells into one row per (group, currency), largest total first within a currency,
    and one totals row per currency. Integer sums: the totals add up exactly."""
    rows: dict[tuple[str | None, str], AgingGridRow] = {}
    totals: dict[str, AgingGridRow] = {}
    for c in cells:
        row = rows.get((c.key, c.currency))
        if row is None:
            row = rows[(c.key, c.currency)] = _grid_row(c.key, c.label, c.currency, labels)
        row.add(c.bucket, c.open_minor, c.count)
        total = totals.get(c.currency)
        if total is None:
            total = totals[c.currency] = _grid_row(None, "total", c.currency, labels)
        total.add(c.bucket, c.open_minor, c.count)
    ordered = sorted(rows.values(), key=lambda r: (r.currency, -r.total))
    return ordered, [totals[cur] for cur in sorted(totals)]


def _grid_row(key: str | None, label: str | None, currency: str, labels: Sequence[str]) -> AgingGridRow:
    return AgingGridRow(key, label, currency, dict.fromkeys(labels, 0), dict.fromkeys(labels, 0))
