"""Sicredi (748): nosso número ``AA/BXXXXX-D``.

AA is the year of issue, B the generation byte (1 when the cooperative numbers
the title, 2–9 when the beneficiary does), XXXXX a sequence within that year
and byte, D módulo 11 (weights 2..9, ``11 - remainder``, results above 9 → 0)
over cooperativa (4) + posto (2) + beneficiário (5) + AA + B + XXXXX.
Free field (its last digit uses the same módulo 11 over the 24 before it)::

    tipo cobrança(1) carteira(1) nosso número(9) cooperativa(4) posto(2)
    beneficiário(5) 1-if-amount(1) 0 DV
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
class Sicredi:
    cooperativa: str
    posto: str
    codigo_beneficiario: str
    byte_geracao: str = "2"
    tipo_cobranca: str = "1"
    carteira: str = "1"

    bank_code = "748"
    max_sequence = 99_999

    def __post_init__(self) -> None:
        require_digits(self.cooperativa, "cooperativa", 4)
        pad(self.posto, 2, "posto")
        pad(self.codigo_beneficiario, 5, "código do beneficiário")
        if self.byte_geracao not in "23456789" or len(self.byte_geracao) != 1:
            raise BoletoError("Sicredi generation byte for beneficiary-numbered titles is 2 to 9")
        require_digits(self.tipo_cobranca, "tipo de cobrança", 1)
        require_digits(self.carteira, "carteira", 1)

    @property
    def _prefix(self) -> str:
        return (
            self.cooperativa
            + pad(self.posto, 2, "posto")
            + pad(self.codigo_beneficiario, 5, "código do beneficiário")
        )

    def _make(self, year2: str, sequence: int) -> NossoNumero:
        nn = year2 + self.byte_geracao + f"{check_sequence(sequence, self.max_sequence):05d}"
        dv = str(mod11_zero_above_nine(self._prefix + nn))
        return NossoNumero(sequence, nn, dv, f"{nn[:2]}/{nn[2:]}-{dv}")

    def nosso_numero(self, sequence: int, *, issued_on: date | None = None) -> NossoNumero:
        if issued_on is None:
            raise BoletoError("a Sicredi nosso número needs the issue date (its first digits are the year)")
        return self._make(f"{issued_on.year % 100:02d}", sequence)

    def parse_nosso_numero(self, text: str) -> NossoNumero:
        raw = strip_separators(text)
        require_digits(raw, "nosso número with DV", 9)
        if raw[2] != self.byte_geracao:
            raise BoletoError(f"nosso número generation byte is {raw[2]}, expected {self.byte_geracao}")
        nosso = self._make(raw[:2], int(raw[3:8]))
        expect_dv(raw[8], nosso.dv)
        return nosso

    def campo_livre(self, nosso: NossoNumero, *, has_amount: bool = True) -> str:
        body = (
            self.tipo_cobranca
            + self.carteira
            + nosso.value
            + nosso.dv
            + self._prefix
            + ("1" if has_amount else "0")
            + "0"
        )
        return body + str(mod11_zero_above_nine(body))

    def beneficiary_code(self) -> str:
        prefix = self._prefix
        return f"{prefix[0:4]}.{prefix[4:6]}.{prefix[6:11]}"
