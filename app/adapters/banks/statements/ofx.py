"""OFX reader for 1.x (SGML) and 2.x (XML) bank and credit-card statements.

This is a tolerant reader of our own rather than ``ofxtools``, which we tried first and
which is kept in the tests as a cross-check on well-formed files. On real Brazilian
exports ofxtools refuses the whole file for one quirk (an unclosed ``STMTTRN``, a NAME
over 32 characters, a ``TRNAMT`` written ``-89,90``), reports no line numbers, and turns
every timestamp into UTC, which moves a posting at 22:00 in Brasília to the next day.
Here a timestamp's first eight digits are its date in the bank's own zone.

Tolerance rules: element values run to the next tag, closing tags of elements are
optional, an aggregate left open is closed by its parent's closing tag or by the next
sibling of the same name, stray '&' is kept as text, and the charset comes from the
header (SGML ``CHARSET``/``ENCODING`` or the XML declaration) with a UTF-8/cp1252 guess
when it is missing or wrong.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.adapters.banks.statements._common import ParseProblem, clean, decimal_of, decode_text, make_line
from app.domain.settlement.statements import (
    ParsedStatement,
    StatementError,
    StatementFormat,
    StatementLine,
    build_statement,
)
from app.domain.shared.money import Money, MoneyError

_TAG = re.compile(r"<(/?)([A-Za-z0-9_.]+)\s*>([^<]*)")
_AGGREGATE_SUFFIX = re.compile(r"(MSGSRSV\d|MSGSRQV\d|TRNRS|TRNRQ|RS|RQ|FROM|TO|LIST|BAL|STATUS|INFO)$")
_AGGREGATES = frozenset({"OFX", "STMTTRN", "PAYEE", "CURRENCY", "ORIGCURRENCY", "FI", "SONRS", "STATUS"})
_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.-]+)[\"']")
_SGML_CHARSET = re.compile(rb"^\s*CHARSET:\s*(\S+)", re.MULTILINE)


@dataclass(slots=True)
class Node:
    name: str
    line_no: int
    start: int
    end: int = -1
    fields: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.name == name]

    def walk(self, name: str) -> list[Node]:
        found: list[Node] = []
        for c in self.children:
            if c.name == name:
                found.append(c)
            else:
                found.extend(c.walk(name))
        return found


def _is_aggregate(name: str, value: str) -> bool:
    return not value and (name in _AGGREGATES or bool(_AGGREGATE_SUFFIX.search(name)))


def decode_ofx(data: bytes) -> str:
    """Text of an OFX file.

    Valid UTF-8 with accents is almost never accidental, while headers often say
    ``CHARSET:1252`` over UTF-8 content, so UTF-8 is tried first; then the declared
    charset (SGML ``CHARSET``/``ENCODING`` or the XML declaration); then a guess.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared: str | None = None
    if match := _XML_ENCODING.search(data[:300]):
        declared = match.group(1).decode("ascii")
    elif (charset := _SGML_CHARSET.search(data[:1000])) and charset.group(1).upper() != b"NONE":
        name = charset.group(1).decode("ascii").upper()
        declared = {"1252": "cp1252", "ISO-8859-1": "latin-1", "8859-1": "latin-1"}.get(name, name)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; guess instead
    return decode_text(data)


def read_tree(text: str) -> Node:
    """The OFX body as a tree of aggregates with their elements; headers are skipped."""
    begin = text.upper().find("<OFX>")
    if begin < 0:
        raise ParseProblem("no <OFX> element")
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    root = Node("#root", line_of(begin), begin)
    stack = [root]
    for match in _TAG.finditer(text, begin):
        closing, name, value = match.group(1), match.group(2).upper(), match.group(3)
        if closing:
            # Close up to the matching open aggregate; a close of an element is a no-op.
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    for node in stack[depth:]:
                        node.end = match.start()
                    del stack[depth:]
                    break
            continue
        value = value.strip()
        if _is_aggregate(name, value):
            if stack[-1].name == name and name == "STMTTRN":
                stack.pop().end = match.start()  # previous STMTTRN was never closed
            node = Node(name, line_of(match.start()), match.start())
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack[-1].fields.setdefault(name, html.unescape(value))
    for node in stack[1:]:
        node.end = len(text)
    return root


def _date(raw: str | None) -> date | None:
    """YYYYMMDD[HHMMSS[.XXX]][[gmt offset:tz]] → the date as the bank wrote it."""
    if not raw:
        return None
    digits = raw.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        raise ParseProblem(f"not an OFX date: {raw!r}")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise ParseProblem(f"not an OFX date: {raw!r}") from exc


def ofx_amount(raw: str | None) -> Decimal:
    """OFX amounts use '.', but Brazilian exports also write '-89,90' or '2.345,67'."""
    if raw is None or not raw.strip():
        raise ParseProblem("TRNAMT is missing")
    text = raw.strip()
    if "," in text and ("." not in text or text.rfind(",") > text.rfind(".")):
        return decimal_of(text, decimal_separator=",", thousands_separator=".")
    return decimal_of(text, decimal_separator=".", thousands_separator=",")


def _line(trn: Node, currency: str, raw_text: str) -> StatementLine:
    f = trn.fields
    payee = trn.child("PAYEE")
    amount = Money(ofx_amount(f.get("TRNAMT")), currency)
    posted = _date(f.get("DTPOSTED"))
    if posted is None:
        raise ParseProblem("DTPOSTED is missing")
    reference = f.get("CHECKNUM") or f.get("REFNUM")
    return make_line(
        line_no=trn.line_no,
        amount=amount,
        booking_date=posted,
        value_date=_date(f.get("DTAVAIL")) or _date(f.get("DTUSER")) or posted,
        bank_reference=f.get("FITID"),
        customer_reference=reference,
        remittance_info=f.get("MEMO"),
        payer_name=f.get("NAME") or (payee.fields.get("NAME") if payee else None),
        payer_account=_counter_account(trn),
        transaction_code=f.get("TRNTYPE"),
        raw=raw_text[trn.start : trn.end].strip(),
    )


def _counter_account(trn: Node) -> str | None:
    for name in ("BANKACCTTO", "CCACCTTO"):
        node = trn.child(name)
        if node is not None:
            parts = [node.fields.get(k) for k in ("BANKID", "BRANCHID", "ACCTID")]
            return "/".join(p for p in parts if p) or None
    return None


def _statement(stmt: Node, text: str, statement_id: str | None) -> ParsedStatement:
    errors: list[StatementError] = []
    currency = (stmt.fields.get("CURDEF") or "").upper()
    acct = stmt.child("BANKACCTFROM") or stmt.child("CCACCTFROM")
    account = None
    if acct is not None:
        account = "/".join(p for p in (acct.fields.get("BRANCHID"), acct.fields.get("ACCTID")) if p) or None
    if len(currency) != 3 or not currency.isalpha():
        errors.append(StatementError(stmt.line_no, f"CURDEF {currency!r} is not a currency; BRL assumed"))
        currency = "BRL"
    tranlist = stmt.child("BANKTRANLIST")
    lines: list[StatementLine] = []
    start = end = None
    if tranlist is not None:
        try:
            start, end = _date(tranlist.fields.get("DTSTART")), _date(tranlist.fields.get("DTEND"))
        except ParseProblem as exc:
            errors.append(StatementError(tranlist.line_no, str(exc)))
        for trn in tranlist.all("STMTTRN"):
            try:
                lines.append(_line(trn, currency, text))
            except (ParseProblem, MoneyError) as exc:
                errors.append(StatementError(trn.line_no, str(exc)))
    closing: Money | None = None
    ledger = stmt.child("LEDGERBAL")
    if ledger is not None and ledger.fields.get("BALAMT"):
        try:
            closing = Money(ofx_amount(ledger.fields.get("BALAMT")), currency)
        except (ParseProblem, MoneyError) as exc:
            errors.append(StatementError(ledger.line_no, f"LEDGERBAL: {exc}"))
    # OFX has a closing (ledger) balance only; the opening one is left unknown rather
    # than derived from the lines, which would make the balance check pass by definition.
    return build_statement(
        format=StatementFormat.OFX,
        account=account,
        currency=currency,
        statement_id=statement_id,
        closing_balance=closing,
        period_start=start,
        period_end=end,
        lines=lines,
        errors=errors,
    )


def parse_ofx(data: bytes) -> list[ParsedStatement]:
    text = decode_ofx(data)
    try:
        root = read_tree(text)
    except ParseProblem as exc:
        return [_failed(StatementError(1, str(exc)))]
    statements: list[ParsedStatement] = []
    for rs in root.walk("STMTTRNRS") + root.walk("CCSTMTTRNRS"):
        trnuid = clean(rs.fields.get("TRNUID"))
        statements.extend(_statement(s, text, trnuid) for s in rs.all("STMTRS") + rs.all("CCSTMTRS"))
    if not statements:
        # Some exports drop the STMTTRNRS wrapper; look for bare statements.
        statements = [_statement(s, text, None) for s in root.walk("STMTRS") + root.walk("CCSTMTRS")]
    return statements or [_failed(StatementError(None, "no STMTRS/CCSTMTRS statement in the OFX file"))]


def _failed(error: StatementError) -> ParsedStatement:
    return build_statement(format=StatementFormat.OFX, account=None, currency="XXX", lines=[], errors=[error])
