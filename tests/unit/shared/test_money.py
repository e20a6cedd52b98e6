"""Money: exact, currency-safe, explicit rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.shared.money import Money, MoneyError, total

cents = st.integers(min_value=-(10**13), max_value=10**13)


def test_construction_is_exact_and_refuses_floats_and_extra_decimals() -> None:
    assert Money.of("1234.56", "BRL").minor == 123456
    assert str(Money.of("0.1", "BRL") + Money.of("0.2", "BRL")) == "0.30 BRL"
    with pytest.raises(MoneyError):
        Money.of(0.1, "BRL")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money.of("1.005", "BRL")
    with pytest.raises(MoneyError):
        Money.of("abc", "BRL")
    with pytest.raises(MoneyError):
        Money.of("1", "brl")
    assert Money.of("5", "JPY").minor == 5
    with pytest.raises(MoneyError):
        Money.of("5.5", "JPY")


def test_currencies_never_mix() -> None:
    with pytest.raises(MoneyError):
        _ = Money.of("1", "BRL") + Money.of("1", "USD")
    with pytest.raises(MoneyError):
        _ = Money.of("1", "BRL") < Money.of("1", "MXN")


def test_rounding_is_named_and_half_up() -> None:
    assert Money.rounded(Decimal("2.345"), "BRL").amount == Decimal("2.35")
    assert Money.rounded(Decimal("-2.345"), "BRL").amount == Decimal("-2.35")
    assert Money.of("100.00", "BRL").times(Decimal("0.02")).amount == Decimal("2.00")
    assert Money.of("33.33", "BRL").times(Decimal("0.015")).amount == Decimal("0.50")


@given(cents, st.sampled_from(["BRL", "USD", "MXN", "JPY", "KWD"]))
def test_minor_units_round_trip(minor: int, currency: str) -> None:
    m = Money.from_minor(minor, currency)
    assert m.minor == minor
    assert Money.of(str(m.amount), currency) == m


@given(cents, st.integers(min_value=1, max_value=60))
def test_split_adds_up_exactly_and_differs_by_at_most_one_cent(minor: int, parts: int) -> None:
    m = Money.from_minor(minor, "BRL")
    pieces = m.split(parts)
    assert len(pieces) == parts
    assert total(pieces, "BRL") == m
    values = [p.minor for p in pieces]
    assert max(values) - min(values) <= 1


@given(cents, cents, cents)
def test_addition_is_associative_and_subtraction_inverts(a: int, b: int, c: int) -> None:
    x, y, z = (Money.from_minor(v, "BRL") for v in (a, b, c))
    assert (x + y) + z == x + (y + z)
    assert (x + y) - y == x
    assert (-x) + x == Money.zero("BRL")
