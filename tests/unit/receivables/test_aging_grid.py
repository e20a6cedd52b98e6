"""The aging grid both the page and the API show: rows per group and currency, largest
first, totals per currency that add up to the cells exactly."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from app.domain.receivables.aging import aging_grid

LABELS = ["current", "1–30", "31–60"]


@dataclass
class Cell:
    key: str | None
    label: str | None
    currency: str
    bucket: str
    count: int
    open_minor: int


def test_rows_by_group_and_currency_largest_first_with_totals() -> None:
    cells = [
        Cell("a", "Alfa", "BRL", "current", 1, 100),
        Cell("b", "Beta", "BRL", "1–30", 2, 900),
        Cell("a", "Alfa", "BRL", "31–60", 1, 50),
        Cell("a", "Alfa", "USD", "current", 1, 7),
    ]
    rows, totals = aging_grid(cells, LABELS)
    assert [(r.key, r.currency, r.total) for r in rows] == [
        ("b", "BRL", 900),
        ("a", "BRL", 150),
        ("a", "USD", 7),
    ]
    alfa = rows[1]
    assert alfa.cells == {"current": 100, "1–30": 0, "31–60": 50} and alfa.count == 2
    assert [(t.key, t.label, t.currency, t.total, t.count) for t in totals] == [
        (None, "total", "BRL", 1050, 4),
        (None, "total", "USD", 7, 1),
    ]
    assert totals[0].counts == {"current": 1, "1–30": 2, "31–60": 1}


cell = st.builds(
    Cell,
    key=st.sampled_from(["a", "b", "c", None]),
    label=st.just("x"),
    currency=st.sampled_from(["BRL", "USD"]),
    bucket=st.sampled_from(LABELS),
    count=st.integers(0, 50),
    open_minor=st.integers(0, 10**12),
)


@given(st.lists(cell, max_size=40))
def test_totals_are_the_sum_of_the_rows(cells: list[Cell]) -> None:
    rows, totals = aging_grid(cells, LABELS)
    for t in totals:
        mine = [r for r in rows if r.currency == t.currency]
        for b in LABELS:
            assert t.cells[b] == sum(r.cells[b] for r in mine)
            assert t.counts[b] == sum(r.counts[b] for r in mine)
        assert (
            t.total
            == sum(r.total for r in mine)
            == sum(c.open_minor for c in cells if c.currency == t.currency)
        )
    assert all(r.total == sum(r.cells.values()) for r in rows)
