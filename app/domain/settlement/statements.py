"""Bank statements as the matching engine sees them, whatever file format they came in.

A statement is an account's movements over a period between an opening and a closing
balance. Every format (camt.053/054, OFX, MT940, BAI2, CSV) is parsed into the same
``ParsedStatement`` so cash application never looks at a file layout.

Amounts are signed from the account holder's point of view: a credit (money in) is
positive, a debit (money out) negative. Parsing problems never raise: they are kept as
``StatementError`` rows next to the lines that did parse, so one bad row does not hide
the rest of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from app.domain.shared.money import Money


class StatementFormat(StrEnum):
    CAMT053 = "camt.053"
    CAMT054 = "camt.054"
    OFX = "ofx"
    MT940 = "mt940"
    BAI2 = "bai2"
    CSV = "csv"


class Direction(StrEnum):
    CREDIT = "credit"
    DEBIT = "debit"

    @classmethod
    def of(cls, amount: Money) -> Direction:
        return cls.DEBIT if amount.is_negative() else cls.CREDIT


class EntryStatus(StrEnum):
    """Booked entries move the balance; pending ones are announced but may still change."""

    BOOKED = "booked"
    PENDING = "pending"


class StatementError(NamedTuple):
    """A problem found while reading; ``line_no`` is None when it concerns the whole file."""

    line_no: int | None
    message: str


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One movement on the account.

    ``bank_reference`` is the bank's own id for the movement (camt AcctSvcrRef, OFX FITID,
    MT940 and BAI2 bank reference); ``customer_reference`` the reference the account
    holder's side gave (OFX CHECKNUM/REFNUM, MT940 :61: customer reference, BAI2 customer
    reference); ``end_to_end_id`` the PIX or SEPA end-to-end id. The ``payer_*`` fields
    describe the counterparty: who paid on a credit, who was paid on a debit. ``raw`` is
    the source text of the record, shown in the correction queue.
    """

    line_no: int
    booking_date: date | None
    value_date: date | None
    amount: Money
    direction: Direction
    bank_reference: str | None = None
    end_to_end_id: str | None = None
    remittance_info: str | None = None
    payer_name: str | None = None
    payer_tax_id: str | None = None
    payer_account: str | None = None
    transaction_code: str | None = None
    raw: str = ""
    status: EntryStatus = EntryStatus.BOOKED
    customer_reference: str | None = None

    def __post_init__(self) -> None:
        # A sign that disagrees with the direction would silently flip a receipt into a
        # payment in cash application: refuse it at construction.
        if self.amount.is_positive() and self.direction is Direction.DEBIT:
            raise ValueError(f"line {self.line_no}: a debit cannot have a positive amount")
        if self.amount.is_negative() and self.direction is Direction.CREDIT:
            raise ValueError(f"line {self.line_no}: a credit cannot have a negative amount")

    @property
    def is_credit(self) -> bool:
        return self.direction is Direction.CREDIT


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    format: StatementFormat
    account: str | None
    currency: str
    statement_id: str | None = None
    opening_balance: Money | None = None
    closing_balance: Money | None = None
    period_start: date | None = None
    period_end: date | None = None
    lines: tuple[StatementLine, ...] = ()
    pending: tuple[StatementLine, ...] = ()
    errors: tuple[StatementError, ...] = field(default=())

    @property
    def movement(self) -> Money:
        """Sum of the booked lines (credits minus debits)."""
        acc = Money.zero(self.currency)
        for line in self.lines:
            acc = acc + line.amount
        return acc

    @property
    def balances_reconcile(self) -> bool | None:
        """opening + booked lines == closing; None when the file carries no balances."""
        if self.opening_balance is None or self.closing_balance is None:
            return None
        return self.opening_balance + self.movement == self.closing_balance

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_credits(self) -> Money:
        return _sum(self.currency, (ln.amount for ln in self.lines if ln.is_credit))

    @property
    def total_debits(self) -> Money:
        """Sum of debits, as a negative amount."""
        return _sum(self.currency, (ln.amount for ln in self.lines if not ln.is_credit))

    def with_errors(self, extra: Iterable[StatementError]) -> ParsedStatement:
        return replace(self, errors=(*self.errors, *extra))


def _sum(currency: str, amounts: Iterable[Money]) -> Money:
    acc = Money.zero(currency)
    for amount in amounts:
        acc = acc + amount
    return acc


def build_statement(
    *,
    format: StatementFormat,
    account: str | None,
    currency: str,
    lines: Sequence[StatementLine],
    errors: Sequence[StatementError] = (),
    statement_id: str | None = None,
    opening_balance: Money | None = None,
    closing_balance: Money | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    pending: Sequence[StatementLine] = (),
) -> ParsedStatement:
    """Assemble a statement and add the balance check to its errors when it fails.

    Lines in another currency than the statement's are moved to the errors: summing them
    would be meaningless, and guessing a rate is not the parser's job.
    """
    found = list(errors)
    kept: list[StatementLine] = []
    for line in lines:
        if line.amount.currency != currency:
            found.append(
                StatementError(
                    line.line_no,
                    f"amount in {line.amount.currency} on a {currency} statement; line skipped",
                )
            )
        else:
            kept.append(line)
    statement = ParsedStatement(
        format=format,
        account=account,
        currency=currency,
        statement_id=statement_id,
        opening_balance=opening_balance,
        closing_balance=closing_balance,
        period_start=period_start,
        period_end=period_end,
        lines=tuple(kept),
        pending=tuple(pending),
        errors=tuple(found),
    )
    if statement.balances_reconcile is False:
        assert opening_balance is not None and closing_balance is not None
        found.append(
            StatementError(
                None,
                f"balances do not reconcile: opening {opening_balance.amount} + lines "
                f"{statement.movement.amount} = {(opening_balance + statement.movement).amount}, "
                f"closing is {closing_balance.amount}",
            )
        )
        statement = replace(statement, errors=tuple(found))
    return statement


def merge_statements(parts: Sequence[ParsedStatement]) -> ParsedStatement:
    """Chain consecutive statements of one account (MT940 pages, daily camt) into one.

    Opening comes from the first part and closing from the last; a gap between one part's
    closing and the next part's opening is reported, since it means a missing page.
    """
    if not parts:
        raise ValueError("nothing to merge")
    if len(parts) == 1:
        return parts[0]
    first, last = parts[0], parts[-1]
    errors: list[StatementError] = []
    lines: list[StatementLine] = []
    pending: list[StatementLine] = []
    for index, part in enumerate(parts):
        errors.extend(e for e in part.errors if not e.message.startswith("balances do not reconcile"))
        lines.extend(part.lines)
        pending.extend(part.pending)
        if index and part.opening_balance is not None:
            previous = parts[index - 1].closing_balance
            if previous is not None and previous != part.opening_balance:
                errors.append(
                    StatementError(
                        None,
                        f"statement {part.statement_id or index + 1} opens at {part.opening_balance.amount}"
                        f" but the previous one closed at {previous.amount}",
                    )
                )
    starts = [p.period_start for p in parts if p.period_start is not None]
    ends = [p.period_end for p in parts if p.period_end is not None]
    return build_statement(
        format=first.format,
        account=first.account,
        currency=first.currency,
        statement_id=first.statement_id,
        opening_balance=first.opening_balance,
        closing_balance=last.closing_balance,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        lines=lines,
        pending=pending,
        errors=errors,
    )
