"""Locale-aware numbers, money and dates for the pages (Babel).

The web speaks BCP 47 tags ("pt-BR"); Babel wants "pt_BR". Only the three locales
the product ships are accepted, anything else falls back to en-US.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency as _format_currency
from babel.numbers import format_decimal as _format_decimal
from babel.numbers import format_percent as _format_percent

from app.domain.shared.money import Money

SUPPORTED_LOCALES = ("pt-BR", "es-MX", "en-US")
DEFAULT_LOCALE = "en-US"


def normalize_locale(tag: str | None) -> str:
    if not tag:
        return DEFAULT_LOCALE
    tag = tag.replace("_", "-")
    for known in SUPPORTED_LOCALES:
        if known.lower() == tag.lower():
            return known
    language = tag.split("-", 1)[0].lower()
    for known in SUPPORTED_LOCALES:
        if known.split("-", 1)[0] == language:
            return known
    return DEFAULT_LOCALE


def _babel(tag: str) -> str:
    return normalize_locale(tag).replace("-", "_")


def _plain_spaces(text: str) -> str:
    # Babel separates symbol and amount with a no-break space; the cell's CSS keeps it
    # on one line, and a plain space is what people copy, paste and search for.
    return text.replace("\xa0", " ").replace("\u202f", " ")


def money(amount: Money | None, locale: str) -> str:
    if amount is None:
        return ""
    return _plain_spaces(_format_currency(amount.amount, amount.currency, locale=_babel(locale)))


def money_minor(minor: int | None, currency: str, locale: str) -> str:
    if minor is None:
        return ""
    return money(Money.from_minor(minor, currency), locale)


def money_text(amount: str | None, currency: str, locale: str) -> str:
    """A decimal string ("1234.56") as money; what is not a number is shown as it came."""
    if amount is None or amount == "":
        return ""
    try:
        return money(Money.of(amount, currency), locale)
    except ValueError:
        return amount


def as_date(value: date | datetime | str | None) -> date | datetime | None:
    """Dates that arrive as ISO text (API shapes, JSON columns) become dates."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return value


def as_datetime(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value


def number(value: int | Decimal | None, locale: str) -> str:
    if value is None:
        return ""
    return _plain_spaces(_format_decimal(value, locale=_babel(locale)))


def percent(share: Decimal, locale: str) -> str:
    """A 0–1 share as a percentage with one decimal: "87,3%" in pt-BR.

    One place keeps a 0.899 score from reading as the 90% threshold it is below."""
    return _plain_spaces(_format_percent(share, format="#,##0.0%", locale=_babel(locale)))


def day(value: date | datetime | None, locale: str, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_date(value, format=style, locale=_babel(locale))


def moment(value: datetime | None, locale: str, tz: str = "UTC") -> str:
    if value is None:
        return ""
    return _plain_spaces(_format_datetime(value, format="short", tzinfo=_tz(tz), locale=_babel(locale)))


def _tz(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def plain_amount(amount: Money, locale: str) -> str:
    """The amount as a form field shows it: local decimal mark, no grouping, all decimals."""
    places = len(str(Money.zero(amount.currency).amount).partition(".")[2])
    pattern = "0." + "0" * places if places else "0"
    return _format_decimal(amount.amount, format=pattern, locale=_babel(locale))
