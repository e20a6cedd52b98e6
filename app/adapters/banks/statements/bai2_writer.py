"""BAI2 writer: one group and one account per statement, with correct trailers.

Used by round-trip tests and by the matching benchmark's statement generator. Records
longer than ``record_length`` are split into 88 continuations, as banks do at 80
characters, so readers meet continuations in generated files too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.adapters.banks.statements.bai2 import CLOSING_LEDGER, OPENING_LEDGER, direction_of
from app.domain.settlement.statements import ParsedStatement, StatementLine

DEFAULT_CREDIT_CODE = "165"  # preauthorized ACH credit
DEFAULT_DEBIT_CODE = "455"  # preauthorized ACH debit


@dataclass(frozen=True, slots=True)
class Bai2Options:
    sender: str = "BANKID"
    receiver: str = "CUSTID"
    file_id: str = "1"
    created_at: datetime = datetime(2000, 1, 1)
    record_length: int = 80


def _yymmdd(day: date | None) -> str:
    return day.strftime("%y%m%d") if day else ""


def _type_code(line: StatementLine) -> str:
    code = line.transaction_code or ""
    sign = -1 if line.amount.is_negative() else 1
    if direction_of(code) == sign:
        return code
    return DEFAULT_DEBIT_CODE if sign < 0 else DEFAULT_CREDIT_CODE


def _funds(kind: str, line: StatementLine) -> list[str]:
    minor = str(abs(line.amount.minor))
    if kind == "V":
        return ["V", _yymmdd(line.value_date or line.booking_date), ""]
    if kind == "S":
        return ["S", minor, "0", "0"]
    if kind == "D":
        return ["D", "1", "0", minor]
    return [kind]


def _safe(text: str | None) -> str:
    # Bank and customer references are comma-delimited fields; the text field is not.
    return (text or "").replace(",", " ").replace("/", " ")


def _physical(record: str, limit: int, *, text_from: int | None = None) -> list[str]:
    """Split a logical record into a first record plus 88 continuations.

    Every physical record ends with "/" (the reader strips exactly one). Fields before
    the text (``text_from``) are cut at commas, which the reader joins back with commas;
    the free text of a 16 record is cut at spaces, which the reader joins with a space.
    """
    out: list[str] = []
    rest, prefix, consumed = record, "", 0
    while len(prefix) + len(rest) + 1 > limit:
        room = limit - len(prefix) - 1
        cut = -1
        if text_from is not None and consumed + room > text_from:
            cut = rest.rfind(" ", max(text_from - consumed, 1), room + 1)
        if cut <= 0:
            high = room + 1 if text_from is None else min(room + 1, text_from - consumed)
            cut = rest.rfind(",", 1, high)
        if cut <= 0:
            break  # a field longer than a record: leave it long rather than corrupt it
        out.append(prefix + rest[:cut] + "/")
        consumed += cut + 1
        rest, prefix = rest[cut + 1 :], "88,"
    out.append(prefix + rest + "/")
    return out


def write_bai2(
    statements: Sequence[ParsedStatement],
    *,
    options: Bai2Options | None = None,
    funds_type: Callable[[StatementLine], str] | None = None,
) -> bytes:
    """A complete BAI2 file; ``funds_type`` picks Z/0/1/2/S/V/D per line (default Z)."""
    opts = options or Bai2Options()
    lines_out: list[str] = []
    created = opts.created_at
    lines_out.append(
        f"01,{opts.sender},{opts.receiver},{created:%y%m%d},{created:%H%M},{opts.file_id},"
        f"{opts.record_length},,2/"
    )
    file_control = 0
    for statement in statements:
        group: list[str] = []
        as_of = statement.period_end or statement.period_start or created.date()
        group.append(f"02,{opts.receiver},{opts.sender},1,{_yymmdd(as_of)},,{statement.currency},2/")
        credits = [ln for ln in statement.lines if not ln.amount.is_negative()]
        debits = [ln for ln in statement.lines if ln.amount.is_negative()]
        summary: list[str] = []
        control = 0
        if statement.opening_balance is not None:
            summary.append(f"{OPENING_LEDGER},{statement.opening_balance.minor},,")
            control += statement.opening_balance.minor
        if statement.closing_balance is not None:
            summary.append(f"{CLOSING_LEDGER},{statement.closing_balance.minor},,")
            control += statement.closing_balance.minor
        credit_total = sum(ln.amount.minor for ln in credits)
        debit_total = -sum(ln.amount.minor for ln in debits)
        summary.append(f"100,{credit_total},{len(credits)},")
        summary.append(f"400,{debit_total},{len(debits)},")
        control += credit_total + debit_total
        account: list[str] = _physical(
            f"03,{statement.account or ''},{statement.currency}," + ",".join(summary), opts.record_length
        )
        for line in statement.lines:
            minor = abs(line.amount.minor)
            control += minor
            kind = funds_type(line) if funds_type else "Z"
            head = ",".join(
                [
                    "16",
                    _type_code(line),
                    str(minor),
                    *_funds(kind, line),
                    _safe(line.bank_reference),
                    _safe(line.customer_reference),
                ]
            )
            text = " ".join((line.remittance_info or "").split())
            account.extend(_physical(f"{head},{text}", opts.record_length, text_from=len(head) + 1))
        account.append(f"49,{control},{len(account) + 1}/")
        group.extend(account)
        group.append(f"98,{control},1,{len(group) + 1}/")
        lines_out.extend(group)
        file_control += control
    lines_out.append(f"99,{file_control},{len(statements)},{len(lines_out) + 1}/")
    return ("\n".join(lines_out) + "\n").encode("ascii", errors="replace")
