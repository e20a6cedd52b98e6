"""The dates a report may be asked for.

A report's day is shifted by a few days (the day before, a horizon ahead): Python's
dates end at years 1 and 9999, so a far-off ``as_of`` overflowed mid-answer (a CSV
export cut off after its header). Outside these bounds the request is refused with
a field error instead."""

from __future__ import annotations

from datetime import date

from app.domain.shared.errors import FieldError, ValidationFailed

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def report_day(value: date | None, field: str = "as_of") -> date | None:
    """``value`` if it is a day a report can be made for (None stays None)."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationFailed([FieldError(field, f"must be between {EARLIEST} and {LATEST}")])
    return value
