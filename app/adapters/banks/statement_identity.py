"""The account a parsed statement names, with what its parser leaves out: the OFX
``BANKID`` (the parser keeps ``BRANCHID/ACCTID``) and the ``Agência … Conta …`` line of
a CSV preamble (Brazilian bank exports print it above the header)."""

from __future__ import annotations

import re

from app.domain.settlement.statement_accounts import AccountIdentity, identity_from_text
from app.domain.settlement.statements import ParsedStatement, StatementFormat

_OFX_BANKID = re.compile(rb"<BANKID>\s*([^<\s]+)", re.IGNORECASE)
_CSV_PREAMBLE = re.compile(
    r"ag.{1,2}ncia\W{0,3}\s*([\d][\d.\-]*)\W+conta(?:\s+corrente)?\W{0,3}\s*([\d][\d.\-]*)",
    re.IGNORECASE,
)
PREAMBLE_LINES = 10


def statement_identity(parsed: ParsedStatement, head: bytes) -> AccountIdentity:
    """``head``: the file's first bytes (where the OFX header or CSV preamble sits)."""
    if parsed.format is StatementFormat.OFX:
        found = _OFX_BANKID.search(head)
        return identity_from_text(parsed.account, found.group(1).decode("ascii", "replace") if found else "")
    if parsed.format is StatementFormat.CSV and not parsed.account:
        # Latin-1 decodes any byte: the digits and the ASCII around them are what matters.
        for line in head.decode("latin-1").splitlines()[:PREAMBLE_LINES]:
            if m := _CSV_PREAMBLE.search(line):
                return AccountIdentity(agency=m.group(1).rstrip(".-"), account=m.group(2).rstrip(".-"))
    return identity_from_text(parsed.account)
