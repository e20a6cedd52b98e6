"""Which rows belong to each report, how they are grouped, and who receives them.

The database adapter translates these bounds into indexed ``WHERE`` clauses; the
rules stay here so the pages, the API, the files and the e-mails all agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.reporting.model import CustomerBlock, InstallmentLine, RepBlock

# Customers the sales team must hear about even though nobody sells to them now.
INACTIVE_STATUSES: tuple[str, ...] = ("inactive", "suspended", "blocked")
DEFAULT_HORIZON_DAYS = 30
MAX_HORIZON_DAYS = 366
NO_REP = ""  # the group key of customers with no sales rep


@dataclass(frozen=True, slots=True)
class Window:
    """Open installments due before ``as_of`` are overdue; those due from ``as_of``
    through ``as_of + horizon_days`` are upcoming. Anything later is out."""

    as_of: date
    horizon_days: int = DEFAULT_HORIZON_DAYS

    def __post_init__(self) -> None:
        if not 0 <= self.horizon_days <= MAX_HORIZON_DAYS:
            raise ValueError(f"horizon_days must be between 0 and {MAX_HORIZON_DAYS}")

    @property
    def upcoming_until(self) -> date:
        """Inclusive last due date of the upcoming part."""
        return self.as_of + timedelta(days=self.horizon_days)

    def includes(self, due: date) -> bool:
        return due <= self.upcoming_until


def days_late(due: date, as_of: date) -> int:
    """Days past due on ``as_of``: an installment due today is not late (0)."""
    return (as_of - due).days


def is_overdue(due: date, as_of: date) -> bool:
    return days_late(due, as_of) > 0


def cash_receipts_day(as_of: date) -> date:
    """The daily cash-receipts report sent on ``as_of`` covers the day before."""
    return as_of - timedelta(days=1)


def rep_key(raw: str | None) -> str:
    """The rep as grouped: trimmed; empty means no rep."""
    return (raw or "").strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching a rep name to a user."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


@dataclass(frozen=True, slots=True)
class Person:
    """A user who may receive reports."""

    email: str
    name: str
    roles: frozenset[str]


def rep_recipients(
    reps: Iterable[str], mapping: Mapping[str, str], people: Sequence[Person]
) -> dict[str, str | None]:
    """Each rep's e-mail address, or None when nobody can be told.

    Order of precedence: the tenant's explicit mapping (rep name → address); then an
    active user whose e-mail is the rep text; then the one active user whose name
    matches (ignoring case and accents). Two users with the same name match nobody:
    a report must not go to the wrong person.
    """
    folded_map = {fold(k): v.strip() for k, v in mapping.items() if v and v.strip()}
    by_email = {p.email.casefold(): p.email for p in people}
    by_name: dict[str, list[str]] = {}
    for p in people:
        by_name.setdefault(fold(p.name), []).append(p.email)
    out: dict[str, str | None] = {}
    for rep in reps:
        key = fold(rep)
        if not key:
            continue
        if key in folded_map:
            out[rep] = folded_map[key]
        elif rep.strip().casefold() in by_email:
            out[rep] = by_email[rep.strip().casefold()]
        elif len(by_name.get(key, [])) == 1:
            out[rep] = by_name[key][0]
        else:
            out[rep] = None
    return out


def finance_recipients(configured: Sequence[str], people: Sequence[Person]) -> list[str]:
    """The tenant's configured list if any; otherwise every active finance user."""
    chosen = [a.strip() for a in configured if a.strip()] or [p.email for p in people if "finance" in p.roles]
    seen: dict[str, str] = {}
    for address in chosen:
        seen.setdefault(address.casefold(), address)
    return sorted(seen.values(), key=str.casefold)


def by_recipient(recipients: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Reps per address: one message per person even if several rep names map to them."""
    out: dict[str, list[str]] = {}
    for rep, address in sorted(recipients.items()):
        if address:
            out.setdefault(address.casefold(), []).append(rep)
    return out


def group_by_rep(customers: Iterable[CustomerBlock]) -> list[RepBlock]:
    """Customers (already ordered) grouped under their rep, the rep order kept."""
    groups: dict[str, list[CustomerBlock]] = {}
    for c in customers:
        groups.setdefault(rep_key(c.sales_rep), []).append(c)
    return [RepBlock(rep or None, tuple(blocks)) for rep, blocks in groups.items()]


def overdue_only(lines: Iterable[InstallmentLine]) -> tuple[InstallmentLine, ...]:
    return tuple(line for line in lines if line.is_overdue)
