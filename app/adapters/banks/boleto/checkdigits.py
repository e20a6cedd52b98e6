"""Check-digit arithmetic shared by FEBRABAN and the banks' own rules.

Every rule in Brazilian cobrança is one of two families: "módulo 10" (weights
2,1 from the right, products' digits summed) or "módulo 11" (a cycle of weights
from the right, remainder of the sum by 11).  Banks differ only in the weights
and in how the remainder becomes a digit, so those two pieces are parameters and
each bank module states its own mapping next to the rule it implements.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.adapters.banks.boleto.errors import BoletoError

WEIGHTS_2_TO_9: tuple[int, ...] = (2, 3, 4, 5, 6, 7, 8, 9)


def require_digits(value: str, what: str, length: int | None = None) -> str:
    if not value.isascii() or not value.isdigit():
        raise BoletoError(f"{what} must contain only digits, got {value!r}")
    if length is not None and len(value) != length:
        raise BoletoError(f"{what} must have {length} digits, got {len(value)}")
    return value


def mod10(digits: str) -> int:
    """Módulo 10 (FEBRABAN): weights 2,1,2,1… from the right, sum the digits of each product."""
    total = 0
    weight = 2
    for ch in reversed(digits):
        product = (ord(ch) - 48) * weight
        total += product // 10 + product % 10
        weight = 3 - weight
    return (10 - total % 10) % 10


def weighted_sum(digits: str, weights: Sequence[int] = WEIGHTS_2_TO_9) -> int:
    """Sum of digits times weights, the weights cycling from the rightmost digit."""
    n = len(weights)
    return sum((ord(ch) - 48) * weights[i % n] for i, ch in enumerate(reversed(digits)))


def mod11_remainder(digits: str, weights: Sequence[int] = WEIGHTS_2_TO_9) -> int:
    return weighted_sum(digits, weights) % 11


def mod11_complement(digits: str, weights: Sequence[int] = WEIGHTS_2_TO_9) -> int:
    """``11 - (sum % 11)``: a value in 1..11 that each rule maps to one digit."""
    return 11 - mod11_remainder(digits, weights)


def barcode_dv(digits43: str) -> int:
    """General check digit of the 44-digit barcode (position 5).

    Módulo 11 with weights 2..9; a result of 0, 10 or 11 becomes 1 so the
    barcode never carries a 0 in that position.
    """
    result = mod11_complement(digits43)
    return 1 if result in (0, 10, 11) else result


def mod11_zero_above_nine(digits: str, weights: Sequence[int] = WEIGHTS_2_TO_9) -> int:
    """The common bank variant: ``11 - (sum % 11)``, and 10 or 11 become 0."""
    result = mod11_complement(digits, weights)
    return 0 if result > 9 else result
