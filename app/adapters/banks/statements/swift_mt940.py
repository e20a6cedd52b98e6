"""SWIFT MT940 reader on top of the ``mt-940`` package.

The package keeps one set of balances per parse, so a file holding several statements
(one per day or per page, each with its own :20:/:60F:/:62F:) is cut into messages at
each :20: and every message parsed on its own. The package gives no line numbers, so
the n-th transaction of a message is placed at the line of its n-th :61: tag.

Structured :86: fields (German GVC style, ``?20``… subfields with ``EREF+``/``SVWZ+``)
fill the end-to-end id, remittance text and counterparty; unstructured :86: text is
the remittance text as it stands.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import mt940
from mt940.options import Options

from app.adapters.banks.statements._common import clean, decode_text, make_line
from app.domain.settlement.statements import (
    ParsedStatement,
    StatementError,
    StatementFormat,
    StatementLine,
    build_statement,
)
from app.domain.shared.money import Money

_BLOCK_START = re.compile(r"^\{1:[^}]*\}(\{2:[^}]*\})?(\{3:(\{[^}]*\})*\})?\{4:\s*$")
_NOT_A_REFERENCE = {"NONREF", "NOTPROVIDED", ""}


def _messages(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each message, SWIFT envelope lines blanked."""
    messages: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 1
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _BLOCK_START.match(stripped) or stripped in ("-}", "-"):
            stripped = ""
        if stripped.startswith(":20:") and any(ln.strip() for ln in current):
            messages.append((start, current))
            current = []
        if not current:
            start = line_no
        current.append(stripped if not stripped else line.rstrip())
    if any(ln.strip() for ln in current):
        messages.append((start, current))
    return messages


def _money(balance: Any) -> Money | None:
    if balance is None:
        return None
    amount = balance.amount
    return Money(amount.amount, amount.currency)


def _balance_date(balance: Any) -> date | None:
    return date(balance.date.year, balance.date.month, balance.date.day) if balance is not None else None


def _reference(value: str | None) -> str | None:
    text = clean(value)
    return None if text is None or text.upper() in _NOT_A_REFERENCE else text


def _line(data: dict[str, Any], line_no: int, raw: str) -> StatementLine:
    amount = data["amount"]
    structured = "transaction_code" in data
    remittance = data.get("purpose") if structured else data.get("transaction_details")
    if structured and data.get("additional_purpose"):
        remittance = f"{remittance or ''} {data['additional_purpose']}"
    value = data["date"]
    entry = data.get("entry_date")
    customer_ref = _reference(data.get("customer_reference"))
    e2e = _reference(data.get("end_to_end_reference"))
    return make_line(
        line_no=line_no,
        amount=Money(amount.amount, amount.currency),
        booking_date=date(entry.year, entry.month, entry.day)
        if entry
        else date(value.year, value.month, value.day),
        value_date=date(value.year, value.month, value.day),
        bank_reference=_reference(data.get("bank_reference")),
        end_to_end_id=e2e,
        customer_reference=customer_ref,
        remittance_info=remittance,
        payer_name=data.get("applicant_name"),
        payer_account=data.get("applicant_iban"),
        transaction_code=data.get("transaction_code") or data.get("id"),
        raw=raw,
    )


def _statement(first_line: int, lines: list[str]) -> ParsedStatement:
    text = "\n".join(lines)
    # Each :61: tag, with its :86: if any, is one transaction's raw text.
    tag_lines = [i for i, ln in enumerate(lines) if ln.startswith(":61:")]
    errors: list[StatementError] = []
    parser = mt940.models.Transactions(options=Options.all())
    try:
        parser.parse(text)
    except (RuntimeError, ValueError, KeyError, AttributeError) as exc:
        return build_statement(
            format=StatementFormat.MT940,
            account=None,
            currency="XXX",
            lines=[],
            errors=[StatementError(first_line, f"MT940 message could not be read: {exc}")],
        )
    data = parser.data
    opening_bal = (
        data.get("final_opening_balance")
        or data.get("opening_balance")
        or data.get("intermediate_opening_balance")
    )
    closing_bal = (
        data.get("final_closing_balance")
        or data.get("closing_balance")
        or data.get("intermediate_closing_balance")
    )
    currency = parser.currency
    out: list[StatementLine] = []
    if len(parser.transactions) != len(tag_lines):
        errors.append(
            StatementError(
                first_line, f"{len(tag_lines)} :61: tags but {len(parser.transactions)} transactions read"
            )
        )
    for index, transaction in enumerate(parser.transactions):
        at = tag_lines[index] if index < len(tag_lines) else 0
        end = tag_lines[index + 1] if index + 1 < len(tag_lines) else len(lines)
        raw_lines = [ln for ln in lines[at:end] if ln.startswith((":61:", ":86:")) or not ln.startswith(":")]
        raw = "\n".join(raw_lines).strip()
        try:
            out.append(_line(transaction.data, first_line + at, raw))
        except (KeyError, AttributeError, ValueError) as exc:
            errors.append(StatementError(first_line + at, f"transaction could not be read: {exc}"))
    if currency is None:
        currency = out[0].amount.currency if out else "XXX"
        errors.append(StatementError(first_line, "message has no opening or closing balance (:60F:/:62F:)"))
    number = data.get("statement_number")
    sequence = data.get("sequence_number")
    statement_id = "/".join(p for p in (data.get("transaction_reference"), number, sequence) if p)
    dates = [ln.booking_date for ln in out if ln.booking_date is not None]
    return build_statement(
        format=StatementFormat.MT940,
        account=clean(data.get("account_identification")),
        currency=currency,
        statement_id=statement_id or None,
        opening_balance=_money(opening_bal),
        closing_balance=_money(closing_bal),
        period_start=_balance_date(opening_bal) or (min(dates) if dates else None),
        period_end=_balance_date(closing_bal) or (max(dates) if dates else None),
        lines=out,
        errors=errors,
    )


def parse_mt940(data: bytes) -> list[ParsedStatement]:
    messages = _messages(decode_text(data))
    if not messages:
        return [
            build_statement(
                format=StatementFormat.MT940,
                account=None,
                currency="XXX",
                lines=[],
                errors=[StatementError(None, "no MT940 message found")],
            )
        ]
    return [_statement(first, lines) for first, lines in messages]
