"""``Money.rounded``'s fast path (a known currency, a finite amount) gives what the
validating constructor gives: the same amount to the exponent, or the same error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.domain.shared.money import Money, exponent

currencies = st.sampled_from(["BRL", "JPY", "KWD", "USD", "EUR", "brl", "BR", "XYZ"])
values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=5, min_value=-(10**9), max_value=10**9),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**30), max_value=10**30),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("-0.001")]),
)


def _outcome(build: Callable[[], Money]) -> tuple[str, str]:
    try:
        m = build()
    except (ArithmeticError, ValueError) as exc:
        return ("error", type(exc).__name__)
    return ("ok", f"{m.amount}|{m.currency}")


def _validated(value: Decimal, currency: str) -> Money:
    quantum = Decimal(1).scaleb(-exponent(currency))
    return Money(value.quantize(quantum, rounding=ROUND_HALF_UP), currency)


@given(values, currencies)
def test_rounded_is_the_validated_rounding(value: Decimal, currency: str) -> None:
    assert _outcome(lambda: Money.rounded(value, currency)) == _outcome(lambda: _validated(value, currency))
    # Once the currency has been validated (the fast path's condition), still the same.
    assert _outcome(lambda: Money.rounded(value, currency)) == _outcome(lambda: _validated(value, currency))
