"""Due-date factor (fator de vencimento), positions 6–9 of the barcode.

The factor counts days from the base date 1997-10-07.  It has only four digits,
so on 2025-02-22 (the day after factor 9999) it returned to 1000 and counts up
again: the factor repeats every 9,000 days.  Reading a factor therefore needs a
reference date (normally today) to pick the cycle; we take the date of that
factor closest to the reference, which is right for any boleto issued or paid
within about 12 years of it.  Factor 0000 means the boleto has no due date.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.adapters.banks.boleto.errors import BoletoError

BASE_DATE = date(1997, 10, 7)
FIRST_FACTOR = 1000
LAST_FACTOR = 9999
CYCLE_DAYS = LAST_FACTOR - FIRST_FACTOR + 1  # 9000
# 2000-07-03: the first date whose factor is 1000; earlier factors (1..999) are
# from 1997–2000 and cannot appear on a boleto issued now.
FIRST_REPRESENTABLE = BASE_DATE + timedelta(days=FIRST_FACTOR)
NO_DUE_DATE = "0000"


def due_date_factor(due_date: date | None) -> str:
    """The 4-digit factor of ``due_date`` (``"0000"`` when there is none)."""
    if due_date is None:
        return NO_DUE_DATE
    days = (due_date - BASE_DATE).days
    if days < FIRST_FACTOR:
        raise BoletoError(f"due date {due_date.isoformat()} is before {FIRST_REPRESENTABLE.isoformat()}")
    return f"{FIRST_FACTOR + (days - FIRST_FACTOR) % CYCLE_DAYS:04d}"


def due_date_from_factor(factor: str | int, reference: date) -> date | None:
    """The due date a factor stands for, in the cycle closest to ``reference``."""
    value = int(factor)
    if value == 0:
        return None
    if not FIRST_FACTOR <= value <= LAST_FACTOR:
        raise BoletoError(f"due-date factor {value:04d} is not in use (valid: 0000 or 1000–9999)")
    offset = value - FIRST_FACTOR
    ref_days = (reference - BASE_DATE).days - FIRST_FACTOR
    # Cycle index whose date is nearest the reference (never before the first cycle).
    cycle = max(0, (ref_days - offset + CYCLE_DAYS // 2) // CYCLE_DAYS)
    return BASE_DATE + timedelta(days=FIRST_FACTOR + offset + cycle * CYCLE_DAYS)
