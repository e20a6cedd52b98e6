"""Santander (033): código do beneficiário (7) and a 12-digit nosso número.

Nosso número DV: módulo 11, weights 2..9, ``11 - remainder`` with 10 and 11 → 0
(remainders 0 and 1 give 0, remainder 10 gives 1).  Free field::

    9 código beneficiário(7) nosso número(12) DV IOF(1, 0 except insurers) carteira(3)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.checkdigits import mod11_zero_above_nine, require_digits
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.nosso_numero import (
    NossoNumero,
    check_sequence,
    expect_dv,
    pad,
    strip_separators,
)


@dataclass(frozen=True, slots=True)
class Santander:
    agencia: str
    codigo_beneficiario: str
    carteira: str = "101"
    iof: str = "0"

    bank_code = "033"
    max_sequence = 999_999_999_999

    def __post_init__(self) -> None:
        require_digits(self.agencia, "agência", 4)
        pad(self.codigo_beneficiario, 7, "código do beneficiário")
        require_digits(self.carteira, "carteira", 3)
        require_digits(self.iof, "IOF", 1)

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        nn = f"{check_sequence(sequence, self.max_sequence):012d}"
        dv = str(mod11_zero_above_nine(nn))
        return NossoNumero(sequence, nn, dv, f"{nn}-{dv}")

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        if not 2 <= len(raw) <= 13:
            raise BoletoError("a Santander nosso número has up to 12 digits and a check digit")
        require_digits(raw, "nosso número")
        nosso = self.nosso_numero(int(raw[:-1]))
        expect_dv(raw[-1], nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        code = pad(self.codigo_beneficiario, 7, "código do beneficiário")
        return "9" + code + nosso.value + nosso.dv + self.iof + self.carteira

    def beneficiary_code(self) -> str:
        return f"{self.agencia} / {pad(self.codigo_beneficiario, 7, 'código do beneficiário')}"
