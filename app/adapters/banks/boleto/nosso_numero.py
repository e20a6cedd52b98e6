"""Nosso número (the bank's id of a title) and the agreement that issues it.

Every bank defines its own nosso número: how many digits, what it is made of
(often the agreement number plus a sequence) and which check digit it carries.
Each bank module implements ``BankAgreement``; this module holds the shared
shapes and the sequence helpers the receivables side calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from app.adapters.banks.boleto.checkdigits import require_digits
from app.adapters.banks.boleto.errors import BoletoError

_SEPARATORS = re.compile(r"[\s./\-]")


@dataclass(frozen=True, slots=True)
class NossoNumero:
    """One bank reference: ``value`` as the bank numbers it, ``dv`` its check digit."""

    sequence: int
    value: str
    dv: str
    display: str

    def __str__(self) -> str:
        return self.display


class BankAgreement(Protocol):
    """A beneficiary's cobrança agreement with one bank (convênio, carteira, account)."""

    @property
    def bank_code(self) -> str: ...

    @property
    def carteira(self) -> str: ...

    @property
    def max_sequence(self) -> int: ...

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        """The nosso número for a sequence number (``issued_on`` is used by Sicredi's year)."""
        ...

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        """Validate a nosso número as printed or typed; raise ``BoletoError`` when wrong."""
        ...

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        """The 25-digit free field of the barcode."""
        ...

    def beneficiary_code(self) -> str:
        """ "Agência / Código do Beneficiário" as printed on the slip."""
        ...


def check_sequence(sequence: int, max_sequence: int) -> int:
    if sequence < 1:
        raise BoletoError(f"nosso número sequence must be positive, got {sequence}")
    if sequence > max_sequence:
        raise BoletoError(
            f"nosso número sequence {sequence} exceeds this agreement's range (max {max_sequence})"
        )
    return sequence


def next_nosso_numero(
    agreement: BankAgreement, last_sequence: int | None, *, issued_on: date | None = None
) -> NossoNumero:
    """The nosso número after ``last_sequence`` (the first one when ``None``).

    The caller owns the counter (one per agreement, in the database, under a
    lock); this only numbers and checks the range.
    """
    sequence = 1 if last_sequence is None else last_sequence + 1
    return agreement.nosso_numero(check_sequence(sequence, agreement.max_sequence), issued_on=issued_on)


def validate_nosso_numero(agreement: BankAgreement, text: str) -> NossoNumero:
    return agreement.parse_nosso_numero(text)


def strip_separators(text: str) -> str:
    return _SEPARATORS.sub("", text).upper()


def pad(value: str, length: int, what: str) -> str:
    """Left-pad a numeric field with zeros, refusing one that is too long."""
    require_digits(value, what)
    if len(value) > length:
        raise BoletoError(f"{what} has at most {length} digits, got {len(value)}")
    return value.zfill(length)


def expect_dv(given: str, expected: str, what: str = "nosso número") -> None:
    if given != expected:
        raise BoletoError(f"{what} check digit is {given or 'missing'}, expected {expected}")
