"""Which of the tenant's bank accounts a statement is for, from the account the file
names (camt ``Acct/Id``, OFX ``BANKID``/``BRANCHID``/``ACCTID``, MT940 ``:25:``, BAI2
``03``, a CSV preamble): an IBAN, ``bank/agency/account``, ``agency/account`` or a bare
account number.

Files print numbers with or without check digits, zero padding and punctuation, so
numbers are compared as their letters and digits without leading zeros, with and
without the check digit after a final ``-``. What the file names must all agree (the
bank when given, the agency when given, always the account); no hit or more than one
hit means the account is unknown.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

# ISPB (the bank's id inside a Brazilian IBAN) → COMPE code, for the usual banks.
ISPB_TO_BANK = {
    "00000000": "001",  # Banco do Brasil
    "00360305": "104",  # Caixa
    "60701190": "341",  # Itaú
    "60746948": "237",  # Bradesco
    "90400888": "033",  # Santander
    "92702067": "041",  # Banrisul
    "02038232": "756",  # Sicoob
    "01181521": "748",  # Sicredi
    "00416968": "077",  # Inter
    "18236120": "260",  # Nubank
    "30306294": "208",  # BTG Pactual
    "31872495": "336",  # C6
    "58160789": "422",  # Safra
}
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


@dataclass(frozen=True, slots=True)
class AccountIdentity:
    """The account a statement names; empty strings for what it does not say."""

    bank_code: str = ""  # three-digit COMPE code
    agency: str = ""
    account: str = ""
    iban: str = ""

    @property
    def empty(self) -> bool:
        return not self.account

    def as_json(self) -> dict[str, str]:
        return {
            "bank_code": self.bank_code,
            "agency": self.agency,
            "account": self.account,
            "iban": self.iban,
        }


@dataclass(frozen=True, slots=True)
class RegisteredAccount:
    id: uuid.UUID
    bank_code: str
    agency: str
    agency_digit: str
    account: str
    digit: str


def _key(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum()).lstrip("0")


def _file_forms(value: str) -> set[str]:
    forms = {_key(value)}
    if "-" in value:  # "56789-0": the number with and without its check digit
        forms.add(_key(value.rsplit("-", 1)[0]))
    return forms - {""}


def bank_code_of(raw: str) -> str:
    """A COMPE code ("001") from "1", "0001", "001"; "" for anything else (a routing
    number, a BIC)."""
    value = raw.strip()
    if not value.isdigit():
        return ""
    stripped = value.lstrip("0")
    return stripped.zfill(3) if 0 < len(stripped) <= 3 else ""


def identity_from_text(raw: str | None, bank_hint: str = "") -> AccountIdentity:
    """The identity in a statement's account field (see the module docstring)."""
    text = (raw or "").strip()
    compact = text.replace(" ", "").upper()
    if _IBAN.match(compact):
        if compact.startswith("BR") and len(compact) == 29:
            # BR kk ISPB(8) agency(5) account(10) type(1) holder(1)
            return AccountIdentity(
                bank_code=ISPB_TO_BANK.get(compact[4:12], ""),
                agency=compact[12:17],
                account=compact[17:27],
                iban=compact,
            )
        return AccountIdentity(account=compact, iban=compact)
    parts = [p.strip() for p in re.split(r"[/;|]", text) if p.strip()]
    bank = bank_code_of(bank_hint)
    if len(parts) >= 3:
        bank = bank_code_of(parts[-3]) or bank
    agency = parts[-2] if len(parts) >= 2 and any(ch.isdigit() for ch in parts[-2]) else ""
    return AccountIdentity(bank_code=bank, agency=agency, account=parts[-1] if parts else "")


def _same(file_value: str, number: str, digit: str) -> bool:
    return bool(_file_forms(file_value) & {_key(number), _key(number + digit)})


def match_statement_account(
    accounts: Sequence[RegisteredAccount], identity: AccountIdentity
) -> uuid.UUID | None:
    """The one registered account the identity names, else None (unknown or ambiguous)."""
    if identity.empty:
        return None
    hits = [
        acc.id
        for acc in accounts
        if (not identity.bank_code or identity.bank_code == acc.bank_code)
        and (not identity.agency or _same(identity.agency, acc.agency, acc.agency_digit))
        and _same(identity.account, acc.account, acc.digit)
    ]
    return hits[0] if len(hits) == 1 else None
