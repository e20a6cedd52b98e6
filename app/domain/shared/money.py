"""Money: an exact amount in one currency.

Amounts are ``Decimal`` in the domain, integer minor units in the database and
decimal strings in JSON. Rounding is always explicit (``quantize``) and uses the
banker-neutral ROUND_HALF_UP that Brazilian banks and FEBRABAN layouts use.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor-unit exponents for the currencies we bill in; default 2.
_EXPONENTS: dict[str, int] = {"JPY": 0, "CLP": 0, "KRW": 0, "BHD": 3, "KWD": 3}


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def _check_currency(currency: str) -> str:
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise MoneyError(f"invalid currency code {currency!r}")
    return currency


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        _check_currency(self.currency)
        if not isinstance(self.amount, Decimal):
            raise MoneyError("Money needs a Decimal amount, never a float")
        if not self.amount.is_finite():
            raise MoneyError("amount must be finite")
        quantum = Decimal(1).scaleb(-exponent(self.currency))
        if self.amount != self.amount.quantize(quantum):
            raise MoneyError(
                f"{self.amount} has more decimals than {self.currency} allows; round it explicitly"
            )
        object.__setattr__(self, "amount", self.amount.quantize(quantum))

    # --- construction -------------------------------------------------
    @classmethod
    def of(cls, value: str | int | Decimal, currency: str) -> Money:
        """Exact construction from a decimal string, int or Decimal (never float)."""
        if isinstance(value, float):
            raise MoneyError("floats are not accepted for money")
        try:
            return cls(Decimal(value), currency)
        except InvalidOperation as exc:
            raise MoneyError(f"not a decimal amount: {value!r}") from exc

    @classmethod
    def rounded(cls, value: Decimal, currency: str) -> Money:
        """Round half-up to the currency's minor unit (the one named rounding rule)."""
        quantum = Decimal(1).scaleb(-exponent(currency))
        return cls(value.quantize(quantum, rounding=ROUND_HALF_UP), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-exponent(currency)), currency)

    # --- conversion ---------------------------------------------------
    @property
    def minor(self) -> int:
        return int(self.amount.scaleb(exponent(self.currency)))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def to_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    # --- arithmetic ---------------------------------------------------
    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def times(self, factor: Decimal) -> Money:
        """Multiply and round half-up to the minor unit (e.g. a fine of 2 %)."""
        return Money.rounded(self.amount * factor, self.currency)

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_positive(self) -> bool:
        return self.amount > 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def min(self, other: Money) -> Money:
        return self if self <= other else other

    def max(self, other: Money) -> Money:
        return self if self >= other else other

    def split(self, parts: int) -> list[Money]:
        """Split into ``parts`` amounts that add up exactly; the remainder cents go first."""
        if parts <= 0:
            raise MoneyError("parts must be positive")
        total = self.minor
        base, rest = divmod(abs(total), parts)
        sign = -1 if total < 0 else 1
        return [Money.from_minor(sign * (base + (1 if i < rest else 0)), self.currency) for i in range(parts)]


def total(items: list[Money], currency: str) -> Money:
    acc = Money.zero(currency)
    for m in items:
        acc = acc + m
    return acc
