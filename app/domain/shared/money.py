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

# Results of arithmetic on valid Money are built without re-validation only while
# they stay below 10**15 major units: then they have at most 18 digits, so under the
# default decimal context (28 digits, which the domain never changes) a sum,
# difference or negation of two amounts with the currency's exponent is exact and
# keeps that exponent. Anything larger goes through the validating constructor,
# which raises exactly as before if precision was lost.
_FAST_ADJUSTED = 15  # Decimal.adjusted() bound: |amount| < 10**15
_FAST_MINOR = 10**15  # from_minor: |minor| below this has at most 15 digits

_ZERO = Decimal(0)


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def _check_currency(currency: str) -> str:
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise MoneyError(f"invalid currency code {currency!r}")
    return currency


# Currencies already validated once → their quantum (``Decimal(1).scaleb(-exponent)``).
# Bounded: only valid ISO-shaped codes (three upper-case letters) ever get in.
_QUANTA: dict[str, Decimal] = {}
# Money.zero per validated currency: Money is immutable, so one instance serves all.
_ZEROS: dict[str, Money] = {}


def _quantum(currency: str) -> Decimal:
    """The currency's minor unit as a Decimal (no validation: callers validate)."""
    q = _QUANTA.get(currency)
    return Decimal(1).scaleb(-exponent(currency)) if q is None else q


def _valid_quantum(currency: str) -> Decimal:
    """Validate ``currency`` (once per code) and return its quantum."""
    if type(currency) is str:
        q = _QUANTA.get(currency)
        if q is not None:
            return q
    _check_currency(currency)
    q = Decimal(1).scaleb(-exponent(currency))
    if type(currency) is str:
        _QUANTA[currency] = q
    return q


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        quantum = _valid_quantum(self.currency)
        amount = self.amount
        if not isinstance(amount, Decimal):
            raise MoneyError("Money needs a Decimal amount, never a float")
        if not amount.is_finite():
            raise MoneyError("amount must be finite")
        quantized = amount.quantize(quantum)
        if amount != quantized:
            raise MoneyError(f"{amount} has more decimals than {self.currency} allows; round it explicitly")
        object.__setattr__(self, "amount", quantized)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """A Money whose amount is known valid for ``currency`` (already quantized to
        its exponent, finite, currency validated): the result of arithmetic on valid
        Money. Skips ``__post_init__``; never call it with outside input."""
        if amount.adjusted() >= _FAST_ADJUSTED:
            return Money(amount, currency)  # large: let the validating path decide
        m = _new(Money)
        _set_amount(m, amount)
        _set_currency(m, currency)
        return m

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
        amount = value.quantize(_quantum(currency), rounding=ROUND_HALF_UP)
        if cls is Money and currency in _QUANTA and amount.is_finite():
            # A validated currency and a finite amount quantized to it: what the
            # validating constructor would accept unchanged (late charges round twice
            # per payment).
            return Money._trusted(amount, currency)
        return cls(amount, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        if cls is Money and type(currency) is str:
            z = _ZEROS.get(currency)
            if z is None:
                z = _ZEROS[currency] = Money(Decimal(0), currency)  # validates the code
            return z
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        if cls is Money and type(minor) is int and -_FAST_MINOR < minor < _FAST_MINOR:
            # An integer count of minor units scaled by the exponent is exactly
            # quantized and finite: only the currency needs checking.
            _valid_quantum(currency)
            m = _new(Money)
            _set_amount(m, Decimal(minor).scaleb(-exponent(currency)))
            _set_currency(m, currency)
            return m
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
    # Results of +, - and negation of valid Money of one currency are valid by
    # construction (same exponent, finite): built with ``_trusted``.
    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise MoneyError(f"currency mismatch: {self.currency} vs {other.currency}")

    # ``_trusted``, inlined: these three are most of the arithmetic a settlement does.
    def __add__(self, other: Money) -> Money:
        currency = self.currency
        if not isinstance(other, Money) or other.currency != currency:
            self._same(other)
        amount = self.amount + other.amount
        if amount.adjusted() >= _FAST_ADJUSTED:
            return Money(amount, currency)
        m = _new(Money)
        _set_amount(m, amount)
        _set_currency(m, currency)
        return m

    def __sub__(self, other: Money) -> Money:
        currency = self.currency
        if not isinstance(other, Money) or other.currency != currency:
            self._same(other)
        amount = self.amount - other.amount
        if amount.adjusted() >= _FAST_ADJUSTED:
            return Money(amount, currency)
        m = _new(Money)
        _set_amount(m, amount)
        _set_currency(m, currency)
        return m

    def __neg__(self) -> Money:
        amount = -self.amount
        if amount.adjusted() >= _FAST_ADJUSTED:
            return Money(amount, self.currency)
        m = _new(Money)
        _set_amount(m, amount)
        _set_currency(m, self.currency)
        return m

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money) or other.currency != self.currency:
            self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money) or other.currency != self.currency:
            self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money) or other.currency != self.currency:
            self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money) or other.currency != self.currency:
            self._same(other)
        return self.amount >= other.amount

    def times(self, factor: Decimal) -> Money:
        """Multiply and round half-up to the minor unit (e.g. a fine of 2 %)."""
        return Money.rounded(self.amount * factor, self.currency)

    def is_zero(self) -> bool:
        return self.amount == _ZERO

    def is_positive(self) -> bool:
        return self.amount > _ZERO

    def is_negative(self) -> bool:
        return self.amount < _ZERO

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


# The fast constructor's parts: a bare instance and the slots' own setters (the
# frozen dataclass's __setattr__ refuses assignment; the slot descriptors do not).
_new = object.__new__
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def total(items: list[Money], currency: str) -> Money:
    acc = Money.zero(currency)
    for m in items:
        acc = acc + m
    return acc
