"""The value field (positions 10–19): ten digits of centavos, BRL only."""

from __future__ import annotations

from app.adapters.banks.boleto.errors import BoletoError
from app.domain.shared.money import Money

MAX_MINOR = 99_999_999_99  # R$ 99.999.999,99: what ten digits of centavos hold


def require_brl(amount: Money) -> Money:
    if amount.currency != "BRL":
        raise BoletoError(f"boletos and PIX charges are in BRL only, got an amount in {amount.currency}")
    return amount


def amount_field(amount: Money) -> str:
    """Ten digits of centavos; zero means "amount filled in at payment"."""
    require_brl(amount)
    if amount.is_negative():
        raise BoletoError(f"a boleto amount cannot be negative ({amount})")
    if amount.minor > MAX_MINOR:
        raise BoletoError(f"{amount} exceeds the largest boleto amount, R$ 99.999.999,99")
    return f"{amount.minor:010d}"


def amount_from_field(field: str) -> Money:
    return Money.from_minor(int(field), "BRL")
