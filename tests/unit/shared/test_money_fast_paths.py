"""Money's fast paths (arithmetic, ``from_minor``, ``zero``) give exactly what the
validating constructor gives: the same value with the same exponent, or the same error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.shared.money import Money, MoneyError, exponent

# 0, 2 and 3 decimals; amounts around the fast path's bound (10**15) and past the
# decimal context's 28 digits, where the validating path must still decide.
currencies = st.sampled_from(["JPY", "BRL", "USD", "KWD", "BHD", "CLP"])
minors = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**19), max_value=10**19),
    # 28 digits: the largest amounts the context holds; their sums overflow it.
    st.integers(min_value=-(10**28) + 1, max_value=10**28 - 1),
    st.integers(min_value=-(10**31), max_value=10**31),
)


def _outcome(build: Callable[[], Money]) -> tuple[str, str]:
    """What building gives: ("ok", the exact text of the amount) or the error's type."""
    try:
        m = build()
    except (ArithmeticError, ValueError) as exc:
        return ("error", type(exc).__name__)
    # str of the Decimal shows its exponent: 1.0 and 1.00 are equal but not the same Money.
    return ("ok", f"{m.amount}|{m.currency}")


def _validated(minor: int, currency: str) -> Money:
    return Money(Decimal(minor).scaleb(-exponent(currency)), currency)


@given(minors, currencies)
def test_from_minor_is_the_validated_construction(minor: int, currency: str) -> None:
    assert _outcome(lambda: Money.from_minor(minor, currency)) == _outcome(
        lambda: _validated(minor, currency)
    )


@given(minors, minors, currencies)
def test_arithmetic_is_the_validated_construction(a: int, b: int, currency: str) -> None:
    try:
        x, y = _validated(a, currency), _validated(b, currency)
    except (ArithmeticError, ValueError):
        assume(False)
        raise
    assert _outcome(lambda: x + y) == _outcome(lambda: Money(x.amount + y.amount, currency))
    assert _outcome(lambda: x - y) == _outcome(lambda: Money(x.amount - y.amount, currency))
    assert _outcome(lambda: -x) == _outcome(lambda: Money(-x.amount, currency))
    assert _outcome(lambda: x.min(y)) == _outcome(lambda: Money(min(x.amount, y.amount), currency))
    assert _outcome(lambda: x.max(y)) == _outcome(lambda: Money(max(x.amount, y.amount), currency))
    assert (x < y, x <= y, x > y, x >= y, x == y) == (
        x.amount < y.amount,
        x.amount <= y.amount,
        x.amount > y.amount,
        x.amount >= y.amount,
        x.amount == y.amount,
    )
    assert (x.is_zero(), x.is_positive(), x.is_negative()) == (x.amount == 0, x.amount > 0, x.amount < 0)


@given(currencies)
def test_zero_is_the_validated_zero_and_shared(currency: str) -> None:
    z = Money.zero(currency)
    assert _outcome(lambda: z) == _outcome(lambda: Money(Decimal(0), currency))
    assert Money.zero(currency) is z  # immutable: one instance per currency


def test_fast_paths_keep_every_refusal() -> None:
    brl, usd = Money.from_minor(100, "BRL"), Money.from_minor(100, "USD")
    for combine in (
        lambda: brl + usd,
        lambda: brl - usd,
        lambda: brl < usd,
        lambda: brl >= usd,
        lambda: brl.min(usd),
        lambda: brl.max(usd),
    ):
        with pytest.raises(MoneyError, match="currency mismatch: BRL vs USD"):
            combine()
    with pytest.raises(TypeError, match="cannot combine Money with Decimal"):
        _ = brl + Decimal(1)  # type: ignore[operator]
    for bad in ("brl", "BR", "B1L", "BRLX"):
        with pytest.raises(MoneyError, match="invalid currency code"):
            Money.from_minor(1, bad)
        with pytest.raises(MoneyError, match="invalid currency code"):
            Money.zero(bad)
    with pytest.raises(MoneyError, match="never a float"):
        Money(1.5, "BRL")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="floats are not accepted"):
        Money.of(1.5, "BRL")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="more decimals than BRL allows"):
        Money(Decimal("1.005"), "BRL")
    with pytest.raises(MoneyError, match="finite"):
        Money(Decimal("NaN"), "BRL")
    # Multiplication still rounds explicitly, half-up, through the validating path.
    assert str(Money.of("33.33", "BRL").times(Decimal("0.015"))) == "0.50 BRL"
