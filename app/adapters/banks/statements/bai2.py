"""BAI2 (Cash Management Balance Reporting Specification, version 2) reader.

Record types: 01 file header, 02 group header, 03 account identifier and summary,
16 transaction detail, 88 continuation, 49 account trailer, 98 group trailer, 99 file
trailer. Amounts are integers in the currency's minor unit; detail direction comes from
the type code (100–399 credits, 400–699 debits). Each account (03…49) becomes one
statement. Trailer control totals and record counts are checked and every mismatch is
reported with the trailer's line number.

A 16 record's text is its last field and may contain commas, so it is taken as the rest
of the record; text carried on 88 continuations is joined with a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app.adapters.banks.statements._common import ParseProblem, clean, decode_text, make_line
from app.domain.settlement.statements import (
    ParsedStatement,
    StatementError,
    StatementFormat,
    StatementLine,
    build_statement,
)
from app.domain.shared.money import Money, MoneyError

OPENING_LEDGER = "010"
CLOSING_LEDGER = "015"
_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(slots=True)
class _Record:
    line_no: int
    kind: str
    text: str  # the logical record: continuations joined, final "/" removed
    breaks: tuple[int, ...] = ()  # offsets in ``text`` where an 88 continuation was joined
    physical: int = 1
    raw: str = ""


@dataclass(slots=True)
class _Account:
    line_no: int
    number: str
    currency: str
    as_of: date | None
    statement_id: str | None
    opening: Money | None = None
    closing: Money | None = None
    lines: list[StatementLine] = field(default_factory=list)
    errors: list[StatementError] = field(default_factory=list)
    control: int = 0
    records: int = 0


def _strip_slash(text: str) -> str:
    text = text.rstrip()
    return text[:-1] if text.endswith("/") else text


def _records(text: str) -> tuple[list[_Record], list[StatementError]]:
    """Physical lines → logical records (88 continuations appended to the previous one)."""
    records: list[_Record] = []
    errors: list[StatementError] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind = line[:2]
        body = _strip_slash(line)
        if kind == "88":
            if not records:
                errors.append(StatementError(line_no, "continuation (88) with nothing to continue"))
                continue
            prev = records[-1]
            joined = f"{prev.text},"
            prev.breaks = (*prev.breaks, len(joined) - 1)
            prev.text = joined + body[3:]
            prev.physical += 1
            prev.raw += "\n" + line
            continue
        if kind not in ("01", "02", "03", "16", "49", "98", "99"):
            errors.append(StatementError(line_no, f"unknown BAI2 record type {kind!r}"))
            continue
        records.append(_Record(line_no, kind, body, raw=line))
    return records, errors


def _int(text: str, what: str) -> int:
    value = text.strip()
    if not _NUMBER.match(value):
        raise ParseProblem(f"{what} is not a whole number: {text!r}")
    return int(value)


def _date(text: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%y%m%d").date()
    except ValueError as exc:
        raise ParseProblem(f"not a YYMMDD date: {text!r}") from exc


def direction_of(type_code: str) -> int | None:
    """+1 for a credit type code, -1 for a debit one, None for anything else."""
    if not type_code.isdigit() or len(type_code) != 3:
        return None
    code = int(type_code)
    if 100 <= code <= 399:
        return 1
    if 400 <= code <= 699:
        return -1
    return None


def _funds_fields(kind: str, fields: list[str], at: int) -> int:
    """How many fields the funds type adds after itself (V: date+time, S: 3, D: 1+2n)."""
    kind = kind.strip().upper()
    if kind == "S":
        return 3
    if kind == "V":
        return 2
    if kind == "D":
        if at >= len(fields):
            raise ParseProblem("funds type D without a distribution count")
        return 1 + 2 * _int(fields[at], "distribution count")
    if kind in ("", "0", "1", "2", "Z"):
        return 0
    raise ParseProblem(f"unknown funds type {kind!r}")


def _summary(record: _Record, account: _Account) -> None:
    fields = record.text.split(",")
    at = 4  # after: 03, account, currency — type code groups follow
    while at < len(fields):
        code = fields[at - 1].strip()
        amount_text = fields[at].strip() if at < len(fields) else ""
        # Status codes (001-099) carry an amount only; summary codes also an item count.
        funds = fields[at + 2] if at + 2 < len(fields) else ""
        extra = _funds_fields(funds, fields, at + 3)
        if amount_text:
            minor = _int(amount_text, f"amount of type code {code}")
            account.control += minor
            money = Money.from_minor(minor, account.currency)
            if code == OPENING_LEDGER:
                account.opening = money
            elif code == CLOSING_LEDGER:
                account.closing = money
        at += 4 + extra


def _detail(record: _Record, account: _Account) -> StatementLine | None:
    text = record.text
    fields = text.split(",")
    if len(fields) < 4:
        raise ParseProblem("detail record (16) needs type code, amount and funds type")
    code = fields[1].strip()
    amount_text = fields[2].strip()
    funds = fields[3].strip().upper()
    extra = _funds_fields(funds, fields, 4)
    value_date: date | None = None
    if funds == "V" and len(fields) > 4:
        value_date = _date(fields[4])
    ref_at = 4 + extra
    bank_ref = fields[ref_at] if ref_at < len(fields) else ""
    customer_ref = fields[ref_at + 1] if ref_at + 1 < len(fields) else ""
    # The text is everything after the customer reference, commas included.
    offset = sum(len(f) + 1 for f in fields[: ref_at + 2])
    remainder = text[offset:] if offset <= len(text) else ""
    free_text = remainder
    for at in record.breaks:  # continuation joins inside the text read as spaces
        if at >= offset:
            free_text = f"{free_text[: at - offset]} {free_text[at - offset + 1 :]}"
    if not amount_text:
        if code == "890":  # information-only detail, no money moves
            return None
        raise ParseProblem(f"detail {code} without an amount")
    sign = direction_of(code)
    if sign is None:
        raise ParseProblem(f"type code {code!r} is neither a credit (100-399) nor a debit (400-699)")
    minor = _int(amount_text, "amount")
    if minor < 0:
        raise ParseProblem("detail amounts are unsigned; the type code gives the direction")
    account.control += minor
    return make_line(
        line_no=record.line_no,
        amount=Money.from_minor(sign * minor, account.currency),
        booking_date=account.as_of,
        value_date=value_date or account.as_of,
        bank_reference=clean(bank_ref),
        customer_reference=clean(customer_ref),
        remittance_info=clean(free_text),
        transaction_code=code,
        raw=record.raw,
    )


def _check(errors: list[StatementError], line_no: int, what: str, stated: str, actual: int) -> None:
    try:
        value = _int(stated, what)
    except ParseProblem as exc:
        errors.append(StatementError(line_no, str(exc)))
        return
    if value != actual:
        errors.append(StatementError(line_no, f"{what} is {value} but the records add up to {actual}"))


@dataclass(slots=True)
class _Reader:
    default_currency: str
    errors: list[StatementError] = field(default_factory=list)
    accounts: list[_Account] = field(default_factory=list)
    account: _Account | None = None
    group_currency: str | None = None
    group_date: date | None = None
    group_id: str | None = None
    group_control: int = 0
    group_records: int = 0
    group_accounts: int = 0
    file_control: int = 0
    file_records: int = 0
    groups: int = 0
    seen_header: bool = False
    seen_trailer: bool = False

    def feed(self, rec: _Record) -> None:
        self.file_records += rec.physical
        self.group_records += rec.physical
        if self.account is not None:
            self.account.records += rec.physical
        fields = rec.text.split(",")
        handler = getattr(self, f"_r{rec.kind}")
        handler(rec, fields)

    def _r01(self, rec: _Record, fields: list[str]) -> None:
        if self.seen_header:
            self.errors.append(StatementError(rec.line_no, "second file header (01)"))
        self.seen_header = True
        if len(fields) > 8 and fields[8].strip() not in ("", "2"):
            self.errors.append(StatementError(rec.line_no, f"BAI version {fields[8]} is not 2"))

    def _r02(self, rec: _Record, fields: list[str]) -> None:
        self.group_records, self.group_control, self.group_accounts = rec.physical, 0, 0
        self.groups += 1
        self.group_currency = fields[6].strip() if len(fields) > 6 and fields[6].strip() else None
        self.group_id = (
            f"{fields[2].strip() if len(fields) > 2 else ''}-{fields[4] if len(fields) > 4 else ''}"
        )
        self.group_date = _date(fields[4]) if len(fields) > 4 else None

    def _r03(self, rec: _Record, fields: list[str]) -> None:
        if self.account is not None:
            self.errors.append(
                StatementError(rec.line_no, "account (03) opened before the last one closed (49)")
            )
            self._close(None)
        currency = (
            (fields[2].strip() if len(fields) > 2 else "") or self.group_currency or self.default_currency
        )
        self.account = _Account(
            rec.line_no,
            fields[1].strip() if len(fields) > 1 else "",
            currency,
            self.group_date,
            self.group_id,
            records=rec.physical,
        )
        self.group_accounts += 1
        _summary(rec, self.account)

    def _r16(self, rec: _Record, fields: list[str]) -> None:
        if self.account is None:
            self.errors.append(StatementError(rec.line_no, "detail (16) outside an account"))
            return
        line = _detail(rec, self.account)
        if line is not None:
            self.account.lines.append(line)

    def _r49(self, rec: _Record, fields: list[str]) -> None:
        if self.account is None:
            self.errors.append(StatementError(rec.line_no, "account trailer (49) without an account"))
            return
        acct = self.account
        _check(acct.errors, rec.line_no, "account control total", _at(fields, 1), acct.control)
        _check(acct.errors, rec.line_no, "account record count", _at(fields, 2), acct.records)
        self._close(acct)

    def _close(self, acct: _Account | None) -> None:
        acct = acct or self.account
        if acct is not None:
            self.group_control += acct.control
            self.accounts.append(acct)
        self.account = None

    def _r98(self, rec: _Record, fields: list[str]) -> None:
        if self.account is not None:
            self.errors.append(StatementError(rec.line_no, "group trailer (98) with an account still open"))
            self._close(None)
        _check(self.errors, rec.line_no, "group control total", _at(fields, 1), self.group_control)
        _check(self.errors, rec.line_no, "group account count", _at(fields, 2), self.group_accounts)
        _check(self.errors, rec.line_no, "group record count", _at(fields, 3), self.group_records)
        self.file_control += self.group_control

    def _r99(self, rec: _Record, fields: list[str]) -> None:
        self.seen_trailer = True
        _check(self.errors, rec.line_no, "file control total", _at(fields, 1), self.file_control)
        _check(self.errors, rec.line_no, "file group count", _at(fields, 2), self.groups)
        _check(self.errors, rec.line_no, "file record count", _at(fields, 3), self.file_records)


def _at(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def parse_bai2(data: bytes, *, default_currency: str = "USD") -> list[ParsedStatement]:
    """One statement per account in the file; file-level problems go to every statement."""
    records, record_errors = _records(decode_text(data))
    reader = _Reader(default_currency, errors=list(record_errors))
    for rec in records:
        try:
            reader.feed(rec)
        except (ParseProblem, MoneyError) as exc:
            target = reader.account.errors if reader.account is not None else reader.errors
            target.append(StatementError(rec.line_no, str(exc)))
    if not reader.seen_header:
        reader.errors.append(StatementError(1, "missing file header (01)"))
    if not reader.seen_trailer:
        reader.errors.append(StatementError(None, "missing file trailer (99): file truncated?"))
    if reader.account is not None:
        reader.errors.append(StatementError(None, f"account {reader.account.number} has no trailer (49)"))
        reader._close(None)
    if not reader.accounts:
        return [
            build_statement(
                format=StatementFormat.BAI2,
                account=None,
                currency=default_currency,
                lines=[],
                errors=reader.errors or [StatementError(None, "no account in file")],
            )
        ]
    return [
        build_statement(
            format=StatementFormat.BAI2,
            account=acct.number,
            currency=acct.currency,
            statement_id=acct.statement_id,
            opening_balance=acct.opening,
            closing_balance=acct.closing,
            period_start=acct.as_of,
            period_end=acct.as_of,
            lines=acct.lines,
            errors=[*acct.errors, *reader.errors],
        )
        for acct in reader.accounts
    ]
