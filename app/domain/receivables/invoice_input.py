"""Rules for a valid invoice record as it arrives from a partner or the ERP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app.domain.shared.errors import FieldError
from app.domain.shared.money import Money, MoneyError

MAX_AMOUNT = Decimal("999999999999.99")


class InvoiceStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CANCELLED = "cancelled"
    WRITTEN_OFF = "written_off"


# Status a user may set directly; the others follow from payments and write-offs.
SETTABLE_STATUSES = frozenset({InvoiceStatus.CANCELLED})


def parse_amount(raw: object, currency: str, field: str, errors: list[FieldError]) -> Money | None:
    if isinstance(raw, (bool, float)):
        errors.append(FieldError(field, 'must be a decimal string such as "1234.56"'))
        return None
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        errors.append(FieldError(field, 'must be a decimal number such as "1234.56"'))
        return None
    if not amount.is_finite():
        errors.append(FieldError(field, "must be a finite number"))
        return None
    if amount <= 0:
        errors.append(FieldError(field, "must be greater than zero"))
        return None
    if amount > MAX_AMOUNT:
        errors.append(FieldError(field, "is too large"))
        return None
    try:
        return Money.of(amount, currency)
    except MoneyError:
        errors.append(FieldError(field, f"has more decimal places than {currency} allows"))
        return None


def parse_date(raw: object, field: str, errors: list[FieldError]) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.append(FieldError(field, "must be a date as YYYY-MM-DD"))
        return None


def check_dates(issue: date | None, due: date | None, errors: list[FieldError]) -> None:
    if issue and due and due < issue:
        errors.append(FieldError("due_date", "must be on or after the issue date"))


def check_currency(raw: object, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or len(raw) != 3 or not raw.isalpha():
        errors.append(FieldError("currency", "must be an ISO 4217 code such as BRL"))
        return None
    return raw.upper()


def check_number(raw: object, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or not raw.strip():
        errors.append(FieldError("number", "is required"))
        return None
    if len(raw.strip()) > 60:
        errors.append(FieldError("number", "must be at most 60 characters"))
        return None
    return raw.strip()
