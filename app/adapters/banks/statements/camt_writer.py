"""camt.053 writer: turns a statement back into bank XML.

Used by tests (round trips) and by the matching benchmark's statement generator, whose
ground truth is the ``ParsedStatement`` it wrote. Lines that share a ``group_by`` key
become one batched entry (``Ntry`` with several ``TxDtls``), as banks report PIX
receipts settled together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from app.domain.settlement.statements import EntryStatus, ParsedStatement, StatementLine
from app.domain.shared.money import Money

SUPPORTED_VERSIONS = ("001.02", "001.04", "001.06", "001.08", "001.10")


class _Builder:
    def __init__(self, version: str) -> None:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f"camt.053 version {version} not supported ({', '.join(SUPPORTED_VERSIONS)})")
        self.ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.{version}"
        self.minor = int(version.split(".")[1])

    def el(self, parent: etree._Element | None, name: str, text: str | None = None) -> etree._Element:
        tag = f"{{{self.ns}}}{name}"
        nsmap: Any = {None: self.ns}  # the default namespace; lxml-stubs want str keys
        node = etree.Element(tag, nsmap=nsmap) if parent is None else etree.SubElement(parent, tag)
        if text is not None:
            node.text = text
        return node

    def path(self, parent: etree._Element, names: str, text: str | None = None) -> etree._Element:
        node = parent
        for name in names.split("/"):
            node = self.el(node, name)
        if text is not None:
            node.text = text
        return node

    def amount(self, parent: etree._Element, money: Money, name: str = "Amt") -> None:
        node = self.el(parent, name, str(abs(money.amount)))
        node.set("Ccy", money.currency)

    def indicator(self, parent: etree._Element, money: Money) -> None:
        self.el(parent, "CdtDbtInd", "DBIT" if money.is_negative() else "CRDT")

    def party(self, parent: etree._Element, role: str, name: str | None, tax_id: str | None) -> None:
        node = self.el(parent, role)
        # From version 08 the party is wrapped in Pty (Party40Choice).
        holder = self.el(node, "Pty") if self.minor >= 8 else node
        if name:
            self.el(holder, "Nm", name)
        if tax_id:
            self.path(holder, "Id/OrgId/Othr/Id" if len(tax_id) > 11 else "Id/PrvtId/Othr/Id", tax_id)


def _balance(b: _Builder, stmt: etree._Element, code: str, money: Money, when: datetime | None) -> None:
    bal = b.el(stmt, "Bal")
    b.path(bal, "Tp/CdOrPrtry/Cd", code)
    b.amount(bal, money)
    b.indicator(bal, money)
    if when is not None:
        b.path(bal, "Dt/Dt", when.date().isoformat())


def _transaction(b: _Builder, details: etree._Element, line: StatementLine, batched: bool) -> None:
    tx = b.el(details, "TxDtls")
    refs = b.el(tx, "Refs")
    if line.bank_reference:
        b.el(refs, "AcctSvcrRef", line.bank_reference)
    b.el(refs, "EndToEndId", line.end_to_end_id or "NOTPROVIDED")
    if batched:
        if b.minor >= 3:
            b.amount(tx, line.amount)
        else:
            b.amount(b.path(tx, "AmtDtls/TxAmt"), line.amount)
        b.indicator(tx, line.amount)
    if line.payer_name or line.payer_tax_id or line.payer_account:
        parties = b.el(tx, "RltdPties")
        role, acct = ("Cdtr", "CdtrAcct") if line.amount.is_negative() else ("Dbtr", "DbtrAcct")
        b.party(parties, role, line.payer_name, line.payer_tax_id)
        if line.payer_account:
            b.path(b.el(parties, acct), "Id/Othr/Id", line.payer_account)
    if line.remittance_info:
        b.el(b.el(tx, "RmtInf"), "Ustrd", line.remittance_info[:140])


def _entry(b: _Builder, stmt: etree._Element, lines: Sequence[StatementLine], entry_no: int) -> None:
    first = lines[0]
    total = Money(sum((ln.amount.amount for ln in lines), Decimal(0)), first.amount.currency)
    if len(lines) > 1 and any(ln.amount.is_negative() != total.is_negative() for ln in lines):
        raise ValueError("a batched entry holds lines of one direction only")
    ntry = b.el(stmt, "Ntry")
    b.el(ntry, "NtryRef", str(entry_no))
    b.amount(ntry, total)
    b.indicator(ntry, total)
    status = "BOOK" if first.status is EntryStatus.BOOKED else "PDNG"
    if b.minor >= 8:
        b.path(ntry, "Sts/Cd", status)
    else:
        b.el(ntry, "Sts", status)
    if first.booking_date:
        b.path(ntry, "BookgDt/Dt", first.booking_date.isoformat())
    if first.value_date or first.booking_date:
        b.path(ntry, "ValDt/Dt", (first.value_date or first.booking_date).isoformat())  # type: ignore[union-attr]
    if len(lines) > 1:
        b.el(ntry, "AcctSvcrRef", f"BATCH-{entry_no:06d}")
    elif first.bank_reference:
        b.el(ntry, "AcctSvcrRef", first.bank_reference)
    code = b.el(ntry, "BkTxCd")
    b.path(code, "Domn/Cd", "PMNT")
    b.path(code, "Domn/Fmly/Cd", "RCDT" if not total.is_negative() else "ICDT")
    b.path(code, "Domn/Fmly/SubFmlyCd", "DMCT")
    details = b.el(ntry, "NtryDtls")
    if len(lines) > 1:
        b.path(details, "Btch/NbOfTxs", str(len(lines)))
    for line in lines:
        _transaction(b, details, line, batched=len(lines) > 1)


def write_camt053(
    statement: ParsedStatement,
    *,
    version: str = "001.08",
    group_by: Callable[[StatementLine], Hashable] | None = None,
    message_id: str | None = None,
    created_at: datetime | None = None,
) -> bytes:
    """A camt.053 document for ``statement`` (its booked and pending lines)."""
    b = _Builder(version)
    created = created_at or datetime(2000, 1, 1)
    doc = b.el(None, "Document")
    body = b.el(doc, "BkToCstmrStmt")
    header = b.el(body, "GrpHdr")
    b.el(header, "MsgId", message_id or f"MSG-{statement.statement_id or 'STMT'}")
    b.el(header, "CreDtTm", created.isoformat(timespec="seconds"))
    stmt = b.el(body, "Stmt")
    b.el(stmt, "Id", statement.statement_id or "STMT")
    b.el(stmt, "CreDtTm", created.isoformat(timespec="seconds"))
    if statement.period_start and statement.period_end:
        period = b.el(stmt, "FrToDt")
        b.el(period, "FrDtTm", f"{statement.period_start.isoformat()}T00:00:00")
        b.el(period, "ToDtTm", f"{statement.period_end.isoformat()}T23:59:59")
    acct = b.el(stmt, "Acct")
    account = statement.account or ""
    if account[:2].isalpha() and account[2:4].isdigit() and " " not in account:
        b.path(acct, "Id/IBAN", account)
    else:
        b.path(acct, "Id/Othr/Id", account)
    b.el(acct, "Ccy", statement.currency)
    start = datetime.combine(statement.period_start, datetime.min.time()) if statement.period_start else None
    end = datetime.combine(statement.period_end, datetime.min.time()) if statement.period_end else None
    if statement.opening_balance is not None:
        _balance(b, stmt, "OPBD", statement.opening_balance, start)
    if statement.closing_balance is not None:
        _balance(b, stmt, "CLBD", statement.closing_balance, end)
    groups: dict[Hashable, list[StatementLine]] = {}
    for index, line in enumerate((*statement.lines, *statement.pending)):
        key = group_by(line) if group_by is not None else ("line", index)
        groups.setdefault((line.status, key), []).append(line)
    for entry_no, lines in enumerate(groups.values(), start=1):
        _entry(b, stmt, lines, entry_no)
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)
