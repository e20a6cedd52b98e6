"""Locale-aware amounts and dates for report e-mails (Babel)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency

from app.domain.shared.money import Money

LOCALES = ("pt-BR", "es-MX", "en-US")


def _babel(locale: str) -> str:
    return (locale if locale in LOCALES else "en-US").replace("-", "_")


class BabelFormatter:
    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else "en-US"

    def money(self, amount: Money) -> str:
        text = format_currency(amount.amount, amount.currency, locale=_babel(self.locale))
        return text.replace("\xa0", " ").replace("\u202f", " ")

    def day(self, value: date) -> str:
        return format_date(value, format="medium", locale=_babel(self.locale))
