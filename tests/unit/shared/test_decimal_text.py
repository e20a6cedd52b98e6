"""The list pages format money from minor units by integer arithmetic: it must say
exactly what ``Money`` says (the API contract), for every currency exponent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.api.schemas import decimal_text
from app.domain.shared.money import Money

# BigInteger minor units; BRL/USD have 2 places, JPY 0, BHD 3.
minor = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@given(minor, st.sampled_from(["BRL", "USD", "MXN", "JPY", "CLP", "BHD", "KWD"]))
def test_decimal_text_equals_money(value: int, currency: str) -> None:
    assert decimal_text(value, currency) == str(Money.from_minor(value, currency).amount)


def test_decimal_text_examples() -> None:
    assert decimal_text(0, "BRL") == "0.00"
    assert decimal_text(-5, "BRL") == "-0.05"
    assert decimal_text(123456, "BRL") == "1234.56"
    assert decimal_text(-1001, "BHD") == "-1.001"
    assert decimal_text(1500, "JPY") == "1500"
