from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.receivables.aging import AgingBucket, AgingBuckets, AgingItem, aggregate, bucket_for
from app.domain.receivables.model import ReceivablesError
from tests.unit.receivables.helpers import brl

DEFAULT = AgingBuckets.default()


def test_default_buckets_and_sql_bounds() -> None:
    assert DEFAULT.labels == ["current", "1–30", "31–60", "61–90", "91–180", "180+"]
    assert DEFAULT.sql_bounds() == [
        ("current", None, 0),
        ("1–30", 1, 30),
        ("31–60", 31, 60),
        ("61–90", 61, 90),
        ("91–180", 91, 180),
        ("180+", 181, None),
    ]


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (-400, "current"),
        (0, "current"),
        (1, "1–30"),
        (30, "1–30"),
        (31, "31–60"),
        (90, "61–90"),
        (91, "91–180"),
        (180, "91–180"),
        (181, "180+"),
        (10_000, "180+"),
    ],
)
def test_bucket_edges(days: int, label: str) -> None:
    assert bucket_for(days, DEFAULT).label == label


@given(st.integers(-100_000, 100_000))
def test_every_day_count_falls_in_exactly_one_bucket(days: int) -> None:
    assert sum(b.holds(days) for b in DEFAULT.buckets) == 1


def test_custom_buckets_and_validation() -> None:
    custom = AgingBuckets.from_upper_bounds([0, 15, 45], ["not due", "early", "mid", "late"])
    assert custom.bucket_for(16).label == "mid"
    with pytest.raises(ReceivablesError):  # gap between 10 and 12
        AgingBuckets((AgingBucket("a", None, 10), AgingBucket("b", 12, None)))
    with pytest.raises(ReceivablesError):
        AgingBuckets((AgingBucket("a", 0, 10), AgingBucket("b", 11, None)))  # not open below
    with pytest.raises(ReceivablesError):
        AgingBuckets.from_upper_bounds([30, 10])


def test_in_memory_aggregation() -> None:
    as_of = date(2025, 6, 30)
    items = [
        AgingItem(as_of, brl("100.00")),  # current
        AgingItem(as_of + timedelta(days=10), brl("50.00")),  # current
        AgingItem(as_of - timedelta(days=1), brl("10.00")),  # 1–30
        AgingItem(as_of - timedelta(days=45), brl("20.00")),  # 31–60
        AgingItem(as_of - timedelta(days=200), brl("5.55")),  # 180+
        AgingItem(as_of - timedelta(days=200), brl("0")),  # settled: skipped
    ]
    report = aggregate(items, as_of, DEFAULT, "BRL")
    assert report.row("current").amount == brl("150.00") and report.row("current").count == 2
    assert report.row("1–30").amount == brl("10.00")
    assert report.row("31–60").amount == brl("20.00")
    assert report.row("61–90").count == 0
    assert report.row("180+").count == 1
    assert report.total == brl("185.55")
