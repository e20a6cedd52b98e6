"""ISO 20022 camt.053 (statement) and camt.054 (debit/credit notification) reader.

Namespace-agnostic: the version (001.02 … 001.13) only changes the namespace and a few
optional wrappers, so elements are looked up by local name and both spellings of the
changed parts are accepted (``Sts`` as text or ``Sts/Cd``; ``Dbtr/Nm`` or
``Dbtr/Pty/Nm``; ``TxDtls/Amt`` or ``TxDtls/AmtDtls/TxAmt/Amt``).

An entry (``Ntry``) is one movement on the account; a batched entry lists its
transactions in ``NtryDtls/TxDtls``. When every transaction carries its own amount each
becomes a line, since cash application needs the individual payer and reference; when
they do not, the entry is one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from lxml import etree

from app.adapters.banks.statements._common import ParseProblem, clean, decimal_of, make_line, money_of
from app.adapters.banks.statements.xmlsafe import UnsafeXml, local, parse_xml
from app.domain.settlement.statements import (
    EntryStatus,
    ParsedStatement,
    StatementError,
    StatementFormat,
    StatementLine,
    build_statement,
)
from app.domain.shared.money import Money

_Element = etree._Element

_OPENING = ("OPBD", "PRCD")  # opening booked; previously closed booked stands in for it
_CLOSING = ("CLBD",)


# --- namespace-agnostic navigation ------------------------------------------------------
# "{*}Name" matches the local name in any namespace, in lxml's C code: a Python loop over
# children comparing local names took 80 % of the parse time.
def _kids(el: _Element, name: str) -> Iterator[_Element]:
    return el.iterchildren("{*}" + name)


def _at(el: _Element | None, *path: str) -> _Element | None:
    """Follow a path of local names, first match at each step."""
    node = el
    for name in path:
        if node is None:
            return None
        node = next(node.iterchildren("{*}" + name), None)
    return node


def _text(el: _Element | None, *path: str) -> str | None:
    node = _at(el, *path)
    return clean(node.text) if node is not None else None


def _date(el: _Element | None) -> date | None:
    """``Dt`` or ``DtTm`` inside a date-and-time choice; the calendar date is what matters."""
    raw = _text(el, "Dt") or _text(el, "DtTm")
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise ParseProblem(f"not an ISO date: {raw!r}") from exc


def _amount(el: _Element | None) -> tuple[Decimal, str] | None:
    if el is None or el.text is None:
        return None
    currency = el.get("Ccy")
    if not currency:
        raise ParseProblem("amount without Ccy")
    return decimal_of(el.text), currency


def _signed(el: _Element, amount_el: _Element | None) -> Money | None:
    found = _amount(amount_el)
    if found is None:
        return None
    value, currency = found
    indicator = _text(el, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise ParseProblem(f"CdtDbtInd must be CRDT or DBIT, got {indicator!r}")
    return money_of(value if indicator == "CRDT" else -value, currency)


def _account_id(acct: _Element | None) -> str | None:
    return _text(acct, "Id", "IBAN") or _text(acct, "Id", "Othr", "Id")


def _party(el: _Element | None) -> _Element | None:
    # From version 08 on the party sits one level deeper, in Pty.
    inner = _at(el, "Pty")
    return inner if inner is not None else el


def _party_id(party: _Element | None) -> str | None:
    for kind in ("OrgId", "PrvtId"):
        ident = _text(party, "Id", kind, "Othr", "Id")
        if ident:
            return ident
    return _text(party, "Id", "OrgId", "AnyBIC")


def _tx_code(el: _Element | None) -> str | None:
    domain = _at(el, "BkTxCd", "Domn")
    if domain is not None:
        parts = [_text(domain, "Cd"), _text(domain, "Fmly", "Cd"), _text(domain, "Fmly", "SubFmlyCd")]
        return "-".join(p for p in parts if p)
    return _text(el, "BkTxCd", "Prtry", "Cd")


def _remittance(tx: _Element | None) -> str | None:
    rmt = _at(tx, "RmtInf")
    if rmt is None:
        return None
    parts = [clean(u.text) or "" for u in _kids(rmt, "Ustrd")]
    for strd in _kids(rmt, "Strd"):
        ref = _text(strd, "CdtrRefInf", "Ref")
        if ref:
            parts.append(ref)
        parts.extend(clean(a.text) or "" for a in _kids(strd, "AddtlRmtInf"))
    return clean(" ".join(p for p in parts if p))


def _status(entry: _Element) -> EntryStatus | None:
    sts = _at(entry, "Sts")
    code = _text(sts, "Cd") or _text(sts, "Prtry") or (clean(sts.text) if sts is not None else None)
    if code == "BOOK":
        return EntryStatus.BOOKED
    if code in ("PDNG", "INFO", "FUTR"):
        return EntryStatus.PENDING
    return None


_XMLNS = re.compile(r' xmlns(:\w+)?="[^"]*"')


def _ln(el: _Element | None) -> int:
    """The element's line in the file (lxml's stubs type it loosely)."""
    line = el.sourceline if el is not None else None
    return line if isinstance(line, int) else 0


def _raw(el: _Element) -> str:
    # The namespace declaration lxml repeats on every fragment is noise in a correction queue.
    return _XMLNS.sub("", etree.tostring(el, encoding="unicode", with_tail=False))


# --- entries ----------------------------------------------------------------------------
def _entry_lines(entry: _Element, status: EntryStatus) -> tuple[list[StatementLine], list[StatementError]]:
    errors: list[StatementError] = []
    entry_amount = _signed(entry, _at(entry, "Amt"))
    if entry_amount is None:
        raise ParseProblem("entry without Amt")
    booking = _date(_at(entry, "BookgDt"))
    value = _date(_at(entry, "ValDt"))
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    entry_code = _tx_code(entry)
    txs = [tx for details in _kids(entry, "NtryDtls") for tx in _kids(details, "TxDtls")]
    amounts = [_signed_tx(tx, entry) for tx in txs]
    line_no = _ln(entry)

    if len(txs) > 1 and all(a is not None for a in amounts):
        total = sum((a.amount for a in amounts if a is not None), Decimal(0))
        if total != entry_amount.amount:
            errors.append(
                StatementError(
                    line_no,
                    f"entry {entry_ref or ''} amount {entry_amount.amount} differs from the sum "
                    f"of its {len(txs)} transactions ({total})",
                )
            )
        lines = [
            _tx_line(tx, amount, index, entry_ref, entry_code, booking, value, status)
            for index, (tx, amount) in enumerate(zip(txs, amounts, strict=True), start=1)
            if amount is not None
        ]
        return lines, errors

    if len(txs) > 1 and any(a is not None for a in amounts):
        errors.append(
            StatementError(line_no, "some transactions of a batched entry have no amount; kept as one line")
        )
    first = txs[0] if txs else None
    line = _tx_line(first, entry_amount, 0, entry_ref, entry_code, booking, value, status, entry=entry)
    if len(txs) > 1:
        infos = [_remittance(tx) for tx in txs]
        line = make_line(
            line_no=line.line_no,
            amount=line.amount,
            booking_date=booking,
            value_date=value,
            bank_reference=entry_ref,
            remittance_info=" | ".join(i for i in infos if i),
            transaction_code=entry_code,
            raw=line.raw,
            status=status,
        )
    return [line], errors


def _signed_tx(tx: _Element, entry: _Element) -> Money | None:
    # lxml elements are falsy when they have no children: compare with None, never `or`.
    amount_el = _at(tx, "Amt")
    if amount_el is None:
        amount_el = _at(tx, "AmtDtls", "TxAmt", "Amt")
    if amount_el is None:
        return None
    # A transaction's CdtDbtInd is optional; it then shares the entry's direction.
    holder = tx if _at(tx, "CdtDbtInd") is not None else entry
    return _signed(holder, amount_el)


def _tx_line(
    tx: _Element | None,
    amount: Money,
    index: int,
    entry_ref: str | None,
    entry_code: str | None,
    booking: date | None,
    value: date | None,
    status: EntryStatus,
    *,
    entry: _Element | None = None,
) -> StatementLine:
    # The counterparty: the debtor of a credit (who paid us), the creditor of a debit.
    role, acct = ("Dbtr", "DbtrAcct") if amount.amount >= 0 else ("Cdtr", "CdtrAcct")
    parties = _at(tx, "RltdPties")
    party = _party(_at(parties, role))
    # The bank's own reference: the transaction's if it has one, else the entry's; the
    # transactions of a batch without their own get "<entry ref>/<position>".
    own_ref = _text(tx, "Refs", "AcctSvcrRef")
    reference = own_ref or (f"{entry_ref}/{index}" if index and entry_ref else entry_ref)
    e2e = _text(tx, "Refs", "EndToEndId")
    if e2e == "NOTPROVIDED":
        e2e = None
    # A batched transaction points at its own TxDtls; a whole entry at its Ntry.
    source = tx if index else entry if entry is not None else tx
    line_no = _ln(source)
    return make_line(
        line_no=line_no,
        amount=amount,
        booking_date=booking,
        value_date=value,
        bank_reference=reference,
        end_to_end_id=e2e,
        remittance_info=_remittance(tx) or _text(tx, "AddtlTxInf") or _text(entry, "AddtlNtryInf"),
        payer_name=_text(party, "Nm"),
        payer_tax_id=_party_id(party),
        payer_account=_account_id(_at(parties, acct)),
        transaction_code=_tx_code(tx) or entry_code,
        raw=_raw(source) if source is not None else "",
        status=status,
    )


# --- statements ---------------------------------------------------------------------------
def _balances(stmt: _Element) -> tuple[Money | None, Money | None, list[StatementError]]:
    opening: Money | None = None
    closing: Money | None = None
    errors: list[StatementError] = []
    for bal in _kids(stmt, "Bal"):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd") or _text(bal, "Tp", "CdOrPrtry", "Prtry")
        try:
            amount = _signed(bal, _at(bal, "Amt"))
        except ParseProblem as exc:
            errors.append(StatementError(_ln(bal), f"balance {code}: {exc}"))
            continue
        if code in _OPENING and opening is None:
            opening = amount
        elif code in _CLOSING:
            closing = amount
    return opening, closing, errors


def _currency(stmt: _Element) -> str | None:
    ccy = _text(stmt, "Acct", "Ccy")
    if ccy:
        return ccy
    for path in (("Bal", "Amt"), ("Ntry", "Amt")):
        node = _at(stmt, *path)
        if node is not None and node.get("Ccy"):
            return node.get("Ccy")
    return None


def _statement(stmt: _Element, fmt: StatementFormat) -> ParsedStatement:
    errors: list[StatementError] = []
    currency = _currency(stmt)
    if currency is None:
        return build_statement(
            format=fmt,
            account=_account_id(_at(stmt, "Acct")),
            currency="XXX",
            lines=[],
            errors=[StatementError(_ln(stmt), "statement has no currency")],
        )
    opening, closing, bal_errors = _balances(stmt)
    errors.extend(bal_errors)
    booked: list[StatementLine] = []
    pending: list[StatementLine] = []
    for entry in _kids(stmt, "Ntry"):
        try:
            status = _status(entry)
            if status is None:
                raise ParseProblem(f"unknown entry status {_text(entry, 'Sts')!r}")
            lines, entry_errors = _entry_lines(entry, status)
        except (ParseProblem, ValueError) as exc:
            errors.append(StatementError(_ln(entry), str(exc)))
            continue
        errors.extend(entry_errors)
        (booked if status is EntryStatus.BOOKED else pending).extend(lines)
    try:
        start = _date_of_text(_text(stmt, "FrToDt", "FrDtTm"))
        end = _date_of_text(_text(stmt, "FrToDt", "ToDtTm"))
    except ParseProblem as exc:
        errors.append(StatementError(_ln(stmt), str(exc)))
        start = end = None
    if start is None:
        dates = [line.booking_date for line in booked if line.booking_date is not None]
        start, end = (min(dates), max(dates)) if dates else (None, None)
    return build_statement(
        format=fmt,
        account=_account_id(_at(stmt, "Acct")),
        currency=currency,
        statement_id=_text(stmt, "Id"),
        opening_balance=opening,
        closing_balance=closing,
        period_start=start,
        period_end=end,
        lines=booked,
        pending=pending,
        errors=errors,
    )


def _date_of_text(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise ParseProblem(f"not an ISO date: {raw!r}") from exc


_CONTAINERS = {
    "BkToCstmrStmt": ("Stmt", StatementFormat.CAMT053),
    "BkToCstmrDbtCdtNtfctn": ("Ntfctn", StatementFormat.CAMT054),
}


def parse_camt(data: bytes) -> list[ParsedStatement]:
    """Every statement (camt.053) or notification (camt.054) in the document."""
    try:
        root = parse_xml(data)
    except UnsafeXml as exc:
        return [_failed(StatementFormat.CAMT053, StatementError(exc.line_no, str(exc)))]
    body = next(iter(root), None) if local(root.tag) == "Document" else root
    kind = _CONTAINERS.get(local(body.tag)) if body is not None else None
    if body is None or kind is None:
        found = local(body.tag) if body is not None else local(root.tag)
        return [_failed(StatementFormat.CAMT053, StatementError(1, f"not a camt.053/054 document: {found}"))]
    child, fmt = kind
    statements = [_statement(stmt, fmt) for stmt in _kids(body, child)]
    return statements or [_failed(fmt, StatementError(_ln(body), f"document holds no {child}"))]


def _failed(fmt: StatementFormat, error: StatementError) -> ParsedStatement:
    return build_statement(format=fmt, account=None, currency="XXX", lines=[], errors=[error])
